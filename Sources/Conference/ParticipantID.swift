/// The number of a participant, unique for the life of a ``Conference`` (never reused), written `p7`
/// in the signaling protocol.
///
/// The relay uses the same 64-bit number for its routing participant and transport.
public struct ParticipantID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number.
    public let rawValue: UInt64

    /// Wraps a number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses the protocol form `p7`; nil for anything else (no sign, no leading zeros but `p0`).
    public init?(protocolValue text: String) {
        guard let value = IDText.parse(text, prefix: UInt8(ascii: "p")) else {
            return nil
        }
        self.rawValue = value
    }

    /// The protocol form: `p` and the number, such as `p7`.
    public var description: String {
        "p\(self.rawValue)"
    }

    /// Orders by number, which is join order.
    public static func < (lhs: ParticipantID, rhs: ParticipantID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
