/// What a datagram on a muxed WebRTC port is, judged by its first bytes (RFC 7983, RFC 5761).
///
/// The relay classifies every datagram with ``init(classifying:)`` before parsing anything, and
/// drops ``unknown`` ones (counting them). Classification reads at most two bytes and never fails.
public enum PacketClass: Hashable, Sendable {
    /// First byte 0-3: a STUN message (RFC 7983 section 7).
    case stun
    /// First byte 20-63: a DTLS record.
    case dtls
    /// First byte 128-191 and second byte outside 192-223: an RTP packet.
    case rtp
    /// First byte 128-191 and second byte 192-223: an RTCP packet (RFC 5761 section 4).
    case rtcp
    /// Anything else, including ZRTP (16-19), TURN channel data (64-79) and empty datagrams,
    /// which Parley does not accept on a media port.
    case unknown
}

extension PacketClass {
    /// Classifies a datagram by its first byte, and for RTP/RTCP by its second.
    ///
    /// - Parameter bytes: the datagram as received. An empty datagram, or an RTP-range first byte
    ///   with no second byte, is ``unknown``.
    @inlinable
    public init(classifying bytes: Span<UInt8>) {
        guard !bytes.isEmpty else {
            self = .unknown
            return
        }
        switch bytes[0] {
        case 0...3:
            self = .stun
        case 20...63:
            self = .dtls
        case 128...191:
            guard bytes.count >= 2 else {
                self = .unknown
                return
            }
            // RFC 5761 section 4: RTCP packet types 192-223 collide with RTP payload types 64-95
            // with the marker bit set, which is why those payload types must not be used for RTP.
            self = (192...223).contains(bytes[1]) ? .rtcp : .rtp
        default:
            self = .unknown
        }
    }
}
