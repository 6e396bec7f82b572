import RTCWire
import Testing

@Suite("RFC 7983 demultiplexing")
struct PacketClassTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let first_byte: Int
            let expected: String
        }
        let boundary_cases: [Case]
    }

    @Test("every boundary byte in rfc7983.json classifies as published")
    func boundaryBytes() throws {
        let vectors = try VectorFile.load("rfc7983.json", as: Vectors.self)
        #expect(vectors.boundary_cases.count > 10)
        for vector in vectors.boundary_cases {
            // Second byte 0 keeps RTP-range bytes on the RTP side of the RFC 5761 split.
            let bytes: [UInt8] = [UInt8(vector.first_byte), 0]
            let result = PacketClass(classifying: bytes.span)
            let expected: PacketClass
            switch vector.expected {
            case "STUN": expected = .stun
            case "DTLS": expected = .dtls
            case "RTP/RTCP": expected = .rtp
            default: expected = .unknown  // ZRTP, TURN channels and unassigned ranges are dropped
            }
            #expect(result == expected, "first byte \(vector.first_byte)")
        }
    }

    @Test("all 256 first bytes: only the accepted ranges classify")
    func everyFirstByte() {
        for first in 0...255 {
            let result = PacketClass(classifying: [UInt8(first), 96].span)
            switch first {
            case 0...3: #expect(result == .stun)
            case 20...63: #expect(result == .dtls)
            case 128...191: #expect(result == .rtp)
            default: #expect(result == .unknown, "first byte \(first)")
            }
        }
    }

    @Test("RTP/RTCP split on the second byte (RFC 5761)")
    func rtcpSplit() {
        for second in 0...255 {
            let result = PacketClass(classifying: [0x80, UInt8(second)].span)
            #expect(result == ((192...223).contains(second) ? .rtcp : .rtp), "second byte \(second)")
        }
    }

    @Test("empty and one-byte datagrams never trap")
    func shortInput() {
        #expect(PacketClass(classifying: [UInt8]().span) == .unknown)
        #expect(PacketClass(classifying: [0x80].span) == .unknown)
        #expect(PacketClass(classifying: [0x00].span) == .stun)
        #expect(PacketClass(classifying: [0x16].span) == .dtls)
    }
}
