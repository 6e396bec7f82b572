/// Counts of the events libsrtp reported for one ``SRTPSession``.
///
/// libsrtp reports these from inside protect/unprotect through a process-global callback; Parley
/// routes each to its session, which only counts it (no logging, no user code on the packet path).
/// The owner of the session polls ``SRTPSession/hasPendingEvents`` after a packet (a stored Bool)
/// and, when it is set, takes the counts with ``SRTPSession/takeEvents()`` to log them and act:
/// close the transport at a hard key limit (SECURITY.md, "key limits").
public struct SRTPEvents: Sendable, Hashable, CustomStringConvertible {
    /// `event_ssrc_collision`: one SSRC was used both to protect and to unprotect in the session.
    /// Parley's sessions protect or unprotect, never both, so libsrtp should not report this.
    public var ssrcCollisions: Int
    /// `event_key_soft_limit`: a stream's key is near its usage limit; re-key soon.
    public var keySoftLimits: Int
    /// `event_key_hard_limit`: a stream's key reached its usage limit; libsrtp now refuses its
    /// packets with ``SRTPError/Code/keyExpired``. Close or re-key the transport.
    public var keyHardLimits: Int
    /// `event_packet_index_limit`: a stream reached the largest packet index.
    public var packetIndexLimits: Int
    /// The SSRC of the stream of the most recent event, if any.
    public var lastSSRC: UInt32?

    /// No events.
    public init() {
        self.ssrcCollisions = 0
        self.keySoftLimits = 0
        self.keyHardLimits = 0
        self.packetIndexLimits = 0
        self.lastSSRC = nil
    }

    /// The number of events of all kinds.
    public var total: Int {
        self.ssrcCollisions &+ self.keySoftLimits &+ self.keyHardLimits &+ self.packetIndexLimits
    }

    /// Whether no event was counted.
    public var isEmpty: Bool {
        self.total == 0
    }

    /// `SRTPEvents(ssrcCollisions: 0, keySoftLimits: 1, keyHardLimits: 0, packetIndexLimits: 0)`.
    public var description: String {
        "SRTPEvents(ssrcCollisions: \(self.ssrcCollisions), keySoftLimits: \(self.keySoftLimits), "
            + "keyHardLimits: \(self.keyHardLimits), packetIndexLimits: \(self.packetIndexLimits))"
    }
}
