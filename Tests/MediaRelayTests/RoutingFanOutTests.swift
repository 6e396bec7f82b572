import MediaRelay
import RTCWire
import Testing

@Suite("Routing fan-out")
struct RoutingFanOutTests {
    static let publisher: RoutingParticipantID = 1
    static let publisherSSRC: UInt32 = 0x1111_1111

    /// Subscriber k (1...9): participant 10 + k, SSRC 0xA000_000k, Opus 111 -> 95 + k, audio level
    /// (1) -> k + 1 (k = 9: id 200, which a one-byte block cannot carry), abs-send-time (3) -> 12
    /// for even k, transport-cc (5) -> 13 when k is a multiple of 3.
    static func subscription(_ k: Int) -> TrackSubscription {
        var extensions: [UInt8: UInt8] = [1: k == 9 ? 200 : UInt8(k + 1)]
        if k % 2 == 0 {
            extensions[3] = 12
        }
        if k % 3 == 0 {
            extensions[5] = 13
        }
        return TrackSubscription(
            subscriber: RoutingParticipantID(rawValue: UInt64(10 + k)),
            track: 1,
            mediaSSRC: 0xA000_0000 + UInt32(k),
            payloadTypes: [111: UInt8(95 + k)],
            headerExtensions: extensions
        )
    }

    static func table() throws -> RoutingTable {
        try RoutingTable(
            tracks: [
                RoutingFixtures.audioTrack(
                    id: 1,
                    publisher: Self.publisher,
                    ssrc: Self.publisherSSRC,
                    extensionIDs: [1, 3, 5]
                )
            ],
            subscriptions: (1...9).map(Self.subscription)
        )
    }

    static func audioPacket(sequenceNumber: UInt16) throws -> [UInt8] {
        try RoutingFixtures.packet(
            ssrc: Self.publisherSSRC,
            sequenceNumber: sequenceNumber,
            timestamp: 0x0102_0304,
            payloadType: 111,
            marker: true,
            extensions: [(1, [0xA5]), (3, [0x01, 0x02, 0x03]), (5, [0x12, 0x34])],
            payload: Array(0..<40)
        )
    }

    @Test("one audio packet to 9 subscribers: each gets its SSRC, payload type and extension ids, bytes checked")
    func nineSubscribers() throws {
        let forwarder = Forwarder(table: try Self.table())
        let original = try Self.audioPacket(sequenceNumber: 4242)
        // The layout the expectations below are computed from: a one-byte block at 12 (3 words),
        // audio level at 16-17, abs-send-time at 18-21, transport-cc at 22-24, padding 25-27,
        // payload from 28.
        #expect(
            Array(original[12..<28]) == [0xBE, 0xDE, 0x00, 0x03, 0x10, 0xA5, 0x32, 1, 2, 3, 0x51, 0x12, 0x34, 0, 0, 0]
        )
        #expect(original.count == 28 + 40)

        let (ingress, delivered) = try RoutingFixtures.send(
            original,
            from: Self.publisher,
            to: forwarder,
            now: RoutingFixtures.at(0)
        )
        #expect(ingress == .forward(RoutingTable.Route(track: 0, stream: .media)))
        try #require(delivered.count == 9)
        for (index, copy) in delivered.enumerated() {
            let k = index + 1
            #expect(copy.subscriber == RoutingParticipantID(rawValue: UInt64(10 + k)))
            #expect(copy.output == .written(length: original.count))
            var expected = original
            expected[1] = 0x80 | UInt8(95 + k)  // marker kept, payload type mapped
            let ssrc = 0xA000_0000 + UInt32(k)
            expected[8] = UInt8(ssrc >> 24)
            expected[9] = UInt8((ssrc >> 16) & 0xFF)
            expected[10] = UInt8((ssrc >> 8) & 0xFF)
            expected[11] = UInt8(ssrc & 0xFF)
            if k <= 8 {
                expected[16] = UInt8(k + 1) << 4  // length nibble 0: one value byte
            } else {
                expected[16] = 0
                expected[17] = 0
            }
            if k % 2 == 0 {
                expected[18] = 12 << 4 | 2
            } else {
                for i in 18...21 { expected[i] = 0 }
            }
            if k % 3 == 0 {
                expected[22] = 13 << 4 | 1
            } else {
                for i in 22...24 { expected[i] = 0 }
            }
            #expect(copy.bytes == expected, "subscriber \(k)")
            #expect(copy.rest.allSatisfy { $0 == RoutingFixtures.fill }, "nothing written past the packet")

            // An independent reading of the same bytes.
            let parsed = try RTPPacket(parsing: copy.bytes)
            #expect(parsed.ssrc == ssrc)
            #expect(parsed.payloadType == UInt8(95 + k))
            #expect(parsed.marker)
            #expect(parsed.sequenceNumber == 4242)
            #expect(parsed.timestamp == 0x0102_0304)
            #expect(parsed.payload == Array(0..<40))
            var extensions: [RTPPacket.HeaderExtension] = []
            if k <= 8 {
                extensions.append(.init(id: UInt8(k + 1), value: [0xA5]))
            }
            if k % 2 == 0 {
                extensions.append(.init(id: 12, value: [1, 2, 3]))
            }
            if k % 3 == 0 {
                extensions.append(.init(id: 13, value: [0x12, 0x34]))
            }
            #expect(parsed.extensions == extensions, "subscriber \(k)")
        }
        // The source packet is untouched (each subscriber got a copy).
        #expect(original == (try Self.audioPacket(sequenceNumber: 4242)))

