extension STUNMessage {
    /// Parses one STUN message that fills `bytes` exactly (one datagram).
    ///
    /// See ``STUNMessage`` for what is checked and rejected. The cost is one pass over the
    /// attribute headers, plus a UTF-8 check of USERNAME and, unless `fingerprint` is `.ignore`, a
    /// CRC over the message when FINGERPRINT is present. Nothing is allocated.
    ///
    /// - Parameters:
    ///   - bytes: the datagram as received (untrusted).
    ///   - fingerprint: whether FINGERPRINT is required, checked when present, or not checked.
    /// - Throws: `WireError` naming the broken rule.
    public init(parsing bytes: Span<UInt8>, fingerprint: FingerprintPolicy = .verifyIfPresent) throws(WireError) {
        let count = bytes.count
        guard count >= 20 else {
            throw WireError(.truncated, "STUN header", offset: count)
        }
        let rawType = bytes.uint16(at: 0)
        guard let type = STUNMessageType(rawValue: rawType) else {
            throw WireError(.invalidValue, "STUN first two bits must be zero", offset: 0)
        }
        let length = Int(bytes.uint16(at: 2))
        guard length & 3 == 0, length == count &- 20 else {
            throw WireError(.invalidLength, "STUN header length must be datagram length - 20", offset: 2)
        }
        guard bytes.uint32(at: 4) == Self.magicCookie else {
            throw WireError(.invalidValue, "STUN magic cookie", offset: 4)
        }
        self.type = type
        self.transactionID = STUNTransactionID(header: bytes)
        self.byteCount = count

        var offset = 20
        // Set at the first MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256: from there on only
        // MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are read, so nothing unauthenticated reaches a field.
        var integritySeen = false
        while offset < count {
            guard self.fingerprintOffset == nil else {
                throw WireError(.invalidValue, "STUN attribute after FINGERPRINT", offset: offset)
            }
            self.attributeCount &+= 1
            guard self.attributeCount <= Self.maximumAttributeCount else {
                throw WireError(.tooMany, "STUN attributes", offset: offset)
            }
            // `offset` and `count` are both 20 plus a multiple of 4, so 4 header bytes remain.
            guard count &- offset >= 4 else {
                throw WireError(.truncated, "STUN attribute header", offset: offset)
            }
            let attributeType = STUNAttributeType(rawValue: bytes.uint16(at: offset))
            let valueLength = Int(bytes.uint16(at: offset &+ 2))
            guard valueLength != 0xFFFF else {
                throw WireError(.invalidLength, "STUN attribute length 0xFFFF", offset: offset &+ 2)
            }
            let valueStart = offset &+ 4
            // At most 0xFFFE + 3, so no overflow; any padding value is accepted.
            let paddedLength = (valueLength &+ 3) & ~3
            guard paddedLength <= count &- valueStart else {
                throw WireError(.truncated, "STUN attribute runs past the end", offset: offset)
            }
            let value = valueStart..<(valueStart &+ valueLength)

            if !integritySeen {
                try self.readProtected(attributeType, at: offset, value: value, in: bytes)
                integritySeen = self.messageIntegrity != nil || self.messageIntegritySHA256 != nil
            } else {
                try self.readAfterIntegrity(attributeType, at: offset, value: value)
            }
            if attributeType == .fingerprint {
                guard valueLength == 4 else {
                    throw WireError(.invalidLength, "STUN FINGERPRINT must be 4 bytes", offset: offset)
                }
                self.fingerprintOffset = offset
                self.fingerprint = bytes.uint32(at: valueStart)
            }
            offset = valueStart &+ paddedLength
        }

        switch fingerprint {
        case .ignore:
            break
        case .verifyIfPresent, .require:
            if let fingerprintOffset = self.fingerprintOffset, let received = self.fingerprint {
                let expected = STUNFingerprint.value(over: bytes.extracting(0..<fingerprintOffset))
                guard expected == received else {
                    throw WireError(.invalidChecksum, "STUN FINGERPRINT", offset: fingerprintOffset)
                }
            } else if fingerprint == .require {
                throw WireError(.missingField, "STUN FINGERPRINT", offset: count)
            }
        }
    }

    /// Convenience for tests and tools: parses an array.
    public init(parsing bytes: [UInt8], fingerprint: FingerprintPolicy = .verifyIfPresent) throws(WireError) {
        try self.init(parsing: bytes.span, fingerprint: fingerprint)
    }

