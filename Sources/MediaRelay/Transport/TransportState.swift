/// Where a ``Transport`` is in its life: ICE, then DTLS, then SRTP media, then closed.
public enum TransportState: Hashable, Sendable, CustomStringConvertible {
    /// Created; no authenticated Binding request yet. Nothing is sent and only STUN is answered
    /// (by the ``ICELiteResponder``).
    case waitingForICE
    /// A tuple is bound; the DTLS handshake (relay as server) runs with it alone.
    case dtls
    /// The handshake completed with the signalled fingerprint and SRTP sessions are installed:
    /// media from the bound tuple is accepted.
    case connected
    /// Closed (final): every resource is released and everything received is dropped.
    case closed(TransportCloseReason)

    /// The state's name, with the reason when closed.
    public var description: String {
        switch self {
        case .waitingForICE: return "waitingForICE"
        case .dtls: return "dtls"
        case .connected: return "connected"
        case .closed(let reason): return "closed(\(reason))"
        }
    }
}
