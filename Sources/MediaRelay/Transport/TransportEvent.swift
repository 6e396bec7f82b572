public import RTCSecurity

/// A change in a ``Transport`` its owner acts on and logs. Every state transition produces one.
public enum TransportEvent: Hashable, Sendable, CustomStringConvertible {
    /// The first authenticated Binding request bound this tuple: the transport moved from
    /// ``TransportState/waitingForICE`` to ``TransportState/dtls``. Route the tuple's DTLS, RTP
    /// and RTCP to this transport (``TransportDemux/apply(_:for:)`` does it).
    case bound(RelayAddress)
    /// An authenticated nomination (USE-CANDIDATE) from another tuple moved the transport there:
    /// route the new tuple to it and forget the old one.
    case switched(from: RelayAddress, to: RelayAddress)
    /// DTLS completed and SRTP sessions with this profile are installed: the transport moved to
    /// ``TransportState/connected``.
    case connected(SRTPProfile)
    /// No authenticated Binding request from the bound tuple within the consent timeout:
    /// ``Transport/canSend`` is now false. A ``closed(_:)`` follows in the same output.
    case consentExpired
    /// The transport closed (final): remove its credentials and tuple, report the reason.
    case closed(TransportCloseReason)

    /// A short text for logs.
    public var description: String {
        switch self {
        case .bound(let address): return "bound(\(address))"
        case .switched(let from, let to): return "switched(\(from) -> \(to))"
        case .connected(let profile): return "connected(\(profile))"
        case .consentExpired: return "consentExpired"
        case .closed(let reason): return "closed(\(reason))"
        }
    }
}