        // The next packet follows on for everyone.
        let (_, next) = try RoutingFixtures.send(
            try Self.audioPacket(sequenceNumber: 4243),
            from: Self.publisher,
            to: forwarder,
            now: RoutingFixtures.at(20)
        )
        #expect(next.map { $0.header?.sequenceNumber } == Array(repeating: 4243, count: 9))
        #expect(forwarder.rewriter(forDelivery: 0).packetCount == 2)
        #expect(forwarder.rewriter(forDelivery: 0).octetCount == 80)
    }

    @Test("two-byte extension blocks carry translated ids above 14; unmapped elements are erased")
    func twoByteIDs() throws {
        let table = try RoutingTable(
            tracks: [RoutingFixtures.audioTrack(id: 1, publisher: 1, ssrc: 0x10, extensionIDs: [1, 20])],
            subscriptions: [
                TrackSubscription(
                    subscriber: 2,
                    track: 1,
                    mediaSSRC: 0x20,
                    payloadTypes: [111: 111],
                    headerExtensions: [20: 200]
                )
            ]
        )
        let forwarder = Forwarder(table: table)
        var packet = RTPPacket(payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 0x10, payload: [9, 9])
        packet.extensionEncoding = .twoByte(appBits: 0)
        try packet.setExtension(id: 1, value: [0x55])
        try packet.setExtension(id: 20, value: [0xAB, 0xCD])
        let bytes = try packet.serialized()
        let copy = try #require(
            try RoutingFixtures.sendToOne(bytes, from: 1, to: forwarder, now: RoutingFixtures.at(0))
        )
        let parsed = try RTPPacket(parsing: copy.bytes)
        #expect(parsed.extensions == [.init(id: 200, value: [0xAB, 0xCD])])
        #expect(parsed.ssrc == 0x20)
        // Element 1 (header at 16, value at 18) is zeroed; element 20 starts at 19 with its new id.
        #expect(Array(copy.bytes[16..<19]) == [0, 0, 0])
        #expect(copy.bytes[19] == 200)
    }

    @Test("a destination too small for the packet and its trailer gets nothing")
    func destinationTooSmall() throws {
        let forwarder = Forwarder(table: try Self.table())
        let packet = try Self.audioPacket(sequenceNumber: 1)
        let header = try RTPHeader(parsing: packet.span)
        guard case .forward(let route) = forwarder.ingest(header, from: Self.publisher, now: RoutingFixtures.at(0))
        else {
            Issue.record("not routed")
            return
        }
        let tight = RoutingFixtures.write(
            packet,
            header: header,
            route: route,
            delivery: 0,
            forwarder: forwarder,
            now: RoutingFixtures.at(0),
            capacity: packet.count + 15,
            trailerLength: 16
        )
        #expect(tight.output == .dropped(.destinationTooSmall))
        #expect(tight.rest.allSatisfy { $0 == RoutingFixtures.fill })
        #expect(forwarder.dropCount(.destinationTooSmall) == 1)
        let exact = RoutingFixtures.write(
            packet,
            header: header,
            route: route,
            delivery: 1,
            forwarder: forwarder,
            now: RoutingFixtures.at(0),
            capacity: packet.count + 16,
            trailerLength: 16
        )
        #expect(exact.output == .written(length: packet.count))
    }
}
