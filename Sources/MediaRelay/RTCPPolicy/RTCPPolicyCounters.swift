/// Cumulative counts of what ``RTCPPolicy`` forwarded, limited, ignored and terminated, for
/// metrics and for tests of the flood rows of SECURITY.md.
public struct RTCPPolicyCounters: Hashable, Sendable {
    /// PLI and FIR requests forwarded upstream (one per track and interval at most).
    public var keyframeRequestsForwarded: UInt64 = 0
    /// PLI and FIR requests absorbed because the track had one forwarded within the interval.
    public var keyframeRequestsRateLimited: UInt64 = 0
    /// NACKed sequence numbers forwarded upstream.
    public var nackedSequenceNumbersForwarded: UInt64 = 0
    /// NACKed sequence numbers dropped because the subscriber's budget for the interval was spent.
    public var nackedSequenceNumbersOverBudget: UInt64 = 0
    /// NACKed sequence numbers that were never sent to the subscriber from the current source.
    public var nackedSequenceNumbersUntranslatable: UInt64 = 0
    /// Feedback (PLI, FIR entries, NACK) about an SSRC the sender does not receive, or about an
    /// RTX SSRC: ignored.
    public var feedbackForUnreceivedSSRC: UInt64 = 0
    /// BYE entries for SSRCs the sender does not own: ignored.
    public var goodbyesIgnored: UInt64 = 0
    /// Sender reports for SSRCs the sender does not own: ignored.
    public var senderReportsIgnored: UInt64 = 0
    /// Report blocks (about the relay's own sends) terminated.
    public var reportBlocksTerminated: UInt64 = 0
    /// REMB and transport-cc feedback terminated.
    public var bandwidthFeedbackTerminated: UInt64 = 0
    /// SDES, APP and packet types the relay does not parse, terminated.
    public var otherPacketsTerminated: UInt64 = 0

    /// All zero.
    public init() {}
}
