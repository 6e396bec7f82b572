internal import COpus

/// Facts about the linked libopus, and the Opus constants Parley uses.
public enum Opus {
    /// libopus's version string, for example `"libopus 1.3.1"`.
    public static var version: String {
        String(cString: opus_get_version_string())
    }

    /// Opus in WebRTC always runs its RTP clock at 48 kHz.
    public static let sampleRate: Int = 48_000

    /// Samples per channel in one 20 ms frame at 48 kHz, the packet time Parley sends.
    public static let samplesPer20ms: Int = 960

    /// The largest packet libopus produces for one frame (RFC 6716 section 3.4, rule R5).
    public static let maxPacketSize: Int = 1275

    /// Samples per channel at 48 kHz in one Opus packet, read from its TOC and frame count.
    ///
    /// - Throws: ``OpusError`` with ``OpusError/Code/invalidPacket`` for an empty or malformed packet.
    public static func sampleCount(ofPacket packet: Span<UInt8>) throws(OpusError) -> Int {
        guard !packet.isEmpty else {
            throw OpusError.from(OPUS_INVALID_PACKET, operation: "opus_packet_get_nb_samples")
        }
        let result = packet.withUnsafeBufferPointer { bytes in
            // Not empty (checked above), so the base address exists.
            guard let base = bytes.baseAddress else { return OPUS_INVALID_PACKET }
            return opus_packet_get_nb_samples(base, opus_int32(bytes.count), opus_int32(Self.sampleRate))
        }
        guard result >= 0 else {
            throw OpusError.from(result, operation: "opus_packet_get_nb_samples")
        }
        return Int(result)
    }
}

extension OpusError {
    /// Wraps a negative libopus return value with libopus's own text.
    static func from(_ status: Int32, operation: StaticString) -> OpusError {
        OpusError(
            code: Code(rawValue: status),
            operation: operation,
            message: Self.text(for: status)
        )
    }

    /// libopus's text for a status, as `opus_strerror` in libopus 1.3 returns it (a test checks
    /// the two agree), kept static so that making an error allocates nothing.
    static func text(for status: Int32) -> StaticString {
        switch status {
        case OPUS_OK: return "success"
        case OPUS_BAD_ARG: return "invalid argument"
        case OPUS_BUFFER_TOO_SMALL: return "buffer too small"
        case OPUS_INTERNAL_ERROR: return "internal error"
        case OPUS_INVALID_PACKET: return "corrupted stream"
        case OPUS_UNIMPLEMENTED: return "request not implemented"
        case OPUS_INVALID_STATE: return "invalid state"
        case OPUS_ALLOC_FAIL: return "memory allocation failed"
        default: return "unknown error"
        }
    }

    /// libopus's own text for a status (`opus_strerror`), for the test that keeps ``text(for:)``
    /// honest.
    static func libraryText(for status: Int32) -> String {
        String(cString: opus_strerror(status))
    }
}
