import MediaRelay
import RTCWire
import Testing

/// Receiver reports the relay sends publishers (RFC 3550 A.3 and A.8 statistics, checked against
/// values computed by hand) and sender reports it gives subscribers.
@Suite("RTCPPolicy reports")
struct RTCPPolicyReportTests {
    static func at(_ milliseconds: UInt64) -> RelayTime {
        RoutingFixtures.at(milliseconds)
    }

    /// Takes a report block, which there must be.
    static func block(
        _ statistics: inout InboundStreamStatistics,
        ssrc: UInt32 = 0xA,
        at milliseconds: UInt64 = 0
    ) throws -> RTCPReportBlock {
        let block = statistics.makeReportBlock(ssrc: ssrc, now: Self.at(milliseconds))
        return try #require(block)
    }

    @Test(
        "loss fraction, cumulative loss and extended highest sequence number across a wrap, reordering and duplicates"
    )
    func loss() throws {
        var statistics = InboundStreamStatistics(clockRate: 48_000)
        #expect(statistics.makeReportBlock(ssrc: 0xA, now: Self.at(0)) == nil)
        // 65534, 65535, (wrap) 1, 2, 2 again, 0 late, 5: 3 and 4 missing, one duplicate.
        for number: UInt16 in [65_534, 65_535, 1, 2, 2, 0, 5] {
            statistics.record(sequenceNumber: number, timestamp: 0, arrival: Self.at(0))
        }
        // Expected 65541 - 65534 + 1 = 8, received 7: lost 1, fraction 1/8 = 32/256.
        let first = try Self.block(&statistics)
        #expect(
            first
                == RTCPReportBlock(
                    ssrc: 0xA,
                    fractionLost: 32,
                    cumulativeLost: 1,
                    extendedHighestSequenceNumber: 0x0001_0005
                )
        )

        // 6, 7, 10: expected 5 more, received 3: 2 lost in the interval (512 / 5 = 102), 3 in all.
        for number: UInt16 in [6, 7, 10] {
            statistics.record(sequenceNumber: number, timestamp: 0, arrival: Self.at(0))
        }
        let second = try Self.block(&statistics)
        #expect(second.fractionLost == 102)
        #expect(second.cumulativeLost == 3)
        #expect(second.extendedHighestSequenceNumber == 0x0001_000A)

        // Nothing new: fraction 0. Then four duplicates of 10: more received than expected.
        #expect(try Self.block(&statistics).fractionLost == 0)
        for _ in 0..<4 {
            statistics.record(sequenceNumber: 10, timestamp: 0, arrival: Self.at(0))
        }
        let duplicated = try Self.block(&statistics)
        #expect(duplicated.fractionLost == 0)
        #expect(duplicated.cumulativeLost == -1)

