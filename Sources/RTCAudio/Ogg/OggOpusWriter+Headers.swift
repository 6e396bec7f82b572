// The two header packets of an Ogg Opus stream (RFC 7845 section 5), built once per file.

extension OggOpusWriter {
    /// The OpusHead packet (RFC 7845 section 5.1) for channel mapping family 0: 19 bytes.
    static func opusHead(_ configuration: Configuration) throws(OggError) -> [UInt8] {
        guard configuration.channels == 1 || configuration.channels == 2 else {
            throw OggError(.invalidArgument, "channels other than 1 or 2")
        }
        guard let preSkip = UInt16(exactly: configuration.preSkip) else {
            throw OggError(.invalidArgument, "pre-skip outside 0...65535")
        }
        var head: [UInt8] = Array("OpusHead".utf8)
        head.reserveCapacity(19)
        head.append(1)  // version
        head.append(UInt8(configuration.channels))
        head.appendLittleEndian(preSkip)
        head.appendLittleEndian(UInt32(Opus.sampleRate))  // input sample rate, informational
        head.appendLittleEndian(UInt16(0))  // output gain, Q7.8 dB
        head.append(0)  // channel mapping family 0: mono or stereo, no mapping table
        return head
    }

    /// The OpusTags packet (RFC 7845 section 5.2): vendor `Parley <version>`, then the comments
    /// `ROOM`, `START`, `ENCODER` and the caller's.
    static func opusTags(_ configuration: Configuration) throws(OggError) -> [UInt8] {
        for comment in configuration.comments {
            guard Self.isValidComment(comment) else {
                throw OggError(.invalidArgument, "comment is not NAME=value")
            }
        }
        let vendor = "Parley \(configuration.version)"
        let comments =
            [
                "ROOM=\(configuration.room)",
                "START=\(configuration.startTime)",
                "ENCODER=\(vendor)",
            ] + configuration.comments
        var tags: [UInt8] = Array("OpusTags".utf8)
        try Self.appendString(vendor, to: &tags)
        guard let count = UInt32(exactly: comments.count) else {
            throw OggError(.invalidArgument, "too many comments")
        }
        tags.appendLittleEndian(count)
        for comment in comments {
            try Self.appendString(comment, to: &tags)
        }
        return tags
    }

    // A 32-bit little-endian length, then the UTF-8 bytes.
    private static func appendString(_ string: String, to tags: inout [UInt8]) throws(OggError) {
        let bytes = Array(string.utf8)
        guard let length = UInt32(exactly: bytes.count) else {
            throw OggError(.invalidArgument, "comment longer than 4 GiB")
        }
        tags.appendLittleEndian(length)
        tags.append(contentsOf: bytes)
    }

    // Vorbis comment rule: a non-empty field name of ASCII 0x20 to 0x7D except '=', then '='.
    private static func isValidComment(_ comment: String) -> Bool {
        guard let equals = comment.utf8.firstIndex(of: UInt8(ascii: "=")) else { return false }
        let name = comment.utf8[..<equals]
        return !name.isEmpty && name.allSatisfy { (0x20...0x7D).contains($0) }
    }
}
