public import RTCWire

/// What the relay should do after one RTCP compound from a participant, as decided by
/// ``RTCPPolicy/handle(_:from:forwarder:now:into:)``: feedback to send upstream to publishers,
/// and what the control plane may want to know. Everything else in the compound was terminated.
///
/// Keep one value and call ``removeAll()`` before each compound: the arrays keep their capacity.
public struct RTCPPolicyResult: Hashable, Sendable {
    /// One feedback packet for a publisher, already translated to its SSRCs and sequence numbers.
    public struct Upstream: Hashable, Sendable {
        /// The publisher to send it to (inside the relay's next RTCP compound on its transport).
        public var publisher: RoutingParticipantID
        /// A PLI, FIR or generic NACK whose sender SSRC is the relay's reporter SSRC.
        public var packet: RTCPPacket

        /// Makes an upstream item.
        public init(publisher: RoutingParticipantID, packet: RTCPPacket) {
            self.publisher = publisher
            self.packet = packet
        }
    }

    /// Feedback to forward to publishers, in the order decided.
    public var upstream: [Upstream] = []
    /// The last REMB bitrate (bits per second) in the compound, for the relay's own bandwidth
    /// estimation; the REMB itself is not forwarded.
    public var estimatedBitrate: UInt64?
    /// Tracks whose publisher sent a BYE for its own media SSRC. (A BYE for any SSRC the sender
    /// does not own has no effect at all.)
    public var goodbyes: [RoutingTrackID] = []

    /// An empty result.
    public init() {}

    /// Empties the result, keeping the arrays' capacity.
    public mutating func removeAll() {
        self.upstream.removeAll(keepingCapacity: true)
        self.estimatedBitrate = nil
        self.goodbyes.removeAll(keepingCapacity: true)
    }
}
