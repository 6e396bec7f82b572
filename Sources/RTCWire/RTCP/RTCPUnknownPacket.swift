/// An RTCP packet Parley does not interpret: an unknown packet type (XR, ...), or a feedback
/// message with an FMT it does not parse (TMMBR, SLI, RPSI, an application-layer feedback other
/// than REMB, ...). Kept opaque so a compound that holds one is still accepted.
public struct RTCPUnknownPacket: Hashable, Sendable {
    /// The header's packet type.
    public var packetType: RTCPPacketType
    /// The header's 5-bit count field (the FMT for feedback messages); serialising more than 31
    /// throws ``WireError/Code/invalidValue``.
    public var count: UInt8
    /// Everything after the 4-byte common header, with RTCP padding removed.
    ///
    /// When its length is not a multiple of four (which only padding can cause), serialising adds
    /// RTCP padding again, which RFC 3550 allows only on the last packet of a compound: serialising
    /// such a packet anywhere else throws ``WireError/Code/invalidPadding``.
    public var payload: [UInt8]

    /// Makes an opaque packet.
    public init(packetType: RTCPPacketType, count: UInt8, payload: [UInt8]) {
        self.packetType = packetType
        self.count = count
        self.payload = payload
    }
}

extension RTCPUnknownPacket {
    /// Appends the payload and returns the header's count field.
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.count <= 31 else {
            throw WireError(.invalidValue, "RTCP count field (at most 31)")
        }
        bytes.append(contentsOf: self.payload)
        return self.count
    }
}
