/// One RTCP packet of a compound: a typed value for each kind Parley parses, and
/// ``unknown(_:)`` for the rest.
///
/// Parse whole datagrams with ``RTCPCompound/init(parsing:padding:)``; this type is what its
/// ``RTCPCompound/packets`` hold. New cases may be added: switch over it with a `default`.
public enum RTCPPacket: Hashable, Sendable {
    /// SR, PT 200.
    case senderReport(RTCPSenderReport)
    /// RR, PT 201.
    case receiverReport(RTCPReceiverReport)
    /// SDES, PT 202.
    case sourceDescription(RTCPSourceDescription)
    /// BYE, PT 203.
    case goodbye(RTCPGoodbye)
    /// APP, PT 204.
    case applicationDefined(RTCPApplicationDefined)
    /// RTPFB (PT 205) FMT 1: generic NACK.
    case genericNACK(RTCPGenericNACK)
    /// RTPFB (PT 205) FMT 15: transport-wide congestion control feedback.
    case transportWideFeedback(RTCPTransportWideFeedback)
    /// PSFB (PT 206) FMT 1: picture loss indication.
    case pictureLossIndication(RTCPPictureLossIndication)
    /// PSFB (PT 206) FMT 4: full intra request.
    case fullIntraRequest(RTCPFullIntraRequest)
    /// PSFB (PT 206) FMT 15 with identifier `"REMB"`: receiver estimated maximum bitrate.
    case receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate)
    /// Any other packet type, or a feedback FMT not listed above, kept opaque.
    case unknown(RTCPUnknownPacket)

    /// The packet type this packet has on the wire.
    public var packetType: RTCPPacketType {
        switch self {
        case .senderReport: return .senderReport
        case .receiverReport: return .receiverReport
        case .sourceDescription: return .sourceDescription
        case .goodbye: return .goodbye
        case .applicationDefined: return .applicationDefined
        case .genericNACK, .transportWideFeedback: return .transportLayerFeedback
        case .pictureLossIndication, .fullIntraRequest, .receiverEstimatedMaximumBitrate:
            return .payloadSpecificFeedback
        case .unknown(let packet): return packet.packetType
        }
    }
}

extension RTCPPacket {
    /// Parses one packet's body: `body` is everything after its 4-byte common header, with RTCP
    /// padding already removed; `count` is the header's 5-bit count/FMT field. Errors carry offsets
    /// from the start of `body`.
    init(packetType: RTCPPacketType, count: UInt8, body: Span<UInt8>) throws(WireError) {
        switch packetType {
        case .senderReport:
            self = .senderReport(try RTCPSenderReport(parsingBody: body, count: count))
        case .receiverReport:
            self = .receiverReport(try RTCPReceiverReport(parsingBody: body, count: count))
        case .sourceDescription:
            self = .sourceDescription(try RTCPSourceDescription(parsingBody: body, count: count))
        case .goodbye:
            self = .goodbye(try RTCPGoodbye(parsingBody: body, count: count))
        case .applicationDefined:
            self = .applicationDefined(try RTCPApplicationDefined(parsingBody: body, count: count))
        case .transportLayerFeedback where count == RTCPGenericNACK.format:
            self = .genericNACK(try RTCPGenericNACK(parsingBody: body))
        case .transportLayerFeedback where count == RTCPTransportWideFeedback.format:
            self = .transportWideFeedback(try RTCPTransportWideFeedback(parsingBody: body))
        case .payloadSpecificFeedback where count == RTCPPictureLossIndication.format:
            self = .pictureLossIndication(try RTCPPictureLossIndication(parsingBody: body))
        case .payloadSpecificFeedback where count == RTCPFullIntraRequest.format:
            self = .fullIntraRequest(try RTCPFullIntraRequest(parsingBody: body))
        case .payloadSpecificFeedback
        where count == RTCPReceiverEstimatedMaximumBitrate.format
            && RTCPReceiverEstimatedMaximumBitrate.matches(body):
            self = .receiverEstimatedMaximumBitrate(try RTCPReceiverEstimatedMaximumBitrate(parsingBody: body))
        case .transportLayerFeedback, .payloadSpecificFeedback:
            // Every feedback message starts with the sender and media source SSRCs (RFC 4585
            // section 6.1), even those kept opaque.
            guard body.count >= 8 else {
                throw WireError(.truncated, "RTCP feedback header", offset: body.count)
            }
            self = .unknown(
                RTCPUnknownPacket(packetType: packetType, count: count, payload: body.rtcpCopy(0..<body.count))
            )
        default:
            self = .unknown(
                RTCPUnknownPacket(packetType: packetType, count: count, payload: body.rtcpCopy(0..<body.count))
            )
        }
    }

