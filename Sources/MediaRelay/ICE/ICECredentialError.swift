/// Why ``ICELiteResponder/addCredentials(_:)`` refused a set of credentials.
///
/// Equality is by ``code``; the reason is for logs.
public struct ICECredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case invalidUfrag
            case invalidPassword
            case duplicateUfrag
            case tableFull
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A ufrag is empty, too short or long, or holds a character that is not an ice-char.
        public static let invalidUfrag = Code(.invalidUfrag)
        /// The password is shorter than 22 or longer than 256 bytes, or holds a non-ice-char.
        public static let invalidPassword = Code(.invalidPassword)
        /// Another transport already uses this local ufrag.
        public static let duplicateUfrag = Code(.duplicateUfrag)
        /// The responder already holds ``ICELiteResponder/Configuration/maximumCredentials``.
        public static let tableFull = Code(.tableFull)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .invalidUfrag: return "invalidUfrag"
            case .invalidPassword: return "invalidPassword"
            case .duplicateUfrag: return "duplicateUfrag"
            case .tableFull: return "tableFull"
            }
        }
    }

    /// What was wrong.
    public let code: Code
    /// A sentence for the log.
    public let reason: StaticString

    init(_ code: Code, _ reason: StaticString) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String {
        "\(self.code): \(self.reason)"
    }

    /// Equal when the codes are equal (the text is for people, not for matching).
    public static func == (lhs: ICECredentialError, rhs: ICECredentialError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
