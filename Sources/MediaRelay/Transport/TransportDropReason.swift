/// Why a ``Transport`` dropped a datagram, received or to be sent. Each is counted in
/// ``TransportCounters``.
public enum TransportDropReason: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RTP or RTCP before the transport is connected: no SRTP keys exist yet.
    case mediaBeforeConnected
    /// RTP or RTCP from a tuple other than the bound one. The relay never learns an address from
    /// media: only an authenticated Binding request moves the transport.
    case mediaFromUnboundTuple
    /// SRTP or SRTCP that failed to unprotect (authentication, replay, unknown SSRC, length).
    /// The session is unchanged by such a packet.
    case srtpUnprotectFailed
    /// DTLS before any tuple is bound.
    case dtlsBeforeICE
    /// DTLS from a tuple other than the bound one.
    case dtlsFromUnboundTuple
    /// Anything received after the transport closed.
    case closed
    /// A datagram the transport would have sent, withheld because it may not send (no consent).
    case sendWithoutConsent
    /// An authenticated Binding request for another transport (a routing mistake by the caller).
    case misroutedBindingRequest

    /// The case's name, as it appears in logs and metrics.
    public var description: String {
        switch self {
        case .mediaBeforeConnected: return "mediaBeforeConnected"
        case .mediaFromUnboundTuple: return "mediaFromUnboundTuple"
        case .srtpUnprotectFailed: return "srtpUnprotectFailed"
        case .dtlsBeforeICE: return "dtlsBeforeICE"
        case .dtlsFromUnboundTuple: return "dtlsFromUnboundTuple"
        case .closed: return "closed"
        case .sendWithoutConsent: return "sendWithoutConsent"
        case .misroutedBindingRequest: return "misroutedBindingRequest"
        }
    }
}
