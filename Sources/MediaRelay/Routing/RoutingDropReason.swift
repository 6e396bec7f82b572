/// Why the relay did not forward an RTP packet (to anyone, or to one subscriber): the per-reason
/// drop counters of ``Forwarder`` are indexed by it, and the packet path reports it instead of
/// throwing.
///
/// New reasons may be added: switch over it with a `default`.
public enum RoutingDropReason: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// No publisher in the table negotiated the packet's SSRC.
    case unknownSSRC
    /// The SSRC belongs to another participant than the one the packet came from (SSRC hijack).
    case ssrcOwnedByAnotherParticipant
    /// The publisher sent a payload type it did not negotiate.
    case payloadTypeNotNegotiatedByPublisher
    /// The stream is accepted but not forwarded (FEC).
    case streamNotForwarded
    /// The subscriber's delivery of the track is paused.
    case paused
    /// The subscriber did not negotiate the packet's payload type.
    case payloadTypeNotNegotiated
    /// A retransmission for a subscriber that did not negotiate RTX.
    case retransmissionNotNegotiated
    /// A retransmission whose payload is too short to hold the original sequence number.
    case malformedRetransmission
    /// A retransmission of a packet this subscriber was never sent (or was sent from an earlier
    /// source), so its sequence number cannot be translated.
    case retransmissionNotTranslatable
    /// The packet belongs before the subscriber's current source began (a late packet from before a
    /// switch or restart): forwarding it would repeat or reorder sequence numbers already used.
    case stale
    /// The subscriber was already sent this sequence number.
    case duplicate
    /// The packet is older than the reordering window (64 packets) behind the newest one sent.
    case tooOld
    /// The sequence number or timestamp jumped as if the publisher restarted, and the next packet
    /// has not yet confirmed it (RFC 3550 appendix A.1): the stream re-bases on confirmation.
    case unconfirmedRestart
    /// The destination buffer cannot hold the packet plus the SRTP trailer.
    case destinationTooSmall

    /// The case name, as it appears in logs and metric labels.
    public var description: String {
        switch self {
        case .unknownSSRC: return "unknownSSRC"
        case .ssrcOwnedByAnotherParticipant: return "ssrcOwnedByAnotherParticipant"
        case .payloadTypeNotNegotiatedByPublisher: return "payloadTypeNotNegotiatedByPublisher"
        case .streamNotForwarded: return "streamNotForwarded"
        case .paused: return "paused"
        case .payloadTypeNotNegotiated: return "payloadTypeNotNegotiated"
        case .retransmissionNotNegotiated: return "retransmissionNotNegotiated"
        case .malformedRetransmission: return "malformedRetransmission"
        case .retransmissionNotTranslatable: return "retransmissionNotTranslatable"
        case .stale: return "stale"
        case .duplicate: return "duplicate"
        case .tooOld: return "tooOld"
        case .unconfirmedRestart: return "unconfirmedRestart"
        case .destinationTooSmall: return "destinationTooSmall"
        }
    }
}
