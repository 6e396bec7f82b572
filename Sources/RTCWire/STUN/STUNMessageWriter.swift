/// Builds a STUN message by appending to a caller's `[UInt8]`, keeping the header's length field
/// up to date after every attribute.
///
/// The writer holds only where the message starts in the array and its transaction ID, so the
/// array can be reused for every message (`removeAll(keepingCapacity: true)`) and nothing is
/// allocated once it has grown to size. Every `append` takes the same array the writer was made
/// with; if that array no longer holds the header (it was cleared), the call throws instead of
/// writing.
///
/// Order of a message: attributes, then optionally MESSAGE-INTEGRITY, then optionally FINGERPRINT:
///
/// ```swift
/// let writer = try STUNMessageWriter.bindingSuccessResponse(
///     transactionID: request.transactionID, mappedAddress: source, appendingTo: &buffer)
/// let layout = try writer.reserveMessageIntegrity(in: &buffer)  // 20 zero bytes
/// // RTCSecurity's STUNAuthenticator fills buffer[layout.tagRange] with the HMAC ...
/// try writer.appendFingerprint(to: &buffer)                     // ... before FINGERPRINT is computed.
/// ```
///
/// RTCSecurity's `STUNAuthenticator.appendIntegrityAndFingerprint` does the last three steps.
public struct STUNMessageWriter: Hashable, Sendable {
    /// Offset of the message's header in the array.
    public let start: Int
    /// The message's transaction ID (XOR-MAPPED-ADDRESS is XORed with it).
    public let transactionID: STUNTransactionID

    /// Appends a 20-byte header with a zero length field; attributes follow.
    public init(type: STUNMessageType, transactionID: STUNTransactionID, appendingTo bytes: inout [UInt8]) {
        self.start = bytes.count
        self.transactionID = transactionID
        bytes.appendUInt16(type.rawValue)
        bytes.appendUInt16(0)
        bytes.appendUInt32(STUNMessage.magicCookie)
        transactionID.append(to: &bytes)
    }

