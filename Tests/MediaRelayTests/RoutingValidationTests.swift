import MediaRelay
import RTCWire
import Testing

@Suite("Routing validation")
struct RoutingValidationTests {
    static let alice: RoutingParticipantID = 1
    static let bob: RoutingParticipantID = 2
    static let carol: RoutingParticipantID = 3

    static func table() throws -> RoutingTable {
        try RoutingTable(
            tracks: [
                RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, payloadTypes: [111, 63]),
                RoutingFixtures.audioTrack(id: 2, publisher: Self.bob, ssrc: 0xB),
            ],
            subscriptions: [
                RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30),
                RoutingFixtures.plainSubscription(Self.bob, to: 1, ssrc: 0x40, payloadTypes: [111: 111, 63: 100]),
            ]
        )
    }

    static func buildError(_ tracks: [PublishedTrack], _ subscriptions: [TrackSubscription] = []) -> RoutingTableError?
    {
        do {
            _ = try RoutingTable(tracks: tracks, subscriptions: subscriptions)
            return nil
        } catch {
            return error
        }
    }

    @Test("SSRC hijack: 1000 packets from Bob with Alice's SSRC are dropped and change nothing")
    func ssrcHijack() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<1000 {
            // Far-apart sequence numbers and timestamps: had any reached Alice's stream state,
            // Carol's numbering would have moved.
            let packet = try RoutingFixtures.packet(
                ssrc: 0xA,
                sequenceNumber: UInt16(i * 61 % 65_536),
                timestamp: UInt32(i) &* 0x0101_0101
            )
            let (ingress, delivered) = try RoutingFixtures.send(
                packet,
                from: Self.bob,
                to: forwarder,
                now: RoutingFixtures.at(UInt64(i))
            )
            #expect(ingress == .drop(.ssrcOwnedByAnotherParticipant))
            #expect(delivered.isEmpty)
        }
        #expect(forwarder.dropCount(.ssrcOwnedByAnotherParticipant) == 1000)
        #expect(forwarder.statistics(forTrack: 0).received == 0)
        #expect(!forwarder.rewriter(forDelivery: 0).isStarted)

        // Alice's own packet then starts Carol's stream exactly where Alice's numbering is.
        let packet = try RoutingFixtures.packet(ssrc: 0xA, sequenceNumber: 5, timestamp: 500)
        let copy = try #require(
            try RoutingFixtures.send(packet, from: Self.alice, to: forwarder, now: RoutingFixtures.at(2000)).delivered
                .first
        )
        #expect(copy.header?.sequenceNumber == 5)
        #expect(copy.header?.timestamp == 500)
        #expect(copy.header?.ssrc == 0x30)
        #expect(forwarder.statistics(forTrack: 0).received == 1)
    }

    @Test("an SSRC nobody negotiated is dropped")
    func unknownSSRC() throws {
        let forwarder = Forwarder(table: try Self.table())
        let packet = try RoutingFixtures.packet(ssrc: 0xDEAD, sequenceNumber: 1, timestamp: 1)
        let (ingress, delivered) = try RoutingFixtures.send(
            packet,
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(0)
        )
        #expect(ingress == .drop(.unknownSSRC))
        #expect(delivered.isEmpty)
        // A subscriber-facing SSRC is not an inbound one either.
        let echoed = try RoutingFixtures.packet(ssrc: 0x30, sequenceNumber: 1, timestamp: 1)
        #expect(
            try RoutingFixtures.send(echoed, from: Self.carol, to: forwarder, now: RoutingFixtures.at(0)).ingress
                == .drop(.unknownSSRC)
        )
    }

    @Test(
        "a payload type the subscriber did not negotiate is dropped for it only; one the publisher did not is dropped on arrival"
    )
    func payloadTypes() throws {
        let forwarder = Forwarder(table: try Self.table())
        let red = try RoutingFixtures.packet(ssrc: 0xA, sequenceNumber: 1, timestamp: 1, payloadType: 63)
        let (_, delivered) = try RoutingFixtures.send(red, from: Self.alice, to: forwarder, now: RoutingFixtures.at(0))
        try #require(delivered.count == 2)
        let carol = try #require(delivered.first { $0.subscriber == Self.carol })
        let bob = try #require(delivered.first { $0.subscriber == Self.bob })
        #expect(carol.output == .dropped(.payloadTypeNotNegotiated))
        #expect(carol.rest.allSatisfy { $0 == RoutingFixtures.fill })
        #expect(bob.header?.payloadType == 100)
        #expect(forwarder.dropCount(.payloadTypeNotNegotiated) == 1)

        let unnegotiated = try RoutingFixtures.packet(ssrc: 0xA, sequenceNumber: 2, timestamp: 1, payloadType: 0)
        let (ingress, none) = try RoutingFixtures.send(
            unnegotiated,
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(0)
        )
        #expect(ingress == .drop(.payloadTypeNotNegotiatedByPublisher))
        #expect(none.isEmpty)
    }

    @Test("a duplicate SSRC within one publisher is refused when building the table")
    func duplicateSSRC() throws {
        let sameInTrack = Self.buildError([
            RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, rtxSSRC: 0xA)
        ])
        #expect(sameInTrack?.code == .duplicateSSRC)
        #expect(sameInTrack?.message.contains("0x0000000a") == true)
        let sameAcrossTracks = Self.buildError([
            RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA),
            RoutingFixtures.audioTrack(id: 2, publisher: Self.alice, ssrc: 0xC, rtxSSRC: 0xA),
        ])
        #expect(sameAcrossTracks?.code == .duplicateSSRC)
        let fec = PublishedTrack(
            id: 1,
            publisher: Self.alice,
            kind: .video,
            mediaSSRC: 0xA,
            fecSSRC: 0xA,
            payloadTypes: [96]
        )
        #expect(Self.buildError([fec])?.code == .duplicateSSRC)
    }

    @Test("an SSRC claimed by two publishers is refused")
    func ssrcClaimedTwice() throws {
        let error = Self.buildError([
            RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA),
            RoutingFixtures.audioTrack(id: 2, publisher: Self.bob, ssrc: 0xA),
        ])
        #expect(error?.code == .ssrcOwnedByAnotherParticipant)
        #expect(error?.description.contains("participant 1") == true)
    }

    @Test("outgoing SSRCs are the server's: never a publisher's, never repeated for one subscriber")
    func outgoingSSRCs() throws {
        let tracks = [
            RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA),
            RoutingFixtures.audioTrack(id: 2, publisher: Self.bob, ssrc: 0xB),
        ]
        #expect(
            Self.buildError(tracks, [RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0xB)])?.code
                == .outgoingSSRCConflict
        )
        #expect(
            Self.buildError(tracks, [RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30, rtxSSRC: 0xA)])?
                .code == .outgoingSSRCConflict
        )
        let twice = [
            RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30),
            RoutingFixtures.plainSubscription(Self.carol, to: 2, ssrc: 0x30),
        ]
        #expect(Self.buildError(tracks, twice)?.code == .outgoingSSRCConflict)
        // The same number for two different subscribers is fine: they are separate sessions.
        let shared = [
            RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30),
            RoutingFixtures.plainSubscription(Self.bob, to: 1, ssrc: 0x30),
        ]
        #expect(Self.buildError(tracks, shared) == nil)
    }

    @Test("other description mistakes are refused with their own codes")
    func otherMistakes() throws {
        let track = RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, extensionIDs: [1, 2])
        func subscription(
            _ payloadTypes: [UInt8: UInt8] = [111: 111],
            _ extensions: [UInt8: UInt8] = [:]
        ) -> TrackSubscription {
            TrackSubscription(
                subscriber: Self.carol,
                track: 1,
                mediaSSRC: 0x30,
                payloadTypes: payloadTypes,
                headerExtensions: extensions
            )
        }
        #expect(Self.buildError([track, track])?.code == .duplicateTrackID)
        #expect(
            Self.buildError([track], [RoutingFixtures.plainSubscription(Self.carol, to: 9, ssrc: 0x30)])?.code
                == .unknownTrack
        )
        #expect(
            Self.buildError(
                [track],
                [subscription(), RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x31)]
            )?.code
                == .duplicateSubscription
        )
        #expect(
            Self.buildError([RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, payloadTypes: [128])])?
                .code == .invalidPayloadType
        )
        #expect(Self.buildError([track], [subscription([96: 96])])?.code == .invalidPayloadType)
        #expect(Self.buildError([track], [subscription([111: 128])])?.code == .invalidPayloadType)
        let twoToOne = RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, payloadTypes: [111, 63])
        #expect(Self.buildError([twoToOne], [subscription([111: 100, 63: 100])])?.code == .invalidPayloadType)
        #expect(
            Self.buildError([RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, extensionIDs: [0])])?
                .code == .invalidHeaderExtensionID
        )
        #expect(Self.buildError([track], [subscription([111: 111], [3: 3])])?.code == .invalidHeaderExtensionID)
        #expect(Self.buildError([track], [subscription([111: 111], [1: 0])])?.code == .invalidHeaderExtensionID)
        #expect(Self.buildError([track], [subscription([111: 111], [1: 5, 2: 5])])?.code == .invalidHeaderExtensionID)
        let silent = PublishedTrack(
            id: 1,
            publisher: Self.alice,
            kind: .audio,
            mediaSSRC: 0xA,
            payloadTypes: [111],
            clockRate: 0
        )
        #expect(Self.buildError([silent])?.code == .invalidClockRate)
        #expect(Self.buildError([track], [subscription([111: 111], [1: 5, 2: 6])]) == nil)
    }

    @Test("FEC is accepted from its publisher but not forwarded; from anyone else it is a hijack")
    func forwardErrorCorrection() throws {
        let video = PublishedTrack(
            id: 1,
            publisher: Self.alice,
            kind: .video,
            mediaSSRC: 0xA,
            fecSSRC: 0xF,
            payloadTypes: [96, 115]
        )
        let forwarder = Forwarder(
            table: try RoutingTable(
                tracks: [video],
                subscriptions: [
                    RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30, payloadTypes: [96: 96, 115: 115])
                ]
            )
        )
        let fec = try RoutingFixtures.packet(ssrc: 0xF, sequenceNumber: 1, timestamp: 1, payloadType: 115)
        #expect(
            try RoutingFixtures.send(fec, from: Self.alice, to: forwarder, now: RoutingFixtures.at(0)).ingress
                == .drop(.streamNotForwarded)
        )
        #expect(
            try RoutingFixtures.send(fec, from: Self.bob, to: forwarder, now: RoutingFixtures.at(0)).ingress
                == .drop(.ssrcOwnedByAnotherParticipant)
        )
        #expect(forwarder.deliveries(for: RoutingTable.Route(track: 0, stream: .forwardErrorCorrection)).isEmpty)
    }

    @Test("installing a new table keeps continuing subscribers' state and starts new ones fresh")
    func tableSwap() throws {
        let forwarder = Forwarder(table: try Self.table())
        try RoutingFixtures.sendRun(
            count: 3,
            ssrc: 0xA,
            firstSequenceNumber: 100,
            timestampStep: 960,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 20
        )
        // Dave joins; Carol and Bob continue; Alice's statistics stay with her SSRC.
        let dave: RoutingParticipantID = 4
        forwarder.install(
            try RoutingTable(
                tracks: [
                    RoutingFixtures.audioTrack(id: 2, publisher: Self.bob, ssrc: 0xB),
                    RoutingFixtures.audioTrack(id: 1, publisher: Self.alice, ssrc: 0xA, payloadTypes: [111, 63]),
                ],
                subscriptions: [
                    RoutingFixtures.plainSubscription(dave, to: 1, ssrc: 0x50),
                    RoutingFixtures.plainSubscription(Self.carol, to: 1, ssrc: 0x30),
                ]
            )
        )
        #expect(forwarder.statistics(forTrack: 1).received == 3)
        let carolIndex = try #require(forwarder.table.delivery(subscriber: Self.carol, outgoingSSRC: 0x30)?.delivery)
        let daveIndex = try #require(forwarder.table.delivery(subscriber: dave, outgoingSSRC: 0x50)?.delivery)
        #expect(forwarder.rewriter(forDelivery: carolIndex).packetCount == 3)
        #expect(!forwarder.rewriter(forDelivery: daveIndex).isStarted)
        #expect(forwarder.table.delivery(subscriber: Self.bob, outgoingSSRC: 0x40) == nil)
    }
}
