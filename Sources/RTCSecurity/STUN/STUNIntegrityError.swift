internal import COpenSSL

/// An error from signing a STUN message or setting up STUN integrity checking.
///
/// Verification never throws: a message that cannot be verified for any reason is simply not
/// authentic (see ``STUNAuthenticator``). Equality is by ``code``.
public struct STUNIntegrityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case library
            case emptyKey
            case invalidLayout
            case wire
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// OpenSSL failed (fetching HMAC, creating a context, computing the MAC); ``message`` holds
        /// OpenSSL's text.
        public static let library = Code(.library)
        /// The key (password) is empty. Refused because OpenSSL's HMAC treats an empty key as
        /// "keep the previous key", which would sign with another participant's password.
        public static let emptyKey = Code(.emptyKey)
        /// The integrity layout does not describe a 20-byte MESSAGE-INTEGRITY inside these bytes.
        public static let invalidLayout = Code(.invalidLayout)
        /// Building the message (MESSAGE-INTEGRITY or FINGERPRINT) failed; ``message`` holds the
        /// `WireError`.
        public static let wire = Code(.wire)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .library: return "library"
            case .emptyKey: return "emptyKey"
            case .invalidLayout: return "invalidLayout"
            case .wire: return "wire"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// What Parley was doing, such as `"EVP_MAC_init"`.
    public let operation: StaticString
    /// OpenSSL's error text, or the underlying error's description; empty if there is none.
    public let message: String

    init(_ code: Code, _ operation: StaticString, message: String = "") {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// An error for a failed OpenSSL call, with the text of the oldest queued OpenSSL error. Clears
    /// the thread's OpenSSL error queue, which is shared with DTLS on the same thread: a stale entry
    /// there would make a later `SSL_get_error` misreport.
    static func library(_ operation: StaticString) -> STUNIntegrityError {
        let code = ERR_get_error()
        var text = ""
        if code != 0 {
            text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
                guard let base = buffer.baseAddress else { return "" }
                ERR_error_string_n(code, base, buffer.count)
                return String(cString: base)
            }
        }
        ERR_clear_error()
        return STUNIntegrityError(.library, operation, message: text)
    }

    /// `operation failed: code (message)`.
    public var description: String {
        self.message.isEmpty
            ? "\(self.operation) failed: \(self.code)" : "\(self.operation) failed: \(self.code) (\(self.message))"
    }

    public static func == (lhs: STUNIntegrityError, rhs: STUNIntegrityError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
