/// The error code of a STUN ERROR-CODE attribute (RFC 8489 section 14.8): 300-699.
///
/// On the wire it is split into a class (the hundreds, 3-6) and a number (0-99); ``rawValue`` is
/// `class * 100 + number`.
public struct STUNErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// `class * 100 + number`, 300-699.
    public let rawValue: Int

    /// Creates a code.
    ///
    /// - Returns: `nil` outside 300-699, which ERROR-CODE cannot carry.
    public init?(rawValue: Int) {
        guard (300...699).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(known rawValue: Int) {
        self.rawValue = rawValue
    }

    /// 300 Try Alternate.
    public static let tryAlternate = STUNErrorCode(known: 300)
    /// 400 Bad Request: malformed, or USERNAME or MESSAGE-INTEGRITY missing (RFC 8489 section 9.1.3).
    public static let badRequest = STUNErrorCode(known: 400)
    /// 401 Unauthenticated: MESSAGE-INTEGRITY does not verify, or the USERNAME is unknown.
    public static let unauthenticated = STUNErrorCode(known: 401)
    /// 403 Forbidden.
    public static let forbidden = STUNErrorCode(known: 403)
    /// 420 Unknown Attribute: a comprehension-required attribute was not understood.
    public static let unknownAttribute = STUNErrorCode(known: 420)
    /// 438 Stale Nonce.
    public static let staleNonce = STUNErrorCode(known: 438)
    /// 487 Role Conflict (RFC 8445 section 7.3.1.1): both agents claim the same ICE role.
    public static let roleConflict = STUNErrorCode(known: 487)
    /// 500 Server Error.
    public static let serverError = STUNErrorCode(known: 500)

    /// The hundreds digit, 3-6, as the attribute's Class field carries it.
    public var errorClass: Int {
        self.rawValue / 100
    }

    /// The remainder, 0-99, as the attribute's Number field carries it.
    public var number: Int {
        self.rawValue % 100
    }

    /// The RFC's reason phrase for the recognised codes, `"Error"` otherwise. String literals are
    /// static, so using this allocates nothing.
    public var defaultReason: String {
        switch self.rawValue {
        case 300: return "Try Alternate"
        case 400: return "Bad Request"
        case 401: return "Unauthenticated"
        case 403: return "Forbidden"
        case 420: return "Unknown Attribute"
        case 438: return "Stale Nonce"
        case 487: return "Role Conflict"
        case 500: return "Server Error"
        default: return "Error"
        }
    }

    /// The number, such as `401`.
    public var description: String {
        String(self.rawValue)
    }
}
