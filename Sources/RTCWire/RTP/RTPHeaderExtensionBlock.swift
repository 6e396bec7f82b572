/// Where an RTP packet's header extension block sits (RFC 3550 section 5.3.1) and which form it has
/// (RFC 8285), validated when the header was parsed.
///
/// The block starts with a 16-bit profile and a 16-bit length in 32-bit words, followed by that many
/// words of data. For the RFC 8285 forms every element was checked to fit inside the data when the
/// header was parsed, so walking ``elements`` over the same bytes cannot fail. Blocks with any other
/// profile are ``RTPHeaderExtensionForm/opaque``: their data is available through ``dataRange``.
public struct RTPHeaderExtensionBlock: Hashable, Sendable {
    /// The profile field ("defined by profile" in RFC 3550): `0xBEDE`, `0x100X` or an
    /// application-specific value.
    public let profile: UInt16

    /// The offset of the block's 4-byte header (profile and length) in the packet.
    public let offset: Int

    /// The number of data bytes after the 4-byte header: four times the length field.
    public let dataLength: Int

    /// The form the profile announces.
    @inlinable
    public var form: RTPHeaderExtensionForm {
        RTPHeaderExtensionForm(profile: self.profile)
    }

    /// The offset of the first data byte (the first element, in the RFC 8285 forms).
    @inlinable
    public var dataOffset: Int {
        self.offset &+ 4
    }

    /// The data bytes' range in the packet.
    @inlinable
    public var dataRange: Range<Int> {
        self.dataOffset..<(self.dataOffset &+ self.dataLength)
    }

    /// The whole block's length, header included.
    @inlinable
    public var length: Int {
        4 &+ self.dataLength
    }

    /// An iterator over the block's RFC 8285 elements (none for an opaque block).
    @inlinable
    public var elements: RTPHeaderExtensionIterator {
        RTPHeaderExtensionIterator(form: self.form, dataRange: self.dataRange)
    }

    /// The first element with the given id, or `nil` if there is none (or the block is opaque).
    ///
    /// - Parameters:
    ///   - id: the local identifier to look for.
    ///   - bytes: the packet the header was parsed from.
    @inlinable
    public func element(id: UInt8, in bytes: Span<UInt8>) -> RTPHeaderExtensionElement? {
        var elements = self.elements
        while let element = elements.next(in: bytes) {
            if element.id == id {
                return element
            }
        }
        return nil
    }

    /// Reads the block header at `offset` and validates the block.
    ///
    /// - Throws: ``WireError/Code/truncated`` if the block header or its announced data runs past
    ///   the end of `bytes`; ``WireError/Code/invalidHeaderExtension`` if an RFC 8285 element runs
    ///   past the block or a one-byte element header has id 0 and a non-zero length.
    @usableFromInline
    init(parsing bytes: Span<UInt8>, at offset: Int) throws(WireError) {
        guard offset >= 0, bytes.count &- offset >= 4 else {
            throw WireError(.truncated, "RTP header extension block header", offset: offset)
        }
        self.profile = bytes.uint16(at: offset)
        self.offset = offset
        // The length field counts 32-bit words, so the data is at most 262140 bytes: no overflow.
        self.dataLength = Int(bytes.uint16(at: offset &+ 2)) &* 4
        guard self.dataLength <= bytes.count &- offset &- 4 else {
            throw WireError(.truncated, "RTP header extension length past the end", offset: offset &+ 2)
        }
        try self.validateElements(bytes)
    }

    /// Checks that every RFC 8285 element fits in the block.
    private func validateElements(_ bytes: Span<UInt8>) throws(WireError) {
        let headerLength = self.form.elementHeaderLength
        guard headerLength != 0 else { return }
        let end = self.dataRange.upperBound
        var position = self.dataOffset
        // Each turn consumes at least one byte, so this ends within `dataLength` turns.
        while position < end {
            switch RTPHeaderExtensionIterator.step(bytes, at: position, end: end, headerLength: headerLength) {
            case .padding:
                position &+= 1
            case .element(let element):
                position = element.valueOffset &+ element.valueLength
            case .stop:
                return
            case .malformed:
                throw WireError(.invalidHeaderExtension, "RTP header extension element", offset: position)
            }
        }
    }
}