        // 20 after 10: 10 more expected, 1 received: 9 * 256 / 10 = 230.
        statistics.record(sequenceNumber: 20, timestamp: 0, arrival: Self.at(0))
        #expect(try Self.block(&statistics).fractionLost == 230)
    }

    @Test("a restart with a new sequence base is counted only once the next packet confirms it")
    func restart() throws {
        var statistics = InboundStreamStatistics(clockRate: 48_000)
        for number: UInt16 in [10, 11, 12] {
            statistics.record(sequenceNumber: number, timestamp: 0, arrival: Self.at(0))
        }
        statistics.record(sequenceNumber: 40_000, timestamp: 0, arrival: Self.at(0))
        #expect(statistics.received == 3)
        #expect(statistics.extendedHighestSequenceNumber == 12)
        statistics.record(sequenceNumber: 40_001, timestamp: 0, arrival: Self.at(0))
        #expect(statistics.received == 1)
        #expect(statistics.extendedHighestSequenceNumber == 40_001)
        #expect(statistics.cumulativeLost == 0)
    }

    @Test("interarrival jitter follows RFC 3550 A.8 (integer form), on a 1 kHz and a 48 kHz clock")
    func jitter() throws {
        // 1 kHz: one tick per millisecond. Timestamps every 20 ms; arrivals 0, 20, 60, 60, 100:
        // transit 0, 0, 20, 0, 20; |D| 0, 20, 20, 20; 16 J: 0, 20, 39, 57; J = 57 >> 4 = 3.
        var slow = InboundStreamStatistics(clockRate: 1000)
        let arrivals: [UInt64] = [0, 20, 60, 60, 100]
        var estimates: [UInt32] = []
        for (i, arrival) in arrivals.enumerated() {
            slow.record(sequenceNumber: UInt16(i), timestamp: 5_000 + 20 * UInt32(i), arrival: Self.at(arrival))
            estimates.append(slow.jitter)
        }
        #expect(estimates == [0, 0, 1, 2, 3])

        // 48 kHz: one packet 1 ms late (48 ticks): |D| 0, 48, 48, 0; 16 J: 0, 48, 93, 87; J = 5.
        var audio = InboundStreamStatistics(clockRate: 48_000)
        for (i, arrival) in [UInt64(0), 20, 41, 60, 80].enumerated() {
            audio.record(
                sequenceNumber: UInt16(i),
                timestamp: 0xFFFF_FE00 &+ 960 * UInt32(i),
                arrival: Self.at(arrival)
            )
        }
        #expect(audio.jitter == 5)
        #expect(try Self.block(&audio, ssrc: 1, at: 100).jitter == 5)
    }

    @Test("the relay's receiver report to a publisher: its streams only, LSR and DLSR from its last sender report")
    func receiverReport() throws {
        let alice: RoutingParticipantID = 1
        let table = try RoutingTable(
            tracks: [
                RoutingFixtures.audioTrack(id: 1, publisher: alice, ssrc: 0xA),
                PublishedTrack(id: 2, publisher: alice, kind: .video, mediaSSRC: 0xAA, payloadTypes: [96]),
                RoutingFixtures.audioTrack(id: 3, publisher: 2, ssrc: 0xB),
            ],
            subscriptions: []
        )
        let forwarder = Forwarder(table: table)
        let policy = RTCPPolicy(configuration: .init(reporterSSRC: 0x5E1F))
        #expect(policy.receiverReport(to: alice, forwarder: forwarder, cname: "relay", now: Self.at(0)) == nil)
        for number: UInt16 in [1, 2, 4] {
            _ = try RoutingFixtures.send(
                try RoutingFixtures.packet(ssrc: 0xA, sequenceNumber: number, timestamp: 960 * UInt32(number)),
                from: alice,
                to: forwarder,
                now: Self.at(20 * UInt64(number))
            )
        }
        _ = try RoutingFixtures.send(
            try RoutingFixtures.packet(ssrc: 0xB, sequenceNumber: 1, timestamp: 1),
            from: 2,
            to: forwarder,
            now: Self.at(0)
        )
        // Alice's sender report at 10 s; the receiver report 1.5 s later.
        let senderReport = RTCPSenderReport(
            ssrc: 0xA,
            ntpTimestamp: 0x0001_2345_6789_ABCD,
            rtpTimestamp: 3840,
            packetCount: 4,
            octetCount: 16
        )
        var result = RTCPPolicyResult()
        policy.handle(
            RTCPCompound(packets: [.senderReport(senderReport)]),
            from: alice,
            forwarder: forwarder,
            now: Self.at(10_000),
            into: &result
        )

        let compound = try #require(
            policy.receiverReport(to: alice, forwarder: forwarder, cname: "relay", now: Self.at(11_500))
        )
        let parsed = try RTCPCompound(parsing: try compound.serialized())
        let expectedBlock = RTCPReportBlock(
            ssrc: 0xA,
            fractionLost: 64,
            cumulativeLost: 1,
            extendedHighestSequenceNumber: 4,
            lastSenderReport: 0x2345_6789,
            delaySinceLastSenderReport: 98_304  // 1.5 * 65536
        )
        #expect(
            parsed.packets == [
                .receiverReport(RTCPReceiverReport(ssrc: 0x5E1F, reportBlocks: [expectedBlock])),
                .sourceDescription(RTCPSourceDescription(ssrc: 0x5E1F, cname: "relay")),
            ]
        )
        // A sender report for Alice's SSRC from Bob is ignored.
        policy.handle(
            RTCPCompound(packets: [
                .senderReport(
                    RTCPSenderReport(ssrc: 0xA, ntpTimestamp: 1, rtpTimestamp: 1, packetCount: 1, octetCount: 1)
                )
            ]),
            from: 2,
            forwarder: forwarder,
            now: Self.at(12_000),
            into: &result
        )
        #expect(policy.counters.senderReportsIgnored == 1)
        #expect(forwarder.statistics(forTrack: 0).lastSenderReport?.ntpTimestamp == 0x0001_2345_6789_ABCD)
    }

    @Test(
        "a subscriber's sender report: its SSRC, the publisher's NTP/RTP mapping moved to now and offset, its own counts"
    )
    func translatedSenderReport() throws {
        let (forwarder, policy) = try RTCPPolicyFeedbackTests.switchedSlot()
        // Before Alice sends a sender report there is nothing to translate.
        #expect(policy.senderReport(forDelivery: 0, forwarder: forwarder, now: Self.at(800)) == nil)
        let fromAlice = RTCPSenderReport(
            ssrc: 0xA,
            ntpTimestamp: 0x0000_0E10_4000_0000,
            rtpTimestamp: 560_000,
            packetCount: 20,
            octetCount: 80
        )
        var result = RTCPPolicyResult()
        policy.handle(
            RTCPCompound(packets: [.senderReport(fromAlice)]),
            from: 1,
            forwarder: forwarder,
            now: Self.at(800),
            into: &result
        )
        // 500 ms later: NTP + 0.5 s; RTP + 45000 ticks; Carol's offset: Bob's last 13000 + 33 ms
        // (2970) = 15970 for Alice's 500000. Carol received 5 packets from Bob and 20 from Alice,
        // 4 payload bytes each.
        let report = try #require(policy.senderReport(forDelivery: 0, forwarder: forwarder, now: Self.at(1300)))
        #expect(
            report
                == RTCPSenderReport(
                    ssrc: 0x30,
                    ntpTimestamp: 0x0000_0E10_C000_0000,
                    rtpTimestamp: 605_000 + 15_970 - 500_000,
                    packetCount: 25,
                    octetCount: 100
                )
        )
    }
}
