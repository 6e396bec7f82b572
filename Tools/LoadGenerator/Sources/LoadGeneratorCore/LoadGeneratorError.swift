/// A failure of the load generator itself (bad arguments, an unusable answer, a socket it could
/// not open), with a sentence saying what to do. Equality is by ``code``.
public struct LoadGeneratorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The code's name.
        public let rawValue: String
        /// A code by name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }
        /// The server's SDP answer cannot be used.
        public static let badAnswer = Code(rawValue: "bad_answer")
        /// A system call failed (the message names it and errno).
        public static let system = Code(rawValue: "system")
        /// A scenario or command-line value is out of range.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// A token could not be minted or read.
        public static let token = Code(rawValue: "token")
        /// A signaling message could not be encoded or decoded.
        public static let signaling = Code(rawValue: "signaling")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong and what to do.
    public let message: String

    /// An error of `code` with `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String {
        "\(self.code.rawValue): \(self.message)"
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: LoadGeneratorError, rhs: LoadGeneratorError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
