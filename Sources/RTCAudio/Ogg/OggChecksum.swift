/// The CRC-32 of Ogg pages (RFC 3533 section 6): polynomial 0x04C11DB7, initial value 0, bits not
/// reflected, no final XOR, computed over the whole page with its checksum field read as zero.
///
/// Written in Swift rather than taken from libogg so that the page reader, which checks recordings
/// libogg wrote, does not trust libogg to check itself.
enum OggChecksum {
    // Byte-at-a-time table: entry n is the CRC register after shifting byte n through it.
    static let table: [UInt32] = (0..<256).map { index in
        var register = UInt32(index) &<< 24
        for _ in 0..<8 {
            register = register & 0x8000_0000 != 0 ? (register &<< 1) ^ 0x04C1_1DB7 : register &<< 1
        }
        return register
    }

    /// The CRC of `bytes[range]`, with the four bytes at `zeroing` (the page's own checksum field)
    /// read as zero. `range` must lie inside `bytes`.
    static func compute(_ bytes: Span<UInt8>, range: Range<Int>, zeroing checksumField: Range<Int>) -> UInt32 {
        let table = Self.table
        var crc: UInt32 = 0
        for offset in range {
            let byte = checksumField.contains(offset) ? 0 : bytes[offset]
            crc = (crc &<< 8) ^ table[Int((crc &>> 24) ^ UInt32(byte))]
        }
        return crc
    }

    /// The CRC of all of `bytes`, for known-answer tests.
    static func compute(_ bytes: Span<UInt8>) -> UInt32 {
        Self.compute(bytes, range: 0..<bytes.count, zeroing: 0..<0)
    }
}
