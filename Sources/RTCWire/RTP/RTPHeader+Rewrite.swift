// In-place rewriting of a parsed packet's fixed header, as the relay does for each subscriber
// (SSRC, sequence number, timestamp, payload type, marker). Each method writes the bytes and
// updates the header value, so the two stay in step. Nothing moves and nothing is allocated.
//
// `bytes` must be the packet this header was parsed from (or a copy of it): offsets are not checked
// again, and a span shorter than the header is a programming error that traps on Span's bounds
// check rather than writing out of bounds.

extension RTPHeader {
    /// Rewrites the SSRC (bytes 8-11).
    public mutating func setSSRC(_ ssrc: UInt32, in bytes: inout MutableSpan<UInt8>) {
        bytes.setUInt32(ssrc, at: 8)
        self.ssrc = ssrc
    }

    /// Rewrites the sequence number (bytes 2-3).
    public mutating func setSequenceNumber(_ sequenceNumber: UInt16, in bytes: inout MutableSpan<UInt8>) {
        bytes.setUInt16(sequenceNumber, at: 2)
        self.sequenceNumber = sequenceNumber
    }

    /// Rewrites the timestamp (bytes 4-7).
    public mutating func setTimestamp(_ timestamp: UInt32, in bytes: inout MutableSpan<UInt8>) {
        bytes.setUInt32(timestamp, at: 4)
        self.timestamp = timestamp
    }

    /// Rewrites the payload type (the low 7 bits of byte 1), keeping the marker bit.
    ///
    /// - Parameter payloadType: 0-127; a larger value is a programming error and traps (payload
    ///   types come from the SDP the server negotiated, which keeps them in range).
    public mutating func setPayloadType(_ payloadType: UInt8, in bytes: inout MutableSpan<UInt8>) {
        precondition(payloadType < 128, "RTP payload type must be 0-127")
        bytes[1] = (bytes[1] & 0x80) | payloadType
        self.payloadType = payloadType
    }

    /// Sets or clears the marker bit (the high bit of byte 1), keeping the payload type.
    public mutating func setMarker(_ marker: Bool, in bytes: inout MutableSpan<UInt8>) {
        bytes[1] = (bytes[1] & 0x7F) | (marker ? 0x80 : 0)
        self.marker = marker
    }

    /// Translates every header extension element's id in place, for example from the ids a
    /// publisher negotiated to those a subscriber negotiated, and erases the elements the subscriber
    /// did not negotiate.
    ///
    /// `translate` gets each element's id and returns the new id, or `nil` to erase the element
    /// (its bytes become padding, see ``RTPHeaderExtensionElement/erase(in:)``). It is called twice
    /// per element (a checking pass, then a writing pass) and must return the same answer both
    /// times. The packet length never changes; an opaque block or a packet without an extension is
    /// left alone.
    ///
    /// - Throws: ``WireError/Code/invalidValue`` if a new id cannot be written in the block's form
    ///   (0, or above 14 in the one-byte form); the bytes are then left unchanged, and the caller
    ///   should rebuild the packet with ``RTPPacket`` instead.
    @inlinable
    public func translateExtensionIDs(
        in bytes: inout MutableSpan<UInt8>,
        _ translate: (UInt8) -> UInt8?
    ) throws(WireError) {
        guard let block = self.extensionBlock else { return }
        let form = block.form
        var check = block.elements
        while let element = check.next(in: bytes.span) {
            if let newID = translate(element.id), !form.canCarry(id: newID) {
                throw WireError(.invalidValue, "RTP header extension id for this form", offset: element.offset)
            }
        }
        var write = block.elements
        // Rewrites never move an element or turn bytes into a longer element (a one-byte id stays
        // within 1-14, erased bytes become single padding bytes), so the walk sees the same layout.
        while var element = write.next(in: bytes.span) {
            if let newID = translate(element.id) {
                element.rewriteIDUnchecked(to: newID, in: &bytes)
            } else {
                element.erase(in: &bytes)
            }
        }
    }
}
