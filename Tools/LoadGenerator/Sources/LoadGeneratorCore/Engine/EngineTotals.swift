/// The engine's running totals, published a few times per second for the live progress line.
public struct EngineTotals: Sendable, Hashable {
    /// Participants added so far.
    public var added = 0
    /// Participants doing ICE or DTLS now.
    public var connecting = 0
    /// Participants connected now.
    public var connected = 0
    /// Participants that failed.
    public var failed = 0
    /// Participants that left.
    public var closed = 0
    /// Media packets sent.
    public var packetsSent: UInt64 = 0
    /// Media packets received (unique and duplicate, before statistics).
    public var packetsReceived: UInt64 = 0
    /// Media bytes sent.
    public var bytesSent: UInt64 = 0
    /// Media bytes received.
    public var bytesReceived: UInt64 = 0
    /// Sends the socket refused.
    public var sendErrors: UInt64 = 0
    /// One-way latency p50 over the last publishing window, in microseconds.
    public var windowLatencyP50: UInt64 = 0
    /// One-way latency p99 over the last publishing window, in microseconds.
    public var windowLatencyP99: UInt64 = 0
    /// The largest sender lateness over the last window, in microseconds.
    public var windowMaximumLateness: UInt64 = 0
    /// CPU time the engine thread has used so far, in nanoseconds (sockets, SRTP, DTLS, pacing,
    /// statistics: the cost of the simulated participants' media).
    public var engineCPUNanoseconds: UInt64 = 0
    /// The engine's clock when these were published (monotonic nanoseconds).
    public var time: UInt64 = 0

    /// All zero.
    public init() {}
}
