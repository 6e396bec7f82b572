/// UTF-8 validation over a span, without decoding or allocating (the standard library validates
/// only while building a `String`, which allocates for anything over 15 bytes).
enum STUNUTF8 {
    /// Whether `bytes[range]` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
    /// surrogates, nothing above U+10FFFF). The caller guarantees `range` lies within `bytes`.
    static func isValid(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            let continuationCount: Int
            // The allowed range of the byte after the lead byte; later ones are plain 0x80-0xBF.
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF:
                continuationCount = 1
            case 0xE0:
                continuationCount = 2
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF:
                continuationCount = 2
            case 0xED:
                continuationCount = 2
                upper = 0x9F
            case 0xF0:
                continuationCount = 3
                lower = 0x90
            case 0xF1...0xF3:
                continuationCount = 3
            case 0xF4:
                continuationCount = 3
                upper = 0x8F
            default:
                return false
            }
            guard end &- index > continuationCount else { return false }
            let second = bytes[index &+ 1]
            guard lower <= second && second <= upper else { return false }
            var next = index &+ 2
            while next <= index &+ continuationCount {
                guard bytes[next] & 0xC0 == 0x80 else { return false }
                next &+= 1
            }
            index = next
        }
        return true
    }
}
