/// What a room's mixer has done, from ``RelayCore/mixingStatistics(of:)``: for tests, tools and
/// metrics. Counts run from the room's configuration; the jitter-buffer figures are summed over
/// the participants currently in the room.
public struct RelayRoomMixingStatistics: Sendable, Hashable {
    /// 20 ms ticks run.
    public var ticks: UInt64 = 0
    /// RTP packets handed to the mixer (a participant's declared audio stream).
    public var packetsReceived: UInt64 = 0
    /// Mixed packets protected and queued to participants.
    public var packetsSent: UInt64 = 0
    /// Mixed packets not sent: the participant has no connected transport (or no consent), the
    /// packet did not fit the send slot, or protection failed.
    public var packetsSkipped: UInt64 = 0
    /// Frames given to a decoder (decode, FEC or concealment).
    public var decodes: UInt64 = 0
    /// Opus encodes.
    public var encodes: UInt64 = 0
    /// Encodes libopus refused.
    public var encodeFailures: UInt64 = 0
    /// Payloads that were not valid 20 ms Opus (malformed, oversized): each concealed.
    public var invalidPayloads: UInt64 = 0
    /// Frames whose packet was missing or empty when their turn came.
    public var lostFrames: UInt64 = 0
    /// Frames filled by the decoder's concealment.
    public var concealedFrames: UInt64 = 0
    /// Packets decoded normally.
    public var decodedFrames: UInt64 = 0
    /// Participants in the room.
    public var participants: Int = 0
    /// The speakers last announced, loudest first.
    public var speakers: [RoutingParticipantID] = []
    /// Whether the room is being recorded.
    public var recording: Bool = false

    /// All zero.
    public init() {}
}
