// Ogg and the Opus headers store integers little-endian (RFC 3533 section 6, RFC 7845 section 5),
// unlike the network-order formats of RTCWire. Reads are bounds-checked by Span itself: callers
// check lengths first and throw for short input, so a bug here traps in tests instead of reading
// past the buffer.

extension Span where Element == UInt8 {
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset &+ 1]) &<< 8
            | UInt32(self[offset &+ 2]) &<< 16 | UInt32(self[offset &+ 3]) &<< 24
    }

    func littleEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(self.littleEndianUInt32(at: offset)) | UInt64(self.littleEndianUInt32(at: offset &+ 4)) &<< 32
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        self.append(UInt8(truncatingIfNeeded: value))
        self.append(UInt8(truncatingIfNeeded: value &>> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        self.append(UInt8(truncatingIfNeeded: value))
        self.append(UInt8(truncatingIfNeeded: value &>> 8))
        self.append(UInt8(truncatingIfNeeded: value &>> 16))
        self.append(UInt8(truncatingIfNeeded: value &>> 24))
    }
}
