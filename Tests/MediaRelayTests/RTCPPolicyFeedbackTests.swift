import MediaRelay
import RTCWire
import Testing

/// Feedback from subscribers: PLI/FIR/NACK translation and limits, feedback about SSRCs the
/// sender does not receive, BYE, REMB and transport-cc.
@Suite("RTCPPolicy feedback")
struct RTCPPolicyFeedbackTests {
    static let alice: RoutingParticipantID = 1
    static let bob: RoutingParticipantID = 2
    static let carol: RoutingParticipantID = 3
    static let dave: RoutingParticipantID = 4
    static let reporter: UInt32 = 0x5E1F

    static func video(_ id: RoutingTrackID, _ publisher: RoutingParticipantID, _ ssrc: UInt32) -> PublishedTrack {
        PublishedTrack(id: id, publisher: publisher, kind: .video, mediaSSRC: ssrc, payloadTypes: [96])
    }

    /// Alice (0xA) and Bob (0xB) publish video. Carol sees Alice as 0x30 and Bob as 0x31; Dave
    /// sees Alice as 0x40.
    static func table() throws -> RoutingTable {
        try RoutingTable(
            tracks: [Self.video(1, Self.alice, 0xA), Self.video(2, Self.bob, 0xB)],
            subscriptions: [
                TrackSubscription(subscriber: Self.carol, track: 1, mediaSSRC: 0x30, payloadTypes: [96: 96]),
                TrackSubscription(subscriber: Self.carol, track: 2, mediaSSRC: 0x31, payloadTypes: [96: 96]),
                TrackSubscription(subscriber: Self.dave, track: 1, mediaSSRC: 0x40, payloadTypes: [96: 96]),
            ]
        )
    }