    /// Appends an attribute with `valueLength` bytes written by `writeValue`, zero padding and the
    /// updated header length. Every other `append` goes through here.
    ///
    /// - Throws: `invalidLength` if `bytes` no longer holds this message's header, `tooLarge` if the
    ///   message would exceed the 16-bit length field, `invalidLength` if `writeValue` appended a
    ///   different number of bytes than announced (the partial attribute is removed).
    public func appendAttribute(
        _ type: STUNAttributeType,
        valueLength: Int,
        to bytes: inout [UInt8],
        _ writeValue: (inout [UInt8]) -> Void
    ) throws(WireError) {
        try self.checkHeader(in: bytes)
        let paddedLength = (valueLength &+ 3) & ~3
        guard valueLength >= 0, valueLength < 0xFFFF,
            bytes.count &- self.start &- 20 &+ 4 &+ paddedLength <= 0xFFFF
        else {
            throw WireError(.tooLarge, "STUN message length", offset: bytes.count)
        }
        let attributeOffset = bytes.count
        bytes.appendUInt16(type.rawValue)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: valueLength))
        writeValue(&bytes)
        guard bytes.count == attributeOffset &+ 4 &+ valueLength else {
            // Undo the partial attribute (if the closure shrank the array below it, leave it).
            if bytes.count > attributeOffset {
                bytes.removeSubrange(attributeOffset...)
            }
            throw WireError(
                .invalidLength,
                "STUN attribute value shorter or longer than announced",
                offset: attributeOffset
            )
        }
        for _ in valueLength..<paddedLength {
            bytes.append(0)
        }
        self.updateLength(in: &bytes)
    }

    /// Appends an attribute whose value is `value` (for types without a typed method).
    public func appendAttribute(
        _ type: STUNAttributeType,
        value: Span<UInt8>,
        to bytes: inout [UInt8]
    ) throws(WireError) {
        try self.appendAttribute(type, valueLength: value.count, to: &bytes) { bytes in
            for index in value.indices {
                bytes.append(value[index])
            }
        }
    }

    /// Appends USERNAME. For an ICE check: `"<remote ufrag>:<local ufrag>"`.
    ///
    /// - Throws: `tooLarge` over 763 UTF-8 bytes.
    public func appendUsername(_ username: String, to bytes: inout [UInt8]) throws(WireError) {
        try self.appendText(.username, username, to: &bytes)
    }

    /// Appends SOFTWARE.
    ///
    /// - Throws: `tooLarge` over 763 UTF-8 bytes.
    public func appendSoftware(_ software: String, to bytes: inout [UInt8]) throws(WireError) {
        try self.appendText(.software, software, to: &bytes)
    }

    /// Appends XOR-MAPPED-ADDRESS: the port XORed with the cookie's high half, the address with the
    /// cookie (IPv4) or the cookie and transaction ID (IPv6).
    public func appendXORMappedAddress(_ address: STUNAddress, to bytes: inout [UInt8]) throws(WireError) {
        let cookie = STUNMessage.magicCookie
        let transactionID = self.transactionID
        try self.appendAttribute(.xorMappedAddress, valueLength: 4 &+ address.family.addressByteCount, to: &bytes) {
            bytes in
            bytes.append(0)
            bytes.append(address.family.rawValue)
            bytes.appendUInt16(address.port ^ UInt16(truncatingIfNeeded: cookie &>> 16))
            switch address.family {
            case .ipv4:
                bytes.appendUInt32(UInt32(truncatingIfNeeded: address.low) ^ cookie)
            case .ipv6:
                bytes.appendUInt64(address.high ^ (UInt64(cookie) &<< 32 | UInt64(transactionID.high)))
                bytes.appendUInt64(address.low ^ transactionID.low)
            }
        }
    }

    /// Appends PRIORITY.
    public func appendPriority(_ priority: UInt32, to bytes: inout [UInt8]) throws(WireError) {
        try self.appendAttribute(.priority, valueLength: 4, to: &bytes) { bytes in
            bytes.appendUInt32(priority)
        }
    }

    /// Appends USE-CANDIDATE (no value).
    public func appendUseCandidate(to bytes: inout [UInt8]) throws(WireError) {
        try self.appendAttribute(.useCandidate, valueLength: 0, to: &bytes) { _ in }
    }

    /// Appends ICE-CONTROLLING or ICE-CONTROLLED with the tie-breaker.
    public func appendICERole(_ role: STUNICERole, to bytes: inout [UInt8]) throws(WireError) {
        try self.appendAttribute(role.attributeType, valueLength: 8, to: &bytes) { bytes in
            bytes.appendUInt64(role.tieBreaker)
        }
    }

    /// Appends ERROR-CODE.
    ///
    /// - Parameter reason: the reason phrase; `nil` uses ``STUNErrorCode/defaultReason``.
    /// - Throws: `tooLarge` if the reason is over 763 UTF-8 bytes.
    public func appendErrorCode(
        _ code: STUNErrorCode,
        reason: String? = nil,
        to bytes: inout [UInt8]
    ) throws(WireError) {
        let reason = reason ?? code.defaultReason
        let reasonLength = reason.utf8.count
        guard reasonLength <= STUNMessage.maximumTextLength else {
            throw WireError(.tooLarge, "STUN ERROR-CODE reason over 763 bytes", offset: bytes.count)
        }
        try self.appendAttribute(.errorCode, valueLength: 4 &+ reasonLength, to: &bytes) { bytes in
            bytes.appendUInt16(0)
            bytes.append(UInt8(truncatingIfNeeded: code.errorClass))
            bytes.append(UInt8(truncatingIfNeeded: code.number))
            bytes.append(contentsOf: reason.utf8)
        }
    }

    /// Appends MESSAGE-INTEGRITY with a 20-byte zero placeholder and returns where it is, so that
    /// RTCSecurity can compute the HMAC and write it into ``STUNIntegrityLayout/tagRange``.
    ///
    /// Append nothing but FINGERPRINT after it. The HMAC must be written before
    /// ``appendFingerprint(to:)``, whose CRC covers it.
    public func reserveMessageIntegrity(in bytes: inout [UInt8]) throws(WireError) -> STUNIntegrityLayout {
        let attributeOffset = bytes.count
        try self.appendAttribute(.messageIntegrity, valueLength: 20, to: &bytes) { bytes in
            for _ in 0..<20 {
                bytes.append(0)
            }
        }
        return STUNIntegrityLayout(messageStart: self.start, attributeOffset: attributeOffset, tagLength: 20)
    }

    /// Appends FINGERPRINT over everything written so far; the message is then complete.
    public func appendFingerprint(to bytes: inout [UInt8]) throws(WireError) {
        try self.checkHeader(in: bytes)
        guard bytes.count &- self.start &- 20 &+ 8 <= 0xFFFF else {
            throw WireError(.tooLarge, "STUN message length", offset: bytes.count)
        }
        let attributeOffset = bytes.count
        bytes.appendUInt16(STUNAttributeType.fingerprint.rawValue)
        bytes.appendUInt16(4)
        // The CRC covers the header with its length already counting FINGERPRINT's 8 bytes.
        bytes.setUInt16(UInt16(truncatingIfNeeded: attributeOffset &+ 8 &- self.start &- 20), at: self.start &+ 2)
        let value = STUNFingerprint.value(over: bytes.span.extracting(self.start..<attributeOffset))
        bytes.appendUInt32(value)
    }

    /// The message's bytes so far, from its header (a range of the array).
    public func messageRange(in bytes: [UInt8]) -> Range<Int> {
        self.start..<max(self.start, bytes.count)
    }

    private func appendText(_ type: STUNAttributeType, _ text: String, to bytes: inout [UInt8]) throws(WireError) {
        let length = text.utf8.count
        guard length <= STUNMessage.maximumTextLength else {
            throw WireError(.tooLarge, "STUN text attribute over 763 bytes", offset: bytes.count)
        }
        try self.appendAttribute(type, valueLength: length, to: &bytes) { bytes in
            bytes.append(contentsOf: text.utf8)
        }
    }

    private func checkHeader(in bytes: [UInt8]) throws(WireError) {
        guard self.start >= 0, bytes.count >= self.start &+ 20, (bytes.count &- self.start) & 3 == 0 else {
            throw WireError(.invalidLength, "STUN writer: the array no longer holds this message", offset: self.start)
        }
    }

    private func updateLength(in bytes: inout [UInt8]) {
        bytes.setUInt16(UInt16(truncatingIfNeeded: bytes.count &- self.start &- 20), at: self.start &+ 2)
    }
}
