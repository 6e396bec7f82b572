extension STUNMessage {
    /// The USERNAME, if present before the integrity attributes.
    ///
    /// - Parameter bytes: the bytes this message was parsed from. Other bytes (a different count)
    ///   give `nil`.
    /// - Returns: the text; it was checked to be UTF-8 when parsed. Allocates for more than 15 bytes.
    public func username(in bytes: Span<UInt8>) -> String? {
        self.text(self.usernameRange, in: bytes)
    }

    /// The two halves of an ICE USERNAME, `<receiver's ufrag>:<sender's ufrag>`, split at the first
    /// colon, as ranges of `bytes`; for a Binding request to Parley, `local` is Parley's ufrag.
    ///
    /// Lets the relay look up credentials by comparing bytes, without building a `String`. An ICE
    /// check whose USERNAME has no colon gives `nil`.
    public func usernameFragments(in bytes: Span<UInt8>) -> (local: Range<Int>, remote: Range<Int>)? {
        guard let range = self.usernameRange, bytes.count == self.byteCount else { return nil }
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == UInt8(ascii: ":") {
                return (range.lowerBound..<index, (index &+ 1)..<range.upperBound)
            }
            index &+= 1
        }
        return nil
    }

    /// The SOFTWARE text, if present; ill-formed UTF-8 is repaired with U+FFFD (it is only for logs).
    public func software(in bytes: Span<UInt8>) -> String? {
        self.text(self.softwareRange, in: bytes)
    }

    /// The ERROR-CODE reason phrase, if present; ill-formed UTF-8 is repaired with U+FFFD.
    public func errorReason(in bytes: Span<UInt8>) -> String? {
        self.text(self.errorReasonRange, in: bytes)
    }

    /// The first attribute of type `type` that precedes MESSAGE-INTEGRITY (and -SHA256), or
    /// FINGERPRINT / MESSAGE-INTEGRITY-SHA256 wherever they are.
    ///
    /// For the attributes this type does not decode itself (REALM, NONCE, vendor attributes). It
    /// never returns an attribute that follows MESSAGE-INTEGRITY, other than those two, since no
    /// integrity check covers those; use ``forEachAttribute(in:_:)`` to see everything.
    ///
    /// - Parameter bytes: the bytes this message was parsed from; other bytes give `nil`.
    public func attribute(_ type: STUNAttributeType, in bytes: Span<UInt8>) -> STUNAttribute? {
        var found: STUNAttribute? = nil
        self.forEachAttribute(in: bytes) { attribute in
            guard found == nil, attribute.type == type else { return }
            let trusted =
                !attribute.followsIntegrity || type == .fingerprint
                || (type == .messageIntegritySHA256 && attribute.offset == self.messageIntegritySHA256?.attributeOffset)
            if trusted { found = attribute }
        }
        return found
    }

    /// Calls `body` with every attribute in order, including any after MESSAGE-INTEGRITY (marked
    /// ``STUNAttribute/followsIntegrity``).
    ///
    /// Walks the attribute headers again; allocates nothing. The structure was validated when the
    /// message was parsed; if `bytes` are not those bytes (a different count), nothing is visited,
    /// and a walk that would leave the bytes stops.
    public func forEachAttribute<Failure: Error>(
        in bytes: Span<UInt8>,
        _ body: (STUNAttribute) throws(Failure) -> Void
    ) throws(Failure) {
        guard bytes.count == self.byteCount else { return }
        let integrityOffset = min(
            self.messageIntegrity?.attributeOffset ?? Int.max,
            self.messageIntegritySHA256?.attributeOffset ?? Int.max
        )
        var offset = 20
        var visited = 0
        while offset <= bytes.count &- 4, visited < Self.maximumAttributeCount {
            let type = STUNAttributeType(rawValue: bytes.uint16(at: offset))
            let length = Int(bytes.uint16(at: offset &+ 2))
            let valueStart = offset &+ 4
            let next = valueStart &+ ((length &+ 3) & ~3)
            guard next <= bytes.count else { return }
            let attribute = STUNAttribute(
                type: type,
                offset: offset,
                valueRange: valueStart..<(valueStart &+ length),
                followsIntegrity: offset > integrityOffset
            )
            try body(attribute)
            offset = next
            visited &+= 1
        }
    }

    private func text(_ range: Range<Int>?, in bytes: Span<UInt8>) -> String? {
        guard let range, bytes.count == self.byteCount, range.upperBound <= bytes.count else { return nil }
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            // Copies the value byte by byte; String validates it and repairs ill-formed sequences.
            var written = 0
            for index in range {
                buffer[written] = bytes[index]
                written &+= 1
            }
            return written
        }
    }
}
