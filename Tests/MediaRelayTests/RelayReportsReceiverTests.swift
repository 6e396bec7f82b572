import MediaRelay
import RTCTestSupport
import RTCWire
import Testing

@Suite("Relay receiver reports to publishers")
struct RelayReportsReceiverTests {
    typealias Sent = RelayCoreHarness.SentDatagram

    /// The receiver reports among what the relay sent the publisher (each compound can be
    /// decrypted once: SRTCP refuses a replay).
    static func receiverReports(_ harness: RelayCoreHarness, _ sent: [Sent]) throws -> [RTCPReceiverReport] {
        let compounds: [RTCPCompound] = try harness.rtcpCompounds(in: sent, to: harness.publisher)
        return Self.receiverReports(compounds)
    }

    static func receiverReports(_ compounds: [RTCPCompound]) -> [RTCPReceiverReport] {
        var reports: [RTCPReceiverReport] = []
        for compound in compounds {
            for packet in compound.packets {
                if case .receiverReport(let report) = packet {
                    reports.append(report)
                }
            }
        }
        return reports
    }

    /// When packet `sequence` arrives: every 20 ms, odd packets 3 ms late (jitter of 144 ticks
    /// at 48 kHz).
    static func arrival(_ base: RelayTime, sequence: Int) -> RelayTime {
        let late: UInt64 = sequence % 2 == 1 ? 3 : 0
        return base.adding(milliseconds: UInt64(sequence) * 20 + late)
    }

    /// Publishes packets `sequences` (timestamps 960 apart, 20 ms at 48 kHz).
    static func publish(_ harness: RelayCoreHarness, _ sequences: [Int]) throws {
        for sequence in sequences {
            let timestamp = UInt32(5_000 + sequence * 960)
            let time = Self.arrival(harness.now, sequence: sequence)
            _ = try harness.publish(sequence: UInt16(sequence), timestamp: timestamp, at: time)
        }
    }

    @Test("the RR counts the packets that never arrived, the highest sequence number and a bounded jitter")
    func lossAndJitter() throws {
        let harness = try RelayCoreHarness(subscriberCount: 1)
        // Sequence numbers 1...50; 21...25 are lost on the way.
        var sequences: [Int] = []
        for sequence in 1...50 where !(21...25).contains(sequence) {
            sequences.append(sequence)
        }
        try Self.publish(harness, sequences)

        let sent: [Sent] = harness.fireTimers(at: harness.now.adding(milliseconds: 3_000))
        let compounds: [RTCPCompound] = try harness.rtcpCompounds(in: sent, to: harness.publisher)
        let reports: [RTCPReceiverReport] = Self.receiverReports(compounds)
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(report.ssrc == RTCPPolicy.Configuration().reporterSSRC)
        #expect(report.reportBlocks.count == 1)
        let block = try #require(report.reportBlocks.first)
        #expect(block.ssrc == RelayCoreHarness.publisherSSRC)
        #expect(block.cumulativeLost == 5)
        #expect(block.extendedHighestSequenceNumber == 50)
        // 5 of 50 in 1/256 units: floor(25.6).
        #expect(block.fractionLost == 25)
        // Transit changes by 144 ticks between packets: the estimate is positive and cannot
        // exceed that.
        #expect(block.jitter > 0)
        #expect(block.jitter <= 144)
        #expect(block.lastSenderReport == 0)
        #expect(block.delaySinceLastSenderReport == 0)
        #expect(harness.counters[.receiverReportsSent] == 1)

        // The compound ends with the relay's SDES; the publisher receives no media, so no SR.
        let packets: [RTCPPacket] = try #require(compounds.first).packets
        guard case .sourceDescription = packets.last else {
            Issue.record("no SDES at the end of \(packets)")
            return
        }
        #expect(harness.counters[.senderReportsSent] == 1)  // the subscriber's, not the publisher's
    }

    @Test(
        "after the publisher's SR the RR carries its LSR and the delay since; a clean interval reports no fraction lost"
    )
    func lastSenderReport() throws {
        let harness = try RelayCoreHarness(subscriberCount: 1)
        var sequences: [Int] = []
        for sequence in 1...40 where sequence != 10 {
            sequences.append(sequence)
        }
        try Self.publish(harness, sequences)
        let first = harness.now.adding(milliseconds: 3_000)
        let firstReports: [RTCPReceiverReport] = try Self.receiverReports(harness, harness.fireTimers(at: first))
        #expect(firstReports.first?.reportBlocks.first?.fractionLost == 6)  // 1 of 40: floor(6.4)

        // The publisher's sender report arrives 100 ms later.
        let ntp: UInt64 = 0xE8F0_1234_5678_9ABC
        let senderReport = RTCPSenderReport(
            ssrc: RelayCoreHarness.publisherSSRC,
            ntpTimestamp: ntp,
            rtpTimestamp: 5_000 + 40 * 960,
            packetCount: 40,
            octetCount: 40 * 160
        )
        let plain: [UInt8] = try RTCPCompound(packets: [.senderReport(senderReport)]).serialized()
        let protected: [UInt8] = try harness.publisher.protectRTCP(plain)
        _ = harness.deliver(protected, from: harness.publisher, at: first.adding(milliseconds: 100))
        // More packets, none lost.
        try Self.publish(harness, Array(41...60))

        // The next report is due at most 1.5 s after the first.
        let second = first.adding(milliseconds: 1_600)
        let reports: [RTCPReceiverReport] = try Self.receiverReports(harness, harness.fireTimers(at: second))
        #expect(reports.count == 1)
        let block = try #require(reports.first?.reportBlocks.first)
        #expect(block.fractionLost == 0)
        #expect(block.cumulativeLost == 1)
        #expect(block.extendedHighestSequenceNumber == 60)
        // LSR: the middle 32 bits of the SR's NTP timestamp; DLSR: 1.5 s in 1/65536 s.
        #expect(block.lastSenderReport == 0x1234_5678)
        #expect(block.delaySinceLastSenderReport == 98_304)
    }
}
