// In-place changes to one header extension element that keep the packet length: the relay uses
// them to translate ids between a publisher's and a subscriber's `a=extmap` numbering, to drop
// elements a subscriber did not negotiate, and to restamp values such as abs-send-time or the
// transport-wide sequence number.
//
// `bytes` must be the packet the element was found in: offsets are not checked again, and a span
// shorter than the element is a programming error that traps on Span's bounds check.

extension RTPHeaderExtensionElement {
    /// Changes the element's id in place, keeping its length and value.
    ///
    /// - Throws: ``WireError/Code/invalidValue`` if `newID` cannot be written in the element's form
    ///   (0, or 15 and above in the one-byte form, where 15 would end the block); nothing is
    ///   written then.
    @inlinable
    public mutating func rewriteID(to newID: UInt8, in bytes: inout MutableSpan<UInt8>) throws(WireError) {
        let valid = self.isOneByte ? (1...14).contains(newID) : newID != 0
        guard valid else {
            throw WireError(.invalidValue, "RTP header extension id for this form", offset: self.offset)
        }
        self.rewriteIDUnchecked(to: newID, in: &bytes)
    }

    /// Writes a new id that the caller has checked against the form.
    @inlinable
    mutating func rewriteIDUnchecked(to newID: UInt8, in bytes: inout MutableSpan<UInt8>) {
        if self.isOneByte {
            // The low nibble is the length field; keep it.
            bytes[self.offset] = (newID &<< 4) | (bytes[self.offset] & 0x0F)
        } else {
            bytes[self.offset] = newID
        }
        self = RTPHeaderExtensionElement(
            id: newID,
            offset: self.offset,
            headerLength: self.headerLength,
            valueLength: self.valueLength
        )
    }

    /// Removes the element without changing the packet length, by overwriting its header and value
    /// with zero bytes, which are padding in both RFC 8285 forms (section 4.1): receivers skip them.
    @inlinable
    public func erase(in bytes: inout MutableSpan<UInt8>) {
        // The range ends inside the block, which a parsed header guarantees.
        for index in self.range {
            bytes[index] = 0
        }
    }

    /// Overwrites the element's value with bytes of the same length.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if `value` does not have ``valueLength`` bytes;
    ///   nothing is written then.
    @inlinable
    public func overwriteValue(with value: Span<UInt8>, in bytes: inout MutableSpan<UInt8>) throws(WireError) {
        guard value.count == self.valueLength else {
            throw WireError(.invalidLength, "RTP header extension value length", offset: self.offset)
        }
        let start = self.valueOffset
        for index in 0..<value.count {
            bytes[start &+ index] = value[index]
        }
    }
}
