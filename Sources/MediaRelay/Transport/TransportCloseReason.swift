public import RTCSecurity

/// Why a ``Transport`` closed. Reported once, in ``TransportEvent/closed(_:)``, and kept in
/// ``TransportState/closed(_:)``.
public enum TransportCloseReason: Hashable, Sendable, CustomStringConvertible {
    /// ICE and DTLS did not complete within ``RelayLimits/connectTimeoutSeconds`` of creation.
    case connectTimeout
    /// No authenticated Binding request from the bound tuple for
    /// ``RelayLimits/consentTimeoutSeconds`` (RFC 7675): sending stopped, then the transport closed.
    case consentExpired
    /// The DTLS handshake or connection failed (a fingerprint mismatch, no common SRTP profile,
    /// an alert, too many retransmissions, ...). No keys were installed, or they were discarded.
    case dtlsFailed(DTLSError)
    /// The peer closed DTLS (`close_notify`).
    case dtlsClosedByPeer
    /// SRTP sessions could not be created from the exported keys.
    case srtpFailed(SRTPError)
    /// The control plane removed the transport (``Transport/close(now:)``).
    case removed

    /// A short text for logs, such as `dtlsFailed(fingerprintMismatch: ...)`.
    public var description: String {
        switch self {
        case .connectTimeout: return "connectTimeout"
        case .consentExpired: return "consentExpired"
        case .dtlsFailed(let error): return "dtlsFailed(\(error))"
        case .dtlsClosedByPeer: return "dtlsClosedByPeer"
        case .srtpFailed(let error): return "srtpFailed(\(error))"
        case .removed: return "removed"
        }
    }
}
