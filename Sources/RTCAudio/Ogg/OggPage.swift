public import RTCWire

/// One Ogg page (RFC 3533 section 6) as found in a byte buffer: its header fields and where its
/// parts lie. It holds offsets, not bytes: pass the same buffer again to read the body.
///
/// Parse pages with ``OggPageScan``, which walks a whole file, or one at a time with
/// ``init(parsing:at:)``. Parsing checks the capture pattern, the version, every length and the
/// CRC; it never traps on malformed input.
public struct OggPage: Sendable, Hashable {
    /// The largest page: a 27-byte header, 255 lacing values, 255 segments of 255 bytes.
    public static let maximumLength = 27 + 255 + 255 * 255

    /// Where the page starts in the buffer it was parsed from.
    public let offset: Int
    /// The header's length: 27 bytes plus one lacing value per segment.
    public let headerLength: Int
    /// The body's length: the sum of the lacing values.
    public let bodyLength: Int
    /// The header type flags: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream.
    public let headerType: UInt8
    /// The granule position: for Opus, 48 kHz samples up to the end of the last packet completed
    /// on this page, pre-skip included; -1 when no packet ends on the page.
    public let granulePosition: Int64
    /// The logical stream's serial number.
    public let serialNumber: UInt32
    /// The page's sequence number within its logical stream, from 0.
    public let sequenceNumber: UInt32
    /// The CRC stored in the page (checked equal to the computed one).
    public let checksum: UInt32
    /// The number of lacing values (segments), 0 to 255.
    public let segmentCount: Int
    /// The number of packets that end on this page (lacing values below 255).
    public let completedPacketCount: Int

    /// The page's total length.
    public var length: Int { self.headerLength + self.bodyLength }
    /// Where the page ends in the buffer: the offset of the next page.
    public var endOffset: Int { self.offset + self.length }
    /// The body's bytes in the buffer.
    public var bodyRange: Range<Int> { (self.offset + self.headerLength)..<self.endOffset }
    /// The first packet on the page continues one from the previous page.
    public var isContinuation: Bool { self.headerType & 0x01 != 0 }
    /// The first page of a logical stream (BOS).
    public var isBeginningOfStream: Bool { self.headerType & 0x02 != 0 }
    /// The last page of a logical stream (EOS).
    public var isEndOfStream: Bool { self.headerType & 0x04 != 0 }

    /// Parses and checks the page that starts at `offset` in `bytes`.
    ///
    /// - Throws: `WireError` with code `truncated` when `bytes` ends before the page does (the
    ///   usual tail of a recording cut short), `invalidValue` when the capture pattern `OggS` is
    ///   not at `offset`, `invalidVersion` for a stream structure version other than 0,
    ///   `invalidChecksum` when the CRC does not match. The error's offset is where the page starts.
    public init(parsing bytes: Span<UInt8>, at offset: Int) throws(WireError) {
        guard offset >= 0, offset <= bytes.count else {
            throw WireError(.invalidValue, "Ogg page offset", offset: offset)
        }
        let available = bytes.count - offset
        // The capture pattern first, so that garbage reads as garbage rather than as a short page.
        for (index, expected) in zip(0..<min(4, available), "OggS".utf8) where bytes[offset + index] != expected {
            throw WireError(.invalidValue, "Ogg capture pattern", offset: offset)
        }
        guard available >= 27 else {
            throw WireError(.truncated, "Ogg page header", offset: offset)
        }
        guard bytes[offset + 4] == 0 else {
            throw WireError(.invalidVersion, "Ogg stream structure version", offset: offset)
        }
        let segmentCount = Int(bytes[offset + 26])
        let headerLength = 27 + segmentCount
        guard available >= headerLength else {
            throw WireError(.truncated, "Ogg segment table", offset: offset)
        }
        var bodyLength = 0
        var completed = 0
        for index in 0..<segmentCount {
            let lacing = Int(bytes[offset + 27 + index])
            bodyLength += lacing
            if lacing < 255 { completed += 1 }
        }
        guard available >= headerLength + bodyLength else {
            throw WireError(.truncated, "Ogg page body", offset: offset)
        }
        let stored = bytes.littleEndianUInt32(at: offset + 22)
        let computed = OggChecksum.compute(
            bytes,
            range: offset..<(offset + headerLength + bodyLength),
            zeroing: (offset + 22)..<(offset + 26)
        )
        guard stored == computed else {
            throw WireError(.invalidChecksum, "Ogg page CRC", offset: offset)
        }
        self.offset = offset
        self.headerLength = headerLength
        self.bodyLength = bodyLength
        self.headerType = bytes[offset + 5]
        self.granulePosition = Int64(bitPattern: bytes.littleEndianUInt64(at: offset + 6))
        self.serialNumber = bytes.littleEndianUInt32(at: offset + 14)
        self.sequenceNumber = bytes.littleEndianUInt32(at: offset + 18)
        self.checksum = stored
        self.segmentCount = segmentCount
        self.completedPacketCount = completed
    }

    /// Parses and checks the page at `offset` of an array: for tests and tools.
    public init(parsing bytes: [UInt8], at offset: Int) throws(WireError) {
        try self.init(parsing: bytes.span, at: offset)
    }

    /// The packets, or parts of packets, on this page, in order: byte ranges in the buffer the page
    /// was parsed from (which must be passed again), and whether each ends on this page.
    ///
    /// The first part continues a packet from the previous page when ``isContinuation``; a last
    /// part that does not end here continues on the next page.
    public func packets(in bytes: Span<UInt8>) -> [(range: Range<Int>, isComplete: Bool)] {
        var parts: [(range: Range<Int>, isComplete: Bool)] = []
        var start = self.offset + self.headerLength
        var end = start
        for index in 0..<self.segmentCount {
            let lacing = Int(bytes[self.offset + 27 + index])
            end += lacing
            if lacing < 255 {
                parts.append((start..<end, true))
                start = end
            }
        }
        if end > start || (self.segmentCount > 0 && bytes[self.offset + 26 + self.segmentCount] == 255) {
            parts.append((start..<end, false))
        }
        return parts
    }
}
