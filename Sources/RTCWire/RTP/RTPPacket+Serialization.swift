// Writing an RTPPacket as bytes. Everything is checked before the first byte is appended, so a
// failed serialise leaves the caller's buffer as it was.

extension RTPPacket {
    /// The extension block a packet will write: its profile, and the number of data bytes before
    /// the zero fill to a 32-bit boundary.
    private struct BlockPlan {
        var profile: UInt16
        var form: RTPHeaderExtensionForm
        var unpaddedLength: Int

        var paddedLength: Int {
            (self.unpaddedLength &+ 3) & ~3
        }
    }

    /// Checks the fields and decides the extension block.
    private func plan() throws(WireError) -> BlockPlan? {
        guard self.payloadType < 128 else {
            throw WireError(.invalidValue, "RTP payload type above 127")
        }
        guard self.csrcs.count <= 15 else {
            throw WireError(.tooMany, "RTP CSRCs above 15")
        }
        let plan: BlockPlan
        if let opaque = self.opaqueExtension {
            guard self.extensions.isEmpty else {
                throw WireError(.invalidHeaderExtension, "RTP opaque extension block with RFC 8285 elements")
            }
            guard opaque.data.count % 4 == 0 else {
                throw WireError(.invalidLength, "RTP extension block data not a multiple of 4 bytes")
            }
            plan = BlockPlan(profile: opaque.profile, form: .opaque, unpaddedLength: opaque.data.count)
        } else {
            let form: RTPHeaderExtensionForm
            switch self.extensionEncoding {
            case .automatic:
                if self.extensions.isEmpty {
                    return nil
                }
                let fitsOneByte = self.extensions.allSatisfy {
                    RTPHeaderExtensionForm.oneByte.canCarry(id: $0.id, valueLength: $0.value.count)
                }
                form = fitsOneByte ? .oneByte : .twoByte(appBits: 0)
            case .oneByte:
                form = .oneByte
            case .twoByte(let appBits):
                guard appBits < 16 else {
                    throw WireError(.invalidValue, "RTP two-byte extension app bits above 15")
                }
                form = .twoByte(appBits: appBits)
            }
            var length = 0
            for element in self.extensions {
                guard form.canCarry(id: element.id, valueLength: element.value.count) else {
                    throw WireError(.invalidHeaderExtension, "RTP header extension element does not fit its form")
                }
                length &+= form.elementHeaderLength &+ element.value.count
            }
            let profile: UInt16
            switch form {
            case .twoByte(let appBits): profile = RTPHeaderExtensionForm.twoByteProfileBase | UInt16(appBits)
            default: profile = RTPHeaderExtensionForm.oneByteProfile
            }
            plan = BlockPlan(profile: profile, form: form, unpaddedLength: length)
        }
        guard plan.paddedLength / 4 <= Int(UInt16.max) else {
            throw WireError(.tooLarge, "RTP header extension block above 65535 words")
        }
        return plan
    }

    /// The number of bytes ``serialize(into:)`` appends.
    ///
    /// - Throws: as ``serialize(into:)``.
    public func serializedLength() throws(WireError) -> Int {
        let block = try self.plan()
        let extensionLength = block.map { 4 &+ $0.paddedLength } ?? 0
        return RTPHeader.fixedLength &+ self.csrcs.count &* 4 &+ extensionLength &+ self.payload.count
            &+ Int(self.paddingLength)
    }

    /// Appends the packet's bytes to `bytes`.
    ///
    /// Reuse one buffer (`removeAll(keepingCapacity: true)`) to serialise packet after packet
    /// without allocating once it has grown to the largest packet.
    ///
    /// - Throws: `WireError`, with nothing appended, with code ``WireError/Code/invalidValue`` if the
    ///   payload type is above 127 or two-byte app bits above 15; ``WireError/Code/tooMany`` for
    ///   more than 15 CSRCs; ``WireError/Code/invalidHeaderExtension`` if an element does not fit
    ///   the chosen form (id 0, id above 14 or a value of 0 or more than 16 bytes in the one-byte
    ///   form, a value above 255 bytes) or an opaque block is combined with elements;
    ///   ``WireError/Code/invalidLength`` if opaque data is not a multiple of 4 bytes;
    ///   ``WireError/Code/tooLarge`` if the block exceeds 65535 words.
    public func serialize(into bytes: inout [UInt8]) throws(WireError) {
        let block = try self.plan()
        var first: UInt8 = 0x80 | UInt8(truncatingIfNeeded: self.csrcs.count)
        if self.paddingLength != 0 {
            first |= 0x20
        }
        if block != nil {
            first |= 0x10
        }
        bytes.append(first)
        bytes.append((self.marker ? 0x80 : 0) | self.payloadType)
        bytes.appendUInt16(self.sequenceNumber)
        bytes.appendUInt32(self.timestamp)
        bytes.appendUInt32(self.ssrc)
        for csrc in self.csrcs {
            bytes.appendUInt32(csrc)
        }
        if let block {
            bytes.appendUInt16(block.profile)
            bytes.appendUInt16(UInt16(truncatingIfNeeded: block.paddedLength / 4))
            if let opaque = self.opaqueExtension {
                bytes.append(contentsOf: opaque.data)
            } else {
                for element in self.extensions {
                    if block.form == .oneByte {
                        // The length nibble is the value length minus one (1-16 bytes).
                        bytes.append(element.id &<< 4 | UInt8(truncatingIfNeeded: element.value.count &- 1))
                    } else {
                        bytes.append(element.id)
                        bytes.append(UInt8(truncatingIfNeeded: element.value.count))
                    }
                    bytes.append(contentsOf: element.value)
                }
                // Zero bytes are padding in both forms (RFC 8285 section 4.1).
                for _ in block.unpaddedLength..<block.paddedLength {
                    bytes.append(0)
                }
            }
        }
        bytes.append(contentsOf: self.payload)
        if self.paddingLength != 0 {
            for _ in 1..<self.paddingLength {
                bytes.append(0)
            }
            bytes.append(self.paddingLength)
        }
    }

    /// The packet's bytes in a new array (for tests and tools).
    ///
    /// - Throws: as ``serialize(into:)``.
    public func serialized() throws(WireError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(try self.serializedLength())
        try self.serialize(into: &bytes)
        return bytes
    }
}
