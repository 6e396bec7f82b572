// Typed readers for the header extensions Parley uses, looked up by the id negotiated in SDP. Each
// returns nil when the packet has no element with that id, and throws when the element is there but
// its value is malformed (so a caller can tell "not sent" from "sent wrong").

extension RTPHeader {
    /// The RFC 6464 audio level carried under `id`, or `nil` if the packet has no such element.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the element's value is not one byte.
    @inlinable
    public func audioLevel(id: UInt8, in bytes: Span<UInt8>) throws(WireError) -> RTPAudioLevel? {
        guard let element = self.extensionElement(id: id, in: bytes) else { return nil }
        return try RTPAudioLevel(parsing: bytes.extracting(element.valueRange))
    }

    /// The abs-send-time carried under `id`, or `nil` if the packet has no such element.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the element's value is not three bytes.
    @inlinable
    public func absSendTime(id: UInt8, in bytes: Span<UInt8>) throws(WireError) -> RTPAbsSendTime? {
        guard let element = self.extensionElement(id: id, in: bytes) else { return nil }
        return try RTPAbsSendTime(parsing: bytes.extracting(element.valueRange))
    }

    /// The transport-wide sequence number (transport-cc) carried under `id`, or `nil` if the packet
    /// has no such element.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the element's value is not two bytes.
    @inlinable
    public func transportSequenceNumber(id: UInt8, in bytes: Span<UInt8>) throws(WireError) -> UInt16? {
        guard let element = self.extensionElement(id: id, in: bytes) else { return nil }
        guard element.valueLength == 2 else {
            throw WireError(.invalidLength, "RTP transport-cc extension length", offset: element.offset)
        }
        return bytes.uint16(at: element.valueOffset)
    }

    /// The MID carried under `id`, or `nil` if the packet has no such element.
    ///
    /// - Throws: as ``RTPMid/validate(_:)``.
    @inlinable
    public func mid(id: UInt8, in bytes: Span<UInt8>) throws(WireError) -> String? {
        guard let element = self.extensionElement(id: id, in: bytes) else { return nil }
        return try RTPMid.string(parsing: bytes.extracting(element.valueRange))
    }
}
