/// The packet type (PT) byte of an RTCP packet's common header (RFC 3550 section 6.4).
///
/// A value type over the raw byte rather than an enum, so packet types Parley does not parse (XR,
/// and whatever comes next) are still representable: they arrive as ``RTCPUnknownPacket``.
public struct RTCPPacketType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The PT byte as it appears on the wire.
    public let rawValue: UInt8

    /// Wraps a PT byte. Any value is accepted; only the constants below are parsed into typed values.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// SR, sender report (RFC 3550 section 6.4.1).
    public static let senderReport = RTCPPacketType(rawValue: 200)
    /// RR, receiver report (RFC 3550 section 6.4.2).
    public static let receiverReport = RTCPPacketType(rawValue: 201)
    /// SDES, source description (RFC 3550 section 6.5).
    public static let sourceDescription = RTCPPacketType(rawValue: 202)
    /// BYE, goodbye (RFC 3550 section 6.6).
    public static let goodbye = RTCPPacketType(rawValue: 203)
    /// APP, application-defined (RFC 3550 section 6.7).
    public static let applicationDefined = RTCPPacketType(rawValue: 204)
    /// RTPFB, transport-layer feedback (RFC 4585 section 6.2): generic NACK, transport-cc.
    public static let transportLayerFeedback = RTCPPacketType(rawValue: 205)
    /// PSFB, payload-specific feedback (RFC 4585 section 6.3): PLI, FIR, REMB.
    public static let payloadSpecificFeedback = RTCPPacketType(rawValue: 206)
    /// XR, extended report (RFC 3611). Not parsed: it arrives as ``RTCPUnknownPacket``.
    public static let extendedReport = RTCPPacketType(rawValue: 207)

    /// The RFC's abbreviation (`SR`, `RTPFB`, ...) or the number for other types.
    public var description: String {
        switch self.rawValue {
        case 200: return "SR"
        case 201: return "RR"
        case 202: return "SDES"
        case 203: return "BYE"
        case 204: return "APP"
        case 205: return "RTPFB"
        case 206: return "PSFB"
        case 207: return "XR"
        default: return "PT(\(self.rawValue))"
        }
    }
}