    /// Reads an attribute that precedes any integrity attribute. First occurrence wins (RFC 8489
    /// section 14: a receiver needs to process only the first of a repeated attribute).
    private mutating func readProtected(
        _ type: STUNAttributeType,
        at offset: Int,
        value: Range<Int>,
        in bytes: Span<UInt8>
    ) throws(WireError) {
        let length = value.count
        switch type {
        case .username:
            guard length <= Self.maximumTextLength else {
                throw WireError(.tooLarge, "STUN USERNAME over 763 bytes", offset: offset)
            }
            guard STUNUTF8.isValid(bytes, value) else {
                throw WireError(.invalidValue, "STUN USERNAME is not UTF-8", offset: offset)
            }
            if self.usernameRange == nil { self.usernameRange = value }
        case .messageIntegrity:
            // Exactly 20: a shorter or longer "tag" must never reach a comparison.
            guard length == 20 else {
                throw WireError(.invalidLength, "STUN MESSAGE-INTEGRITY must be 20 bytes", offset: offset)
            }
            self.messageIntegrity = STUNIntegrityLayout(messageStart: 0, attributeOffset: offset, tagLength: 20)
        case .messageIntegritySHA256:
            try self.readIntegritySHA256(at: offset, length: length)
        case .fingerprint:
            break  // Handled by the caller for every position.
        case .xorMappedAddress:
            let address = try Self.readXORMappedAddress(at: offset, value: value, in: bytes, self.transactionID)
            if self.xorMappedAddress == nil { self.xorMappedAddress = address }
        case .priority:
            guard length == 4 else {
                throw WireError(.invalidLength, "STUN PRIORITY must be 4 bytes", offset: offset)
            }
            if self.priority == nil { self.priority = bytes.uint32(at: value.lowerBound) }
        case .useCandidate:
            guard length == 0 else {
                throw WireError(.invalidLength, "STUN USE-CANDIDATE must be empty", offset: offset)
            }
            self.useCandidate = true
        case .iceControlling, .iceControlled:
            guard length == 8 else {
                throw WireError(.invalidLength, "STUN ICE-CONTROLLING/CONTROLLED must be 8 bytes", offset: offset)
            }
            let tieBreaker = bytes.uint64(at: value.lowerBound)
            if type == .iceControlling {
                if self.iceControlling == nil { self.iceControlling = tieBreaker }
            } else {
                if self.iceControlled == nil { self.iceControlled = tieBreaker }
            }
        case .errorCode:
            guard length >= 4, length - 4 <= Self.maximumTextLength else {
                throw WireError(.invalidLength, "STUN ERROR-CODE length", offset: offset)
            }
            // Bytes 0-1 are reserved; byte 2 holds the class in its low 3 bits, byte 3 the number.
            let errorClass = Int(bytes[value.lowerBound &+ 2] & 0x07)
            let number = Int(bytes[value.lowerBound &+ 3])
            guard number < 100, let code = STUNErrorCode(rawValue: errorClass * 100 + number) else {
                throw WireError(.invalidValue, "STUN ERROR-CODE outside 300-699", offset: offset)
            }
            if self.errorCode == nil {
                self.errorCode = code
                self.errorReasonRange = (value.lowerBound &+ 4)..<value.upperBound
            }
        case .software:
            guard length <= Self.maximumTextLength else {
                throw WireError(.tooLarge, "STUN SOFTWARE over 763 bytes", offset: offset)
            }
            if self.softwareRange == nil { self.softwareRange = value }
        default:
            if type.isComprehensionRequired && !type.isRecognized && self.firstUnknownRequiredAttribute == nil {
                self.firstUnknownRequiredAttribute = type
            }
        }
    }

    /// Reads an attribute that follows MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256: only
    /// MESSAGE-INTEGRITY-SHA256 (after MESSAGE-INTEGRITY) and FINGERPRINT count; everything else is
    /// ignored, since no integrity check covers it.
    private mutating func readAfterIntegrity(
        _ type: STUNAttributeType,
        at offset: Int,
        value: Range<Int>
    ) throws(WireError) {
        switch type {
        case .fingerprint:
            break  // Handled by the caller for every position.
        case .messageIntegritySHA256 where self.messageIntegritySHA256 == nil:
            try self.readIntegritySHA256(at: offset, length: value.count)
        default:
            self.ignoredAfterIntegrityCount &+= 1
        }
    }

    private mutating func readIntegritySHA256(at offset: Int, length: Int) throws(WireError) {
        // RFC 8489 section 14.6: 16 to 32 bytes, a multiple of 4 (a truncated HMAC-SHA256).
        guard (16...32).contains(length), length & 3 == 0 else {
            throw WireError(.invalidLength, "STUN MESSAGE-INTEGRITY-SHA256 length", offset: offset)
        }
        self.messageIntegritySHA256 = STUNIntegrityLayout(messageStart: 0, attributeOffset: offset, tagLength: length)
    }

    private static func readXORMappedAddress(
        at offset: Int,
        value: Range<Int>,
        in bytes: Span<UInt8>,
        _ transactionID: STUNTransactionID
    ) throws(WireError) -> STUNAddress {
        guard value.count >= 4 else {
            throw WireError(.invalidLength, "STUN XOR-MAPPED-ADDRESS too short", offset: offset)
        }
        let start = value.lowerBound
        // The port is XORed with the cookie's high 16 bits; the address with the cookie (IPv4) or
        // with the cookie followed by the transaction ID (IPv6).
        let port = bytes.uint16(at: start &+ 2) ^ UInt16(truncatingIfNeeded: Self.magicCookie &>> 16)
        switch bytes[start &+ 1] {
        case STUNAddress.Family.ipv4.rawValue:
            guard value.count == 8 else {
                throw WireError(.invalidLength, "STUN XOR-MAPPED-ADDRESS IPv4 must be 8 bytes", offset: offset)
            }
            return STUNAddress(ipv4: bytes.uint32(at: start &+ 4) ^ Self.magicCookie, port: port)
        case STUNAddress.Family.ipv6.rawValue:
            guard value.count == 20 else {
                throw WireError(.invalidLength, "STUN XOR-MAPPED-ADDRESS IPv6 must be 20 bytes", offset: offset)
            }
            let high = bytes.uint64(at: start &+ 4) ^ (UInt64(Self.magicCookie) &<< 32 | UInt64(transactionID.high))
            let low = bytes.uint64(at: start &+ 12) ^ transactionID.low
            return STUNAddress(ipv6High: high, low: low, port: port)
        default:
            throw WireError(.invalidValue, "STUN XOR-MAPPED-ADDRESS family", offset: offset)
        }
    }
}
