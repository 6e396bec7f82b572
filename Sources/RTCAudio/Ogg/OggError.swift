/// An error from ``OggOpusWriter``: a setting or packet it refuses, a call after ``OggOpusWriter/finish(into:)``,
/// or a failure inside libogg.
///
/// Equality is by ``code``; ``reason`` says more for a log line. Reading pages back
/// (``OggPageScan``, ``OggPage``) reports `WireError` instead, like every other parser of untrusted bytes.
public struct OggError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case invalidArgument
            case invalidPacket
            case finished
            case libogg
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A setting is out of range: channels other than 1 or 2, a pre-skip over 65 535, a malformed
        /// user comment, a header too large for its length fields.
        public static let invalidArgument = Code(.invalidArgument)
        /// The packet is not an Opus packet whose duration can be read (empty, or a malformed TOC).
        public static let invalidPacket = Code(.invalidPacket)
        /// The stream was already finished: nothing more can be written to it.
        public static let finished = Code(.finished)
        /// libogg failed (it could not allocate, or its stream state is in error).
        public static let libogg = Code(.libogg)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .invalidArgument: return "invalidArgument"
            case .invalidPacket: return "invalidPacket"
            case .finished: return "finished"
            case .libogg: return "libogg"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// Which setting or call, for example `"pre-skip over 65535"`.
    public let reason: StaticString

    /// Makes an error.
    public init(_ code: Code, _ reason: StaticString) {
        self.code = code
        self.reason = reason
    }

    /// `invalidArgument: pre-skip over 65535`.
    public var description: String {
        "\(self.code): \(self.reason)"
    }

    /// Equal when the codes are equal (the text is for people, not for matching).
    public static func == (lhs: OggError, rhs: OggError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
