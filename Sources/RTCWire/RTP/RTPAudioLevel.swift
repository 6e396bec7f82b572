/// The client-to-mixer audio level header extension (RFC 6464): a voice-activity flag and the
/// level of the audio in the packet, in -dBov.
///
/// The value is one byte: the V bit, then a 7-bit level from 0 (loudest, 0 dBov) to 127 (silence,
/// -127 dBov or quieter). SDP name: ``RTPHeaderExtensionURI/audioLevel``. The mixer uses it to pick
/// the loudest speakers without decoding.
public struct RTPAudioLevel: Hashable, Sendable {
    /// The V bit: whether the sender's voice activity detector found speech (false when it does
    /// not run a detector).
    public let voiceActivity: Bool

    /// The level in -dBov, 0 (loudest) to 127 (silence).
    public let level: UInt8

    /// The length of the value in bytes.
    public static let valueLength = 1

    /// Makes an audio level.
    ///
    /// - Parameters:
    ///   - level: the level in -dBov; values above 127 mean quieter than -127 dBov and are stored as
    ///     127, which RFC 6464 defines as silence.
    ///   - voiceActivity: the V bit.
    @inlinable
    public init(level: UInt8, voiceActivity: Bool) {
        self.level = min(level, 127)
        self.voiceActivity = voiceActivity
    }

    /// Reads an audio level from an element's value bytes (`bytes.extracting(element.valueRange)`).
    ///
    /// - Throws: ``WireError/Code/invalidLength`` unless the value is exactly one byte.
    @inlinable
    public init(parsing value: Span<UInt8>) throws(WireError) {
        guard value.count == Self.valueLength else {
            throw WireError(.invalidLength, "RTP audio level extension length", offset: value.count)
        }
        self.init(byte: value[0])
    }

    /// Reads an audio level from its one-byte encoding.
    @inlinable
    public init(byte: UInt8) {
        self.voiceActivity = byte & 0x80 != 0
        self.level = byte & 0x7F
    }

    /// The one-byte encoding: the V bit, then the level.
    @inlinable
    public var byte: UInt8 {
        (self.voiceActivity ? 0x80 : 0) | self.level
    }

    /// The level in dBov, from 0 down to -127.
    @inlinable
    public var dBov: Int {
        -Int(self.level)
    }
}
