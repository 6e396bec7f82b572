// Network-order integer access over spans of bytes. These are the only primitives RTCWire's binary
// parsers use: every read is bounds-checked by Span itself, so a parser bug traps in tests instead
// of reading past the datagram; parsers check lengths first and throw `WireError` for bad input.

extension Span where Element == UInt8 {
    @inlinable
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) &<< 8 | UInt16(self[offset &+ 1])
    }

    @inlinable
    func uint24(at offset: Int) -> UInt32 {
        UInt32(self[offset]) &<< 16 | UInt32(self[offset &+ 1]) &<< 8 | UInt32(self[offset &+ 2])
    }

    @inlinable
    func uint32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) &<< 24 | UInt32(self[offset &+ 1]) &<< 16
            | UInt32(self[offset &+ 2]) &<< 8 | UInt32(self[offset &+ 3])
    }

    @inlinable
    func uint64(at offset: Int) -> UInt64 {
        UInt64(self.uint32(at: offset)) &<< 32 | UInt64(self.uint32(at: offset &+ 4))
    }
}

extension MutableSpan where Element == UInt8 {
    @inlinable
    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value &>> 8)
        self[offset &+ 1] = UInt8(truncatingIfNeeded: value)
    }

    @inlinable
    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value &>> 24)
        self[offset &+ 1] = UInt8(truncatingIfNeeded: value &>> 16)
        self[offset &+ 2] = UInt8(truncatingIfNeeded: value &>> 8)
        self[offset &+ 3] = UInt8(truncatingIfNeeded: value)
    }
}

extension Array where Element == UInt8 {
    @inlinable
    mutating func appendUInt16(_ value: UInt16) {
        self.append(UInt8(truncatingIfNeeded: value &>> 8))
        self.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    mutating func appendUInt24(_ value: UInt32) {
        self.append(UInt8(truncatingIfNeeded: value &>> 16))
        self.append(UInt8(truncatingIfNeeded: value &>> 8))
        self.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    mutating func appendUInt32(_ value: UInt32) {
        self.append(UInt8(truncatingIfNeeded: value &>> 24))
        self.append(UInt8(truncatingIfNeeded: value &>> 16))
        self.append(UInt8(truncatingIfNeeded: value &>> 8))
        self.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    mutating func appendUInt64(_ value: UInt64) {
        self.appendUInt32(UInt32(truncatingIfNeeded: value &>> 32))
        self.appendUInt32(UInt32(truncatingIfNeeded: value))
    }

    @inlinable
    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value &>> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    @inlinable
    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value &>> 24)
        self[offset + 1] = UInt8(truncatingIfNeeded: value &>> 16)
        self[offset + 2] = UInt8(truncatingIfNeeded: value &>> 8)
        self[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
