// Reading and writing header extension elements on an owned packet, by id, with typed helpers for
// the extensions Parley uses. Setting an id that is already present replaces its value in place;
// otherwise the element is appended.

extension RTPPacket {
    /// The value of the first element with this id, or `nil` if there is none.
    @inlinable
    public func extensionValue(id: UInt8) -> [UInt8]? {
        for element in self.extensions where element.id == id {
            return element.value
        }
        return nil
    }

    /// Sets (replaces or appends) the element with this id.
    ///
    /// - Throws: ``WireError/Code/invalidValue`` for id 0 (reserved for padding);
    ///   ``WireError/Code/invalidLength`` for a value above 255 bytes. Whether the element fits the
    ///   one-byte form is decided when serialising.
    @inlinable
    public mutating func setExtension(id: UInt8, value: [UInt8]) throws(WireError) {
        guard id != 0 else {
            throw WireError(.invalidValue, "RTP header extension id 0")
        }
        guard value.count <= 255 else {
            throw WireError(.invalidLength, "RTP header extension value above 255 bytes")
        }
        if let index = self.extensions.firstIndex(where: { $0.id == id }) {
            self.extensions[index].value = value
        } else {
            self.extensions.append(HeaderExtension(id: id, value: value))
        }
    }

    /// Removes every element with this id.
    @inlinable
    public mutating func removeExtension(id: UInt8) {
        self.extensions.removeAll { $0.id == id }
    }

    /// The RFC 6464 audio level under `id`, or `nil` if there is none.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not one byte.
    public func audioLevel(id: UInt8) throws(WireError) -> RTPAudioLevel? {
        guard let value = self.extensionValue(id: id) else { return nil }
        return try RTPAudioLevel(parsing: value.span)
    }

    /// Sets the RFC 6464 audio level under `id`.
    ///
    /// - Throws: as ``setExtension(id:value:)``.
    public mutating func setAudioLevel(_ level: RTPAudioLevel, id: UInt8) throws(WireError) {
        try self.setExtension(id: id, value: [level.byte])
    }

    /// The abs-send-time under `id`, or `nil` if there is none.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not three bytes.
    public func absSendTime(id: UInt8) throws(WireError) -> RTPAbsSendTime? {
        guard let value = self.extensionValue(id: id) else { return nil }
        return try RTPAbsSendTime(parsing: value.span)
    }

    /// Sets the abs-send-time under `id`.
    ///
    /// - Throws: as ``setExtension(id:value:)``.
    public mutating func setAbsSendTime(_ time: RTPAbsSendTime, id: UInt8) throws(WireError) {
        var value: [UInt8] = []
        time.append(to: &value)
        try self.setExtension(id: id, value: value)
    }

    /// The transport-wide sequence number under `id`, or `nil` if there is none.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not two bytes.
    public func transportSequenceNumber(id: UInt8) throws(WireError) -> UInt16? {
        guard let value = self.extensionValue(id: id) else { return nil }
        guard value.count == 2 else {
            throw WireError(.invalidLength, "RTP transport-cc extension length", offset: value.count)
        }
        return value.span.uint16(at: 0)
    }

    /// Sets the transport-wide sequence number under `id`.
    ///
    /// - Throws: as ``setExtension(id:value:)``.
    public mutating func setTransportSequenceNumber(_ sequenceNumber: UInt16, id: UInt8) throws(WireError) {
        var value: [UInt8] = []
        value.appendUInt16(sequenceNumber)
        try self.setExtension(id: id, value: value)
    }

    /// The MID under `id`, or `nil` if there is none.
    ///
    /// - Throws: as ``RTPMid/validate(_:)``.
    public func mid(id: UInt8) throws(WireError) -> String? {
        guard let value = self.extensionValue(id: id) else { return nil }
        return try RTPMid.string(parsing: value.span)
    }

    /// Sets the MID under `id`.
    ///
    /// - Throws: ``WireError/Code/invalidValue`` if `mid` is not 1-255 printable ASCII bytes, or as
    ///   ``setExtension(id:value:)``.
    public mutating func setMid(_ mid: String, id: UInt8) throws(WireError) {
        guard RTPMid.isValid(mid) else {
            throw WireError(.invalidValue, "RTP MID not 1-255 printable ASCII bytes")
        }
        try self.setExtension(id: id, value: Array(mid.utf8))
    }
}
