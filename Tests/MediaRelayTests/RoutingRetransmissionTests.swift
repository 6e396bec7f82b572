import MediaRelay
import RTCWire
import Testing

/// RFC 4588 retransmissions: their own SSRC and sequence space for each subscriber, and the
/// original sequence number inside translated like the media stream's.
@Suite("Routing retransmissions")
struct RoutingRetransmissionTests {
    static let alice: RoutingParticipantID = 1
    static let carol: RoutingParticipantID = 3
    static let dave: RoutingParticipantID = 4

    static func table(generation: UInt32 = 0) throws -> RoutingTable {
        try RoutingTable(
            tracks: [
                PublishedTrack(
                    id: 1,
                    publisher: Self.alice,
                    kind: .video,
                    mediaSSRC: 0x100,
                    rtxSSRC: 0x101,
                    payloadTypes: [96, 97],
                    generation: generation
                )
            ],
            subscriptions: [
                TrackSubscription(
                    subscriber: Self.carol,
                    track: 1,
                    mediaSSRC: 0x200,
                    rtxSSRC: 0x201,
                    payloadTypes: [96: 98, 97: 99]
                ),
                TrackSubscription(subscriber: Self.dave, track: 1, mediaSSRC: 0x300, payloadTypes: [96: 96, 97: 97]),
            ]
        )
    }

    static func retransmission(sequenceNumber: UInt16, original: UInt16, timestamp: UInt32) throws -> [UInt8] {
        try RoutingFixtures.packet(
            ssrc: 0x101,
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            payloadType: 97,
            payload: [UInt8(original >> 8), UInt8(original & 0xFF), 0xC0, 0xFF, 0xEE]
        )
    }

    @Test("a retransmission reaches subscribers that negotiated RTX, with the original sequence number translated")
    func translated() throws {
        let forwarder = Forwarder(table: try Self.table())
        try RoutingFixtures.sendRun(
            count: 5,
            ssrc: 0x100,
            firstSequenceNumber: 1000,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 33
        )
        // Alice restarts (the control plane bumps the generation) with base 7000 at 200 ms:
        // Carol's media continues at 1005, so Alice's 7001 is Carol's 1006.
        forwarder.install(try Self.table(generation: 1))
        try RoutingFixtures.sendRun(
            count: 3,
            ssrc: 0x100,
            firstSequenceNumber: 7000,
            firstTimestamp: 50_000,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            startMilliseconds: 200,
            intervalMilliseconds: 33
        )
        let carolIndex = try #require(forwarder.table.delivery(subscriber: Self.carol, outgoingSSRC: 0x200)?.delivery)
        let offset = forwarder.rewriter(forDelivery: carolIndex).timestampOffset

        let (ingress, delivered) = try RoutingFixtures.send(
            try Self.retransmission(sequenceNumber: 555, original: 7001, timestamp: 53_000),
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(300)
        )
        #expect(ingress == .forward(RoutingTable.Route(track: 0, stream: .retransmission)))
        let carol = try #require(delivered.first { $0.subscriber == Self.carol })
        let dave = try #require(delivered.first { $0.subscriber == Self.dave })
        #expect(dave.output == .dropped(.retransmissionNotNegotiated))
        let packet = try RTPPacket(parsing: carol.bytes)
        #expect(packet.ssrc == 0x201)
        #expect(packet.payloadType == 99)
        #expect(packet.sequenceNumber == 555)
        #expect(packet.timestamp == 53_000 &+ offset)
        #expect(packet.payload == [0x03, 0xEE, 0xC0, 0xFF, 0xEE])  // 1006

        // The RTX sequence stays contiguous whatever the publisher's RTX numbers do.
        let (_, again) = try RoutingFixtures.send(
            try Self.retransmission(sequenceNumber: 9_000, original: 7000, timestamp: 50_000),
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(310)
        )
        let second = try RTPPacket(parsing: try #require(again.first { $0.subscriber == Self.carol }).bytes)
        #expect(second.sequenceNumber == 556)
        #expect(Array(second.payload.prefix(2)) == [0x03, 0xED])  // 1005
    }

    @Test("retransmissions of packets never sent from the current source, or too short, are dropped")
    func untranslatable() throws {
        let forwarder = Forwarder(table: try Self.table())
        try RoutingFixtures.sendRun(
            count: 3,
            ssrc: 0x100,
            firstSequenceNumber: 1000,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 33
        )
        for original: UInt16 in [999, 1003, 5000] {
            let (_, delivered) = try RoutingFixtures.send(
                try Self.retransmission(sequenceNumber: 1, original: original, timestamp: 0),
                from: Self.alice,
                to: forwarder,
                now: RoutingFixtures.at(100)
            )
            #expect(delivered.first { $0.subscriber == Self.carol }?.output == .dropped(.retransmissionNotTranslatable))
        }
        let short = try RoutingFixtures.packet(
            ssrc: 0x101,
            sequenceNumber: 2,
            timestamp: 0,
            payloadType: 97,
            payload: [0x03]
        )
        let (_, delivered) = try RoutingFixtures.send(
            short,
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(100)
        )
        #expect(delivered.first { $0.subscriber == Self.carol }?.output == .dropped(.malformedRetransmission))
        #expect(forwarder.dropCount(.retransmissionNotTranslatable) == 3)
    }
}
