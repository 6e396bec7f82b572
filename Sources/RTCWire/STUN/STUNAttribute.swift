/// One attribute of a parsed STUN message: its type and where its value lies in the message bytes.
///
/// Produced by ``STUNMessage/forEachAttribute(in:_:)`` and ``STUNMessage/attribute(_:in:)``; the
/// ranges index the same bytes the message was parsed from. Read the value with
/// `bytes.extracting(attribute.valueRange)`.
public struct STUNAttribute: Hashable, Sendable {
    /// The attribute's type.
    public let type: STUNAttributeType
    /// Offset of the attribute's 4-byte header (type and length) in the message.
    public let offset: Int
    /// The value's bytes, without padding. Its count is the attribute's length field.
    public let valueRange: Range<Int>
    /// `true` if the attribute follows MESSAGE-INTEGRITY (or MESSAGE-INTEGRITY-SHA256), so no
    /// integrity check covers it. RFC 8489 section 14.5: such attributes, other than
    /// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, must be ignored; never act on their values.
    public let followsIntegrity: Bool

    /// Creates an attribute description (the parser does this; tests may too).
    public init(type: STUNAttributeType, offset: Int, valueRange: Range<Int>, followsIntegrity: Bool) {
        self.type = type
        self.offset = offset
        self.valueRange = valueRange
        self.followsIntegrity = followsIntegrity
    }

    /// The value's length in bytes (the attribute's length field).
    public var length: Int {
        self.valueRange.count
    }
}
