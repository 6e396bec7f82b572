/// An error from one of RTCWire's parsers or writers: which rule the bytes broke, and where.
///
/// Every parser in RTCWire takes untrusted bytes and throws a `WireError` instead of trapping.
/// Throwing one allocates nothing (its texts are static strings), so the relay can reject a flood of
/// garbage datagrams at no cost beyond the check itself.
///
/// Two errors are equal when their ``code`` is: the ``context``, ``offset`` and source location say
/// more for a log line, but callers should branch on the code only.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule the input broke. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case truncated
            case invalidVersion
            case invalidLength
            case invalidPadding
            case invalidHeaderExtension
            case invalidValue
            case invalidChecksum
            case tooLarge
            case tooMany
            case syntax
            case missingField
            case insufficientSpace
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The input ends before a structure it announces (a header, a length, a count).
        public static let truncated = Code(.truncated)
        /// A protocol version field holds a value this parser does not speak.
        public static let invalidVersion = Code(.invalidVersion)
        /// A length field disagrees with the bytes present (too short, too long, not aligned).
        public static let invalidLength = Code(.invalidLength)
        /// RTP or RTCP padding is zero or larger than the payload it would remove.
        public static let invalidPadding = Code(.invalidPadding)
        /// An RTP header extension block or one of its elements is malformed.
        public static let invalidHeaderExtension = Code(.invalidHeaderExtension)
        /// A field holds a value outside its allowed range.
        public static let invalidValue = Code(.invalidValue)
        /// A checksum (such as the STUN FINGERPRINT) does not match the bytes.
        public static let invalidChecksum = Code(.invalidChecksum)
        /// The input is larger than the limit the parser enforces.
        public static let tooLarge = Code(.tooLarge)
        /// The input holds more items (lines, attributes, sub-packets) than the parser allows.
        public static let tooMany = Code(.tooMany)
        /// Text input (SDP) does not follow the grammar.
        public static let syntax = Code(.syntax)
        /// A field the format requires is absent.
        public static let missingField = Code(.missingField)
        /// A writer was given a buffer too small for what it must write.
        public static let insufficientSpace = Code(.insufficientSpace)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .truncated: return "truncated"
            case .invalidVersion: return "invalidVersion"
            case .invalidLength: return "invalidLength"
            case .invalidPadding: return "invalidPadding"
            case .invalidHeaderExtension: return "invalidHeaderExtension"
            case .invalidValue: return "invalidValue"
            case .invalidChecksum: return "invalidChecksum"
            case .tooLarge: return "tooLarge"
            case .tooMany: return "tooMany"
            case .syntax: return "syntax"
            case .missingField: return "missingField"
            case .insufficientSpace: return "insufficientSpace"
            }
        }
    }

    /// The rule that was broken.
    public let code: Code
    /// What was being read or written when it failed, for example `"RTP header extension"`.
    public let context: StaticString
    /// Where it failed: a byte offset into binary input, or a 1-based line number in SDP text.
    public let offset: Int
    /// The source file of the check that failed.
    public let file: StaticString
    /// The source line of the check that failed.
    public let line: UInt

    /// Makes an error; parsers call this at the failing check.
    @inlinable
    public init(
        _ code: Code,
        _ context: StaticString,
        offset: Int = 0,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.context = context
        self.offset = offset
        self.file = file
        self.line = line
    }

    /// A one-line explanation, such as `truncated: RTP header (offset 5)`.
    public var description: String {
        "\(self.code): \(self.context) (offset \(self.offset))"
    }

    public static func == (lhs: WireError, rhs: WireError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