    /// Appends this packet: common header, body, and RTCP padding if the body is not a multiple of
    /// four bytes (only an ``unknown(_:)`` payload can be).
    ///
    /// - Parameters:
    ///   - bytes: the buffer to append to. On error, it is left as it was.
    ///   - isLast: whether this is the last packet of its compound, the only place RFC 3550 allows
    ///     padding; padding needed anywhere else throws ``WireError/Code/invalidPadding``.
    /// - Throws: `WireError` when a field does not fit its wire encoding (a count over 31, an SDES
    ///   item over 255 bytes, a packet over 65536 words, ...); each type's documentation lists its
    ///   limits.
    public func serialize(into bytes: inout [UInt8], isLast: Bool = true) throws(WireError) {
        let start = bytes.count
        do throws(WireError) {
            try self.serializeUnchecked(into: &bytes, isLast: isLast, start: start)
        } catch {
            bytes.removeSubrange(start..<bytes.count)
            throw error
        }
    }

    /// The packet's bytes, as the last packet of a compound (see ``serialize(into:isLast:)``).
    public func serialized() throws(WireError) -> [UInt8] {
        var bytes: [UInt8] = []
        try self.serialize(into: &bytes)
        return bytes
    }

    private func serializeUnchecked(into bytes: inout [UInt8], isLast: Bool, start: Int) throws(WireError) {
        bytes.append(contentsOf: [0, 0, 0, 0])  // common header, filled in below
        let count: UInt8
        switch self {
        case .senderReport(let packet): count = try packet.serializeBody(into: &bytes)
        case .receiverReport(let packet): count = try packet.serializeBody(into: &bytes)
        case .sourceDescription(let packet): count = try packet.serializeBody(into: &bytes)
        case .goodbye(let packet): count = try packet.serializeBody(into: &bytes)
        case .applicationDefined(let packet): count = try packet.serializeBody(into: &bytes)
        case .genericNACK(let packet): count = try packet.serializeBody(into: &bytes)
        case .transportWideFeedback(let packet): count = try packet.serializeBody(into: &bytes)
        case .pictureLossIndication(let packet): count = packet.serializeBody(into: &bytes)
        case .fullIntraRequest(let packet): count = try packet.serializeBody(into: &bytes)
        case .receiverEstimatedMaximumBitrate(let packet): count = try packet.serializeBody(into: &bytes)
        case .unknown(let packet): count = try packet.serializeBody(into: &bytes)
        }
        var first: UInt8 = 0x80 | count  // V=2; every serializeBody returns a count below 32
        let unaligned = (bytes.count &- start) % 4
        if unaligned != 0 {
            guard isLast else {
                throw WireError(.invalidPadding, "RTCP padding needed on a packet that is not last")
            }
            // RTCP padding: zeros, then the padding length (which counts itself) in the last byte.
            let paddingLength = 4 &- unaligned
            bytes.append(contentsOf: repeatElement(0, count: paddingLength &- 1))
            bytes.append(UInt8(paddingLength))
            first |= 0x20
        }
        let words = (bytes.count &- start) / 4 &- 1
        guard words <= 0xFFFF else {
            throw WireError(.tooLarge, "RTCP packet longer than 65536 words")
        }
        bytes[start] = first
        bytes[start &+ 1] = self.packetType.rawValue
        bytes.setUInt16(UInt16(words), at: start &+ 2)
    }
}
