// Byte-level helpers for reading one line of SDP. SDP is ASCII structure around UTF-8 text, so the
// parser works on byte slices of one array and turns only the fields it keeps into `String`s. Every
// helper here accepts any input without trapping: indices come from the slice itself.

/// Reading helpers shared by the SDP parsers of every line and attribute type.
enum SDPText {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let comma: UInt8 = 0x2C
    static let tilde: UInt8 = 0x7E
    static let asterisk: UInt8 = 0x2A

    /// The bytes as a `String`. Callers pass slices cut at ASCII bytes of valid UTF-8, so nothing is
    /// ever repaired.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The slice without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == self.space || bytes[start] == self.tab {
            start += 1
        }
        while end > start, bytes[end - 1] == self.space || bytes[end - 1] == self.tab {
            end -= 1
        }
        return bytes[start..<end]
    }

    /// The space-separated fields of the slice; runs of spaces count as one separator.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(separator: self.space)
    }

    /// The first space-separated field and the trimmed rest of the slice (possibly empty).
    static func firstField(_ bytes: ArraySlice<UInt8>) -> (field: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        let value = self.trimmed(bytes)
        guard let split = value.firstIndex(of: self.space) else {
            return (value, value[value.endIndex...])
        }
        return (value[..<split], self.trimmed(value[split...]))
    }

    /// The part before the first `separator` and, if there is one, the part after it.
    static func split(
        _ bytes: ArraySlice<UInt8>,
        at separator: UInt8
    ) -> (head: ArraySlice<UInt8>, tail: ArraySlice<UInt8>?) {
        guard let split = bytes.firstIndex(of: separator) else {
            return (bytes, nil)
        }
        return (bytes[..<split], bytes[(split + 1)...])
    }

    /// An unsigned decimal number made of ASCII digits only (no sign, no spaces), or nil if the slice
    /// is empty, holds anything else, or overflows `T`.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: ArraySlice<UInt8>,
        as type: T.Type = T.self
    ) -> T? {
        // 20 digits hold any UInt64; longer input is rejected before any arithmetic.
        guard !bytes.isEmpty, bytes.count <= 20 else {
            return nil
        }
        var value: T = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else {
                return nil
            }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, carried) = shifted.addingReportingOverflow(T(byte &- 0x30))
            guard !overflowed, !carried else {
                return nil
            }
            value = sum
        }
        return value
    }

    /// An RTP payload type (0-127) in decimal, or nil.
    static func payloadType(_ bytes: ArraySlice<UInt8>) -> UInt8? {
        guard let value = self.decimal(bytes, as: UInt8.self), value <= 127 else {
            return nil
        }
        return value
    }

    /// Whether the byte is an RFC 8866 `token-char`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E:
            return true
        default:
            return false
        }
    }

    /// Whether the slice is a non-empty RFC 8866 `token`.
    static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(self.isTokenByte)
    }

    /// Whether the byte is an ASCII letter or digit.
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    /// Whether the slice is non-empty and made of RFC 8839 `ice-char`s (letters, digits, `+`, `/`).
    static func isICEChars(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { self.isAlphanumeric($0) || $0 == 0x2B || $0 == self.slash }
    }

    /// Whether the slice is an RFC 8851 `rid-id` (letters, digits, `-`, `_`).
    static func isRIDIdentifier(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { self.isAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F }
    }

    /// The value of one hexadecimal digit, either case, or nil.
    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte &- 0x30
        case 0x41...0x46: return byte &- 0x41 &+ 10
        case 0x61...0x66: return byte &- 0x61 &+ 10
        default: return nil
        }
    }

    /// Whether the slice spells exactly `text`.
    static func equals(_ bytes: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { bytes.elementsEqual($0) }
    }
}
