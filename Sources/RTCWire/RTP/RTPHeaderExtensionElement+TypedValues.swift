// Typed in-place writers for one element's value: the relay restamps abs-send-time and the
// transport-wide sequence number per subscriber, and may rewrite audio levels.

extension RTPHeaderExtensionElement {
    /// Overwrites the value with an audio level.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not one byte; nothing is written.
    @inlinable
    public func setAudioLevel(_ level: RTPAudioLevel, in bytes: inout MutableSpan<UInt8>) throws(WireError) {
        guard self.valueLength == RTPAudioLevel.valueLength else {
            throw WireError(.invalidLength, "RTP audio level extension length", offset: self.offset)
        }
        bytes[self.valueOffset] = level.byte
    }

    /// Overwrites the value with an abs-send-time.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not three bytes; nothing is
    ///   written.
    @inlinable
    public func setAbsSendTime(_ time: RTPAbsSendTime, in bytes: inout MutableSpan<UInt8>) throws(WireError) {
        guard self.valueLength == RTPAbsSendTime.valueLength else {
            throw WireError(.invalidLength, "RTP abs-send-time extension length", offset: self.offset)
        }
        let start = self.valueOffset
        bytes[start] = UInt8(truncatingIfNeeded: time.rawValue &>> 16)
        bytes[start &+ 1] = UInt8(truncatingIfNeeded: time.rawValue &>> 8)
        bytes[start &+ 2] = UInt8(truncatingIfNeeded: time.rawValue)
    }

    /// Overwrites the value with a transport-wide sequence number.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is not two bytes; nothing is written.
    @inlinable
    public func setTransportSequenceNumber(
        _ sequenceNumber: UInt16,
        in bytes: inout MutableSpan<UInt8>
    ) throws(WireError) {
        guard self.valueLength == 2 else {
            throw WireError(.invalidLength, "RTP transport-cc extension length", offset: self.offset)
        }
        bytes.setUInt16(sequenceNumber, at: self.valueOffset)
    }
}
