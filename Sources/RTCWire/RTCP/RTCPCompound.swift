/// A compound RTCP packet (RFC 3550 section 6): the RTCP packets of one datagram, in order.
///
/// Parse every RTCP datagram (after SRTCP unprotect) with ``init(parsing:padding:)``. It checks the
/// whole datagram before returning anything: each packet must be version 2, its length
/// (`(length + 1) * 4` bytes) must fit in what remains, and its body must be valid for its type. If
/// any packet fails, the whole compound is rejected, since a bad length makes everything after it
/// meaningless. Reduced-size RTCP (RFC 5506) is accepted: a compound may hold a single packet of any
/// type, and SR/RR is not required first.
///
/// Build what the relay sends with ``receiverReport(ssrc:reportBlocks:cname:feedback:)`` or
/// ``senderReport(_:cname:feedback:)``, then ``serialize(into:)``.
public struct RTCPCompound: Hashable, Sendable {
    /// Where the RTCP padding bit (P) may be set.
    public struct PaddingRule: Hashable, Sendable {
        private let anyPacket: Bool

        private init(anyPacket: Bool) {
            self.anyPacket = anyPacket
        }

        /// RFC 3550 (section 6.4.1 and appendix A.2): only the last packet of a compound may be
        /// padded; padding anywhere else rejects the compound. The default.
        public static let lastPacketOnly = PaddingRule(anyPacket: false)
        /// Any packet may be padded. libwebrtc pads transport-cc feedback with the P bit wherever
        /// it sits and parses padding on any packet; use this to accept such compounds.
        public static let anyPacket = PaddingRule(anyPacket: true)

        var allowsAnyPacket: Bool { self.anyPacket }
    }

    /// The packets in wire order; never empty after parsing.
    public var packets: [RTCPPacket]

    /// Makes a compound from packets. Serialising an empty list throws.
    public init(packets: [RTCPPacket]) {
        self.packets = packets
    }

    /// Parses a datagram holding one or more RTCP packets.
    ///
    /// Padding, where allowed, must be at least one byte and fit inside its packet's body (the
    /// 4-byte common header cannot be padding); it is removed before the body is parsed and is not
    /// kept (serialising adds it back only where a body needs it).
    ///
    /// - Parameters:
    ///   - bytes: the datagram, untrusted.
    ///   - padding: where the padding bit may be set; RFC 3550's rule unless told otherwise.
    /// - Throws: `WireError`: ``WireError/Code/truncated`` for an empty datagram, a header cut
    ///   short, a length past the end, or a count larger than the bytes; ``WireError/Code/invalidVersion``;
    ///   ``WireError/Code/invalidPadding``; and the codes of each packet type's own checks. The
    ///   error's offset is from the start of `bytes`.
    public init(parsing bytes: Span<UInt8>, padding: PaddingRule = .lastPacketOnly) throws(WireError) {
        guard !bytes.isEmpty else {
            throw WireError(.truncated, "RTCP compound is empty")
        }
        var packets: [RTCPPacket] = []
        var offset = 0
        // Each pass consumes at least 4 bytes, so the loop ends within bytes.count / 4 passes.
        while offset < bytes.count {
            guard bytes.count &- offset >= 4 else {
                throw WireError(.truncated, "RTCP common header", offset: offset)
            }
            let first = bytes[offset]
            guard first &>> 6 == 2 else {
                throw WireError(.invalidVersion, "RTCP version is not 2", offset: offset)
            }
            // At most 65536 * 4 bytes, so this cannot overflow.
            let size = (Int(bytes.uint16(at: offset &+ 2)) &+ 1) &* 4
            guard bytes.count &- offset >= size else {
                throw WireError(.truncated, "RTCP packet length past the end of the compound", offset: offset &+ 2)
            }
            let end = offset &+ size
            var bodyEnd = end
            if first & 0x20 != 0 {
                guard end == bytes.count || padding.allowsAnyPacket else {
                    throw WireError(.invalidPadding, "RTCP padding on a packet that is not last", offset: offset)
                }
                let paddingLength = Int(bytes[end &- 1])
                guard paddingLength > 0, paddingLength <= size &- 4 else {
                    throw WireError(.invalidPadding, "RTCP padding length 0 or past the packet", offset: end &- 1)
                }
                bodyEnd = end &- paddingLength
            }
            let bodyStart = offset &+ 4
            do throws(WireError) {
                packets.append(
                    try RTCPPacket(
                        packetType: RTCPPacketType(rawValue: bytes[offset &+ 1]),
                        count: first & 0x1F,
                        body: bytes.extracting(bodyStart..<bodyEnd)
                    )
                )
            } catch {
                throw error.rtcpShifted(by: bodyStart)
            }
            offset = end
        }
        self.packets = packets
    }

    /// Parses a datagram held in an array; see ``init(parsing:padding:)``.
    public init(parsing bytes: [UInt8], padding: PaddingRule = .lastPacketOnly) throws(WireError) {
        try self.init(parsing: bytes.span, padding: padding)
    }

    /// Appends the compound's packets, in order.
    ///
    /// - Parameter bytes: the buffer to append to, typically emptied with
    ///   `removeAll(keepingCapacity: true)` and reused. On error it is left as it was.
    /// - Throws: ``WireError/Code/missingField`` for an empty compound, or the first packet's
    ///   error (see ``RTCPPacket/serialize(into:isLast:)``).
    public func serialize(into bytes: inout [UInt8]) throws(WireError) {
        guard !self.packets.isEmpty else {
            throw WireError(.missingField, "RTCP compound without packets")
        }
        let start = bytes.count
        do throws(WireError) {
            for index in self.packets.indices {
                try self.packets[index].serialize(into: &bytes, isLast: index == self.packets.count &- 1)
            }
        } catch {
            bytes.removeSubrange(start..<bytes.count)
            throw error
        }
    }

    /// The compound's bytes; see ``serialize(into:)``.
    public func serialized() throws(WireError) -> [UInt8] {
        var bytes: [UInt8] = []
        try self.serialize(into: &bytes)
        return bytes
    }
}
