/// What a ``Transport`` made of one received RTP or RTCP packet.
public enum TransportMediaResult: Hashable, Sendable {
    /// The packet came from the bound tuple of a connected transport and unprotected: the buffer
    /// now holds the plain packet of this length.
    case accepted(length: Int)
    /// The packet was dropped (and counted); the buffer's contents must not be used.
    case dropped(TransportDropReason)
}
