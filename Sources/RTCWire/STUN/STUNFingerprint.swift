/// The STUN FINGERPRINT value (RFC 8489 section 14.7): CRC-32 of the message up to the FINGERPRINT
/// attribute, XOR 0x5354554E.
///
/// The CRC is CRC-32/ISO-HDLC, the one zlib and Ethernet use (reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF), computed with a 256-entry table. The bytes it covers
/// include the header with its length field already counting the FINGERPRINT attribute: in a
/// received message that is simply every byte before the attribute, since FINGERPRINT is last.
public enum STUNFingerprint {
    /// The constant the CRC is XORed with, ASCII "STUN".
    public static let xorValue: UInt32 = 0x5354_554E

    /// CRC-32/ISO-HDLC of `bytes` (the check value of the ASCII digits "123456789" is 0xCBF43926).
    public static func crc32(_ bytes: Span<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        let table = crcTable.span
        for index in bytes.indices {
            // The index is masked to 0...255 and the table has 256 entries.
            crc = table[Int(truncatingIfNeeded: (crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc &>> 8)
        }
        return ~crc
    }

    /// The FINGERPRINT value for a message whose bytes before the FINGERPRINT attribute are `bytes`
    /// (header length field already including the 8 bytes of FINGERPRINT).
    public static func value(over bytes: Span<UInt8>) -> UInt32 {
        self.crc32(bytes) ^ self.xorValue
    }
}

// Built once per process, on first use (Swift initialises globals lazily and thread-safely).
private let crcTable: [UInt32] = (0..<256).map { (index: UInt32) -> UInt32 in
    var value = index
    for _ in 0..<8 {
        value = value & 1 == 1 ? (value &>> 1) ^ 0xEDB8_8320 : value &>> 1
    }
    return value
}
