/// The number of a published track, unique for the life of a ``Conference`` (never reused), written
/// `t12` in the signaling protocol.
///
/// The relay uses the same 64-bit number for its routing track.
public struct TrackID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number.
    public let rawValue: UInt64

    /// Wraps a number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses the protocol form `t12`; nil for anything else.
    public init?(protocolValue text: String) {
        guard let value = IDText.parse(text, prefix: UInt8(ascii: "t")) else {
            return nil
        }
        self.rawValue = value
    }

    /// The protocol form: `t` and the number, such as `t12`.
    public var description: String {
        "t\(self.rawValue)"
    }

    /// Orders by number, which is publication order (the order of the protocol's track lists).
    public static func < (lhs: TrackID, rhs: TrackID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// Parsing of the `p7` / `t12` forms.
enum IDText {
    static func parse(_ text: String, prefix: UInt8) -> UInt64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 21, bytes[0] == prefix else {
            return nil
        }
        let digits = bytes[1...]
        guard digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                return nil
            }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else {
                return nil
            }
            value = sum
        }
        return value
    }
}
