/// Why ``ICELiteResponder`` did not accept a STUN datagram as an authenticated Binding request.
///
/// Every rejection creates no state; whether a small error response was written depends on the
/// reason (see each case), the responder's configuration and the rate limit.
public enum ICERejection: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Larger than ``RelayLimits/maximumDatagramSize``: dropped unread, never answered.
    case tooLarge
    /// Not a well-formed STUN message. Answered with 400 only when its 20-byte header is that of a
    /// Binding request with a consistent length (so the sender is plausibly a STUN agent).
    case malformed
    /// The FINGERPRINT does not match: not STUN after all (RFC 8489 section 7.3). Never answered.
    case badFingerprint
    /// A STUN method other than Binding. Never answered.
    case notBinding
    /// A Binding indication (a keepalive that expects nothing). Never answered.
    case indication
    /// A Binding response: the relay sends no requests, so none is expected. Never answered.
    case unexpectedResponse
    /// A Binding request without USERNAME or MESSAGE-INTEGRITY: answered 400.
    case missingCredentials
    /// USERNAME is not `<known local ufrag>:<expected remote ufrag>`: answered 401.
    case unknownUsername
    /// MESSAGE-INTEGRITY does not verify with the local password: answered 401.
    case badIntegrity
    /// Authenticated, but it carries a comprehension-required attribute the relay does not know:
    /// answered with a signed 420 listing it.
    case unknownRequiredAttribute
    /// Authenticated, but the response could not be built (cannot happen with valid credentials;
    /// counted rather than trapped). Nothing is sent.
    case internalError

    /// The case's name, as it appears in logs and metrics.
    public var description: String {
        switch self {
        case .tooLarge: return "tooLarge"
        case .malformed: return "malformed"
        case .badFingerprint: return "badFingerprint"
        case .notBinding: return "notBinding"
        case .indication: return "indication"
        case .unexpectedResponse: return "unexpectedResponse"
        case .missingCredentials: return "missingCredentials"
        case .unknownUsername: return "unknownUsername"
        case .badIntegrity: return "badIntegrity"
        case .unknownRequiredAttribute: return "unknownRequiredAttribute"
        case .internalError: return "internalError"
        }
    }
}
