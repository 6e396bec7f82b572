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
    /// OpenSSL's error queue at the failure, oldest first, for ``Code/library``; empty otherwise.
    public let openSSLErrors: OpenSSLErrorStack
    /// The source file that raised the error.
    public let file: StaticString
    /// The source line that raised the error.
    public let line: UInt

    init(
        _ code: Code,
        _ operation: StaticString,
        message: String = "",
        openSSLErrors: OpenSSLErrorStack = .empty,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.operation = operation
        self.message = message
        self.openSSLErrors = openSSLErrors
        self.file = file
        self.line = line
    }

    /// An error for a failed OpenSSL call, carrying OpenSSL's error queue, drained. Draining also
    /// matters because the queue is per thread and shared with DTLS: a stale entry there would make
    /// a later `SSL_get_error` misreport.
    static func library(
        _ operation: StaticString,
        file: StaticString = #fileID,
        line: UInt = #line
    ) -> STUNIntegrityError {
        let errors = OpenSSLErrorStack.drain()
        return STUNIntegrityError(
            .library,
            operation,
            message: errors.isEmpty ? "" : errors.description,
            openSSLErrors: errors,
            file: file,
            line: line
        )
    }

    /// `operation failed: code (message)`.
    public var description: String {
        self.message.isEmpty
            ? "\(self.operation) failed: \(self.code)" : "\(self.operation) failed: \(self.code) (\(self.message))"
    }

    /// Whether two errors have the same ``code`` (the other fields are for logs).
    public static func == (lhs: STUNIntegrityError, rhs: STUNIntegrityError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the ``code`` only, as ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
