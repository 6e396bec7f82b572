// Small helpers shared by the RTCP parsers and writers. Their names carry an `rtcp` prefix so they
// cannot collide with helpers other parts of RTCWire add to the same standard-library types.

extension Span where Element == UInt8 {
    /// Copies `range` into a new array. The range must be inside the span (callers check first).
    func rtcpCopy(_ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for index in range {
            bytes.append(self[index])
        }
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// Appends zero bytes until `count - start` is a multiple of four (RTCP's 32-bit alignment).
    mutating func rtcpAlign(from start: Int) {
        while (self.count &- start) % 4 != 0 {
            self.append(0)
        }
    }
}

extension WireError {
    /// The same error with its offset moved by `base`: sub-packet parsers count from the start of
    /// their body, the compound parser reports offsets from the start of the datagram.
    func rtcpShifted(by base: Int) -> WireError {
        WireError(self.code, self.context, offset: self.offset &+ base, file: self.file, line: self.line)
    }
}
