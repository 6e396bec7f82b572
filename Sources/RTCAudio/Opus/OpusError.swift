/// An error returned by libopus, with its code and libopus's own text.
///
/// Equality is by ``code``. Untrusted packets that libopus rejects give ``Code/invalidPacket``:
/// the mixer counts them and conceals the frame instead of failing.
public struct OpusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A libopus error code (`OPUS_BAD_ARG`, `OPUS_INVALID_PACKET`, ...).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw libopus value (negative).
        public let rawValue: Int32

        /// Creates a code from libopus's raw value.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `OPUS_BAD_ARG`: an argument was invalid or out of range (a frame size, a rate).
        public static let badArgument = Code(rawValue: -1)
        /// `OPUS_BUFFER_TOO_SMALL`: the output buffer cannot hold the result.
        public static let bufferTooSmall = Code(rawValue: -2)
        /// `OPUS_INTERNAL_ERROR`.
        public static let internalError = Code(rawValue: -3)
        /// `OPUS_INVALID_PACKET`: the packet is corrupted or breaks RFC 6716 section 3.4.
        public static let invalidPacket = Code(rawValue: -4)
        /// `OPUS_UNIMPLEMENTED`: the request is not supported.
        public static let unimplemented = Code(rawValue: -5)
        /// `OPUS_INVALID_STATE`: the encoder or decoder state is corrupted.
        public static let invalidState = Code(rawValue: -6)
        /// `OPUS_ALLOC_FAIL`: libopus could not allocate memory.
        public static let allocationFailed = Code(rawValue: -7)

        /// The libopus constant's name, such as `OPUS_INVALID_PACKET`.
        public var description: String {
            switch self.rawValue {
            case -1: return "OPUS_BAD_ARG"
            case -2: return "OPUS_BUFFER_TOO_SMALL"
            case -3: return "OPUS_INTERNAL_ERROR"
            case -4: return "OPUS_INVALID_PACKET"
            case -5: return "OPUS_UNIMPLEMENTED"
            case -6: return "OPUS_INVALID_STATE"
            case -7: return "OPUS_ALLOC_FAIL"
            default: return "OPUS_ERROR(\(self.rawValue))"
            }
        }
    }

    /// The libopus code.
    public let code: Code
    /// What Parley was doing, such as `"opus_encode"`.
    public let operation: StaticString
    /// What went wrong in words: libopus's own text for the code (what `opus_strerror` returns),
    /// or Parley's when Parley refused an argument before calling libopus. A static string, so
    /// that rejecting a flood of malformed packets allocates nothing.
    public let message: StaticString

    /// `operation failed: OPUS_INVALID_PACKET (corrupted stream)`.
    public var description: String {
        "\(self.operation) failed: \(self.code) (\(self.message))"
    }

    /// Equal when the codes are equal (the text is for people, not for matching).
    public static func == (lhs: OpusError, rhs: OpusError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
