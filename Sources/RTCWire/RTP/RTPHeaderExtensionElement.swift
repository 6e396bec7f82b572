/// Where one RFC 8285 header extension element sits in a packet: its id and the offsets of its
/// header and value.
///
/// Elements come from an ``RTPHeaderExtensionIterator`` or from
/// ``RTPHeaderExtensionBlock/element(id:in:)``. They hold offsets, not bytes: read the value with
/// `bytes.extracting(element.valueRange)` on the same packet bytes, or with the typed readers
/// (``RTPAudioLevel/init(parsing:)``, ``RTPAbsSendTime/init(parsing:)``, ...). The in-place
/// rewrites in `RTPHeaderExtensionElement+Rewrite.swift` change the packet without changing its
/// length.
public struct RTPHeaderExtensionElement: Hashable, Sendable {
    /// The element's local identifier (1-14 in the one-byte form, 1-255 in the two-byte form), as
    /// negotiated with `a=extmap` in SDP.
    public let id: UInt8

    /// The offset of the element's first header byte in the packet.
    public let offset: Int

    /// The number of header bytes before the value: 1 in the one-byte form, 2 in the two-byte form.
    public let headerLength: Int

    /// The number of value bytes.
    public let valueLength: Int

    /// Makes an element from offsets; the iterator calls this after checking them.
    @inlinable
    init(id: UInt8, offset: Int, headerLength: Int, valueLength: Int) {
        self.id = id
        self.offset = offset
        self.headerLength = headerLength
        self.valueLength = valueLength
    }

    /// The offset of the first value byte in the packet.
    @inlinable
    public var valueOffset: Int {
        self.offset &+ self.headerLength
    }

    /// The value bytes' range in the packet: read them with `bytes.extracting(element.valueRange)`.
    @inlinable
    public var valueRange: Range<Int> {
        self.valueOffset..<(self.valueOffset &+ self.valueLength)
    }

    /// The whole element's range (header and value) in the packet.
    @inlinable
    public var range: Range<Int> {
        self.offset..<(self.valueOffset &+ self.valueLength)
    }

    /// Whether the element is in the one-byte form (RFC 8285 section 4.2).
    @inlinable
    public var isOneByte: Bool {
        self.headerLength == 1
    }
}