    /// Carol's slot 0x30, fed first by Bob (seq 100-104), then by Alice (seq 40000-40019), so
    /// Carol's 105-124 are Alice's 40000-40019.
    static func switchedSlot() throws -> (Forwarder, RTCPPolicy) {
        let slot = { (track: RoutingTrackID) in
            try RoutingTable(
                tracks: [Self.video(1, Self.alice, 0xA), Self.video(2, Self.bob, 0xB)],
                subscriptions: [
                    TrackSubscription(subscriber: Self.carol, track: track, mediaSSRC: 0x30, payloadTypes: [96: 96])
                ]
            )
        }
        let forwarder = Forwarder(table: try slot(2))
        try RoutingFixtures.sendRun(
            count: 5,
            ssrc: 0xB,
            firstSequenceNumber: 100,
            firstTimestamp: 1000,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.bob,
            to: forwarder,
            intervalMilliseconds: 33
        )
        forwarder.install(try slot(1))
        for i in 0..<20 {
            let packet = try RoutingFixtures.packet(
                ssrc: 0xA,
                sequenceNumber: 40_000 + UInt16(i),
                timestamp: 500_000 + 3000 * UInt32(i),
                payloadType: 96
            )
            let copy = try RoutingFixtures.sendToOne(
                packet,
                from: Self.alice,
                to: forwarder,
                now: RoutingFixtures.at(165 + 33 * UInt64(i))
            )
            #expect(copy?.header?.sequenceNumber == 105 + UInt16(i))
        }
        return (forwarder, RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter)))
    }

    /// Sends a compound through its wire form, as the relay would receive it.
    static func handle(
        _ packets: [RTCPPacket],
        from participant: RoutingParticipantID,
        policy: RTCPPolicy,
        forwarder: Forwarder,
        at milliseconds: UInt64
    ) throws -> RTCPPolicyResult {
        let bytes = try RTCPCompound(packets: packets).serialized()
        var result = RTCPPolicyResult()
        policy.handle(
            try RTCPCompound(parsing: bytes),
            from: participant,
            forwarder: forwarder,
            now: RoutingFixtures.at(milliseconds),
            into: &result
        )
        return result
    }

    static func pli(_ ssrc: UInt32) -> RTCPPacket {
        .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 0x3333, mediaSSRC: ssrc))
    }

    @Test("PLI flood: 1000 PLI/s from two subscribers for 10 s yield one keyframe request upstream per second")
    func pliFlood() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        var upstream: [(UInt64, RTCPPolicyResult.Upstream)] = []
        for millisecond in 0..<UInt64(10_000) {
            let (subscriber, ssrc) = millisecond % 2 == 0 ? (Self.carol, UInt32(0x30)) : (Self.dave, UInt32(0x40))
            var result = RTCPPolicyResult()
            policy.handle(
                RTCPCompound(packets: [Self.pli(ssrc)]),
                from: subscriber,
                forwarder: forwarder,
                now: RoutingFixtures.at(millisecond),
                into: &result
            )
            upstream += result.upstream.map { (millisecond, $0) }
        }
        #expect(upstream.map(\.0) == (0..<10).map { UInt64($0) * 1000 })
        for (_, item) in upstream {
            #expect(item.publisher == Self.alice)
            #expect(
                item.packet
                    == .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: Self.reporter, mediaSSRC: 0xA))
            )
        }
        #expect(policy.counters.keyframeRequestsForwarded == 10)
        #expect(policy.counters.keyframeRequestsRateLimited == 9990)

        // Bob's track has its own interval.
        let bob = try Self.handle([Self.pli(0x31)], from: Self.carol, policy: policy, forwarder: forwarder, at: 9_999)
        #expect(
            bob.upstream == [
                .init(
                    publisher: Self.bob,
                    packet: .pictureLossIndication(.init(senderSSRC: Self.reporter, mediaSSRC: 0xB))
                )
            ]
        )
    }

    @Test("FIR is translated, limited with PLI, and carries the relay's own command sequence number")
    func fir() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        let request = RTCPPacket.fullIntraRequest(
            RTCPFullIntraRequest(senderSSRC: 0x3333, entries: [.init(ssrc: 0x30, sequenceNumber: 77)])
        )
        let first = try Self.handle([request], from: Self.carol, policy: policy, forwarder: forwarder, at: 0)
        #expect(
            first.upstream == [
                .init(
                    publisher: Self.alice,
                    packet: .fullIntraRequest(
                        .init(senderSSRC: Self.reporter, entries: [.init(ssrc: 0xA, sequenceNumber: 0)])
                    )
                )
            ]
        )
        let limited = try Self.handle(
            [Self.pli(0x40), request],
            from: Self.dave,
            policy: policy,
            forwarder: forwarder,
            at: 500
        )
        #expect(limited.upstream.isEmpty)
        let second = try Self.handle([request], from: Self.carol, policy: policy, forwarder: forwarder, at: 1000)
        #expect(
            second.upstream == [
                .init(
                    publisher: Self.alice,
                    packet: .fullIntraRequest(
                        .init(senderSSRC: Self.reporter, entries: [.init(ssrc: 0xA, sequenceNumber: 1)])
                    )
                )
            ]
        )
    }

    @Test("NACK is translated through the rewriter's offset to the publisher now feeding the slot")
    func nackTranslation() throws {
        let (forwarder, policy) = try Self.switchedSlot()
        let nack = RTCPPacket.genericNACK(
            RTCPGenericNACK(senderSSRC: 0x3333, mediaSSRC: 0x30, lostSequenceNumbers: [104, 110, 112, 113, 130])
        )
        let result = try Self.handle([nack], from: Self.carol, policy: policy, forwarder: forwarder, at: 900)
        // 104 came from Bob before the switch and 130 was never sent: neither translates.
        #expect(
            result.upstream == [
                .init(
                    publisher: Self.alice,
                    packet: .genericNACK(
                        .init(senderSSRC: Self.reporter, mediaSSRC: 0xA, lostSequenceNumbers: [40_005, 40_007, 40_008])
                    )
                )
            ]
        )
        #expect(policy.counters.nackedSequenceNumbersUntranslatable == 2)
        #expect(policy.counters.nackedSequenceNumbersForwarded == 3)
    }

    @Test("NACK flood: 10^4 NACKed sequence numbers forward 64 per second per subscriber and track")
    func nackFlood() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        try RoutingFixtures.sendRun(
            count: 12_000,
            ssrc: 0xA,
            firstSequenceNumber: 0,
            timestampStep: 90,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 1
        )
        // 589 entries of 17 numbers: 10013 sequence numbers, all sent to Carol and Dave.
        let entries = (0..<589).map {
            RTCPGenericNACK.Entry(packetID: 1000 + 17 * UInt16($0), lostPacketBitmask: 0xFFFF)
        }
        let flood = { (ssrc: UInt32) in
            RTCPPacket.genericNACK(RTCPGenericNACK(senderSSRC: 0x3333, mediaSSRC: ssrc, entries: entries))
        }

        let first = try Self.handle([flood(0x30)], from: Self.carol, policy: policy, forwarder: forwarder, at: 12_000)
        #expect(
            first.upstream == [
                .init(
                    publisher: Self.alice,
                    packet: .genericNACK(
                        .init(
                            senderSSRC: Self.reporter,
                            mediaSSRC: 0xA,
                            lostSequenceNumbers: (1000..<1064).map { UInt16($0) }
                        )
                    )
                )
            ]
        )
        #expect(policy.counters.nackedSequenceNumbersOverBudget == 10_013 - 64)

        let sameInterval = try Self.handle(
            [flood(0x30), flood(0x30)],
            from: Self.carol,
            policy: policy,
            forwarder: forwarder,
            at: 12_999
        )
        #expect(sameInterval.upstream.isEmpty)
        // Dave has his own budget; Carol's refills after the interval.
        let dave = try Self.handle([flood(0x40)], from: Self.dave, policy: policy, forwarder: forwarder, at: 12_999)
        #expect(dave.upstream.count == 1)
        let next = try Self.handle([flood(0x30)], from: Self.carol, policy: policy, forwarder: forwarder, at: 13_000)
        guard case .genericNACK(let nack)? = next.upstream.first?.packet else {
            Issue.record("no NACK upstream after the interval")
            return
        }
        #expect(nack.lostSequenceNumbers.count == 64)
        #expect(policy.counters.nackedSequenceNumbersForwarded == 3 * 64)
    }

    @Test("feedback for SSRCs the sender does not receive is ignored and spends no budget")
    func feedbackForOthers() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        try RoutingFixtures.sendRun(
            count: 10,
            ssrc: 0xA,
            firstSequenceNumber: 0,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 33
        )
        let foreign: [RTCPPacket] = [
            Self.pli(0x40),  // Dave's stream
            Self.pli(0xA),  // Alice's own SSRC
            Self.pli(0x999),  // nobody's
            .genericNACK(RTCPGenericNACK(senderSSRC: 0x3333, mediaSSRC: 0x40, lostSequenceNumbers: [1, 2, 3])),
            .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 0x3333, entries: [.init(ssrc: 0xB, sequenceNumber: 0)])),
        ]
        let result = try Self.handle(foreign, from: Self.carol, policy: policy, forwarder: forwarder, at: 400)
        #expect(result.upstream.isEmpty)
        #expect(policy.counters.feedbackForUnreceivedSSRC == 5)
        // The keyframe interval was not consumed: Carol's own request goes through.
        let own = try Self.handle([Self.pli(0x30)], from: Self.carol, policy: policy, forwarder: forwarder, at: 401)
        #expect(own.upstream.count == 1)
    }

    @Test("BYE for someone else's SSRC has no effect; the owner's BYE is reported and re-bases subscribers")
    func goodbye() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        try RoutingFixtures.sendRun(
            count: 3,
            ssrc: 0xA,
            firstSequenceNumber: 10,
            timestampStep: 3000,
            payloadType: 96,
            from: Self.alice,
            to: forwarder,
            intervalMilliseconds: 33
        )
        let byAlice = RTCPPacket.goodbye(RTCPGoodbye(ssrcs: [0xA], reasonText: "bye"))
        let forged = try Self.handle([byAlice], from: Self.bob, policy: policy, forwarder: forwarder, at: 100)
        let fromSubscriber = try Self.handle(
            [.goodbye(RTCPGoodbye(ssrcs: [0x30, 0x40]))],
            from: Self.carol,
            policy: policy,
            forwarder: forwarder,
            at: 100
        )
        #expect(forged.goodbyes.isEmpty && fromSubscriber.goodbyes.isEmpty)
        #expect(policy.counters.goodbyesIgnored == 3)
        // Deliveries are grouped by track: 0 and 1 are Alice's (Carol, Dave), 2 is Bob's.
        #expect(forwarder.table.tracks[0].deliveries == 0..<2)
        #expect(!forwarder.rewriter(forDelivery: 0).isResyncPending)
        #expect(!forwarder.rewriter(forDelivery: 1).isResyncPending)
        let next = try RoutingFixtures.packet(ssrc: 0xA, sequenceNumber: 13, timestamp: 9000, payloadType: 96)
        let (_, delivered) = try RoutingFixtures.send(
            next,
            from: Self.alice,
            to: forwarder,
            now: RoutingFixtures.at(132)
        )
        #expect(delivered.map { $0.header?.timestamp } == [9000, 9000])

        let real = try Self.handle([byAlice], from: Self.alice, policy: policy, forwarder: forwarder, at: 200)
        #expect(real.goodbyes == [1])
        #expect(forwarder.rewriter(forDelivery: 0).isResyncPending)
        #expect(forwarder.rewriter(forDelivery: 1).isResyncPending)
        #expect(!forwarder.rewriter(forDelivery: 2).isResyncPending)
    }

    @Test("REMB and transport-cc are terminated; the REMB bitrate is exposed")
    func bandwidthFeedback() throws {
        let forwarder = Forwarder(table: try Self.table())
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: Self.reporter))
        let remb = RTCPPacket.receiverEstimatedMaximumBitrate(
            .init(senderSSRC: 0x3333, bitrate: 1_500_000, ssrcs: [0x30, 0x31])
        )
        let twcc = RTCPPacket.transportWideFeedback(
            .init(
                senderSSRC: 0x3333,
                mediaSSRC: 0x30,
                baseSequenceNumber: 1,
                referenceTime: 5,
                feedbackPacketCount: 0,
                packetStatuses: [.receivedSmallDelta(4), .notReceived]
            )
        )
        let report = RTCPPacket.receiverReport(
            RTCPReceiverReport(ssrc: 0x3333, reportBlocks: [RTCPReportBlock(ssrc: 0x30, fractionLost: 12)])
        )
        let result = try Self.handle(
            [report, remb, twcc],
            from: Self.carol,
            policy: policy,
            forwarder: forwarder,
            at: 0
        )
        #expect(result.upstream.isEmpty)
        #expect(result.estimatedBitrate == 1_500_000)
        #expect(policy.counters.bandwidthFeedbackTerminated == 2)
        #expect(policy.counters.reportBlocksTerminated == 1)
    }
}
