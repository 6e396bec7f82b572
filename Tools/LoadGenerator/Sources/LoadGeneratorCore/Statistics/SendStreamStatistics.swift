/// What one simulated participant sent: packets, bytes, and how late the sender was against its
/// absolute 20 ms schedule (the sender's own lateness, so that a slow generator is not mistaken
/// for a slow server).
public struct SendStreamStatistics: Sendable, Hashable {
    /// Packets handed to the socket (after impairment drops).
    public var packets: UInt64 = 0
    /// Bytes of those packets (SRTP, as sent).
    public var bytes: UInt64 = 0
    /// Packets the loss impairment dropped on purpose.
    public var impairmentDropped: UInt64 = 0
    /// Packets the socket refused (send buffer full or an error).
    public var sendErrors: UInt64 = 0
    /// Frames skipped because the sender fell more than ``PacingSchedule/maximumCatchUp`` frames behind.
    public var framesSkipped: UInt64 = 0
    /// How late each packet left, against its scheduled time, in microseconds.
    public var lateness = LatencyHistogram()

    /// Nothing sent.
    public init() {}
}
