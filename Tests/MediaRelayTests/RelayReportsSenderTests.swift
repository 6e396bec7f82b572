import MediaRelay
import RTCTestSupport
import RTCWire
import Testing

@Suite("Relay sender reports to subscribers")
struct RelayReportsSenderTests {
    typealias Sent = RelayCoreHarness.SentDatagram

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// NTP 32.32 of a relay time (the harness's core has no NTP offset).
    static func ntp(_ time: RelayTime) -> UInt64 {
        let seconds = time.nanoseconds / Self.nanosecondsPerSecond
        let remainder = time.nanoseconds % Self.nanosecondsPerSecond
        return (seconds << 32) + (remainder << 32) / Self.nanosecondsPerSecond
    }

    /// Publishes packets `sequences`, 20 ms and 960 ticks apart, and records, per subscriber
    /// address, the rewritten timestamp of the last packet it was sent.
    static func publish(
        _ harness: RelayCoreHarness,
        _ sequences: ClosedRange<Int>,
        last: inout [RelayAddress: UInt32]
    ) throws {
        for sequence in sequences {
            let time = harness.now.adding(milliseconds: UInt64(sequence) * 20)
            let timestamp = UInt32(7_000 + sequence * 960)
            let sent: [Sent] = try harness.publish(sequence: UInt16(sequence), timestamp: timestamp, at: time)
            #expect(sent.count == harness.subscribers.count)
            for datagram in sent {
                let client = try #require(harness.client(at: datagram.destination))
                let plain: [UInt8] = try client.unprotectRTP(datagram.bytes)
                let header = try RTPHeader(parsing: plain.span)
                last[datagram.destination] = header.timestamp
            }
        }
    }

    /// The sender report the relay sent `client` among `sent` (it opens the compound).
    static func senderReport(
        _ harness: RelayCoreHarness,
        _ sent: [Sent],
        to client: RelayTestClient
    ) throws -> RTCPSenderReport? {
        let compounds: [RTCPCompound] = try harness.rtcpCompounds(in: sent, to: client)
        guard compounds.count == 1, case .senderReport(let report) = compounds[0].packets.first else {
            return nil
        }
        return report
    }

    @Test("each subscriber's SR has its rewritten SSRC, what it was sent, and NTP/RTP times of the same instant")
    func mapping() throws {
        let harness = try RelayCoreHarness(subscriberCount: 2)
        var last: [RelayAddress: UInt32] = [:]
        // 150 packets up to 3 s after connecting; the first reports are due by 2.5 s.
        try Self.publish(harness, 1...150, last: &last)
        let first = harness.now.adding(milliseconds: 3_000)
        let firstSent: [Sent] = harness.fireTimers(at: first)
        var firstReports: [RelayAddress: RTCPSenderReport] = [:]
        for subscriber in harness.subscribers {
            let report = try #require(try Self.senderReport(harness, firstSent, to: subscriber))
            #expect(report.ssrc == RelayCoreHarness.subscriberSSRC(subscriber.participant))
            #expect(report.packetCount == 150)
            #expect(report.octetCount == 150 * 160)
            #expect(report.reportBlocks.isEmpty)
            #expect(report.ntpTimestamp == Self.ntp(first))
            // The last packet was sent at 3 s with its timestamp: the same instant.
            let lastTimestamp = try #require(last[subscriber.address])
            #expect(report.rtpTimestamp == lastTimestamp)
            firstReports[subscriber.address] = report
        }

        // Two more seconds of media; the next reports are due by 4.5 s.
        try Self.publish(harness, 151...250, last: &last)
        let second = harness.now.adding(milliseconds: 5_000)
        let secondSent: [Sent] = harness.fireTimers(at: second)
        for subscriber in harness.subscribers {
            let report = try #require(try Self.senderReport(harness, secondSent, to: subscriber))
            let earlier = try #require(firstReports[subscriber.address])
            #expect(report.packetCount == 250)
            #expect(report.ntpTimestamp > earlier.ntpTimestamp)
            // 2 s of NTP time and 96000 ticks (48 kHz) of RTP time, both forward.
            #expect(report.ntpTimestamp - earlier.ntpTimestamp == UInt64(2) << 32)
            let advance: UInt32 = report.rtpTimestamp &- earlier.rtpTimestamp
            #expect(advance == 96_000)
        }
    }

    @Test("an SR between packets extrapolates the RTP time from the newest packet with the clock rate")
    func extrapolation() throws {
        let harness = try RelayCoreHarness(subscriberCount: 1)
        var last: [RelayAddress: UInt32] = [:]
        // Packets up to 1 s; the report at 2.75 s is 1.75 s (84000 ticks) after the newest.
        try Self.publish(harness, 1...50, last: &last)
        let time = harness.now.adding(milliseconds: 2_750)
        let subscriber = try #require(harness.subscribers.first)
        let report = try #require(try Self.senderReport(harness, harness.fireTimers(at: time), to: subscriber))
        let lastTimestamp = try #require(last[subscriber.address])
        let advance: UInt32 = report.rtpTimestamp &- lastTimestamp
        #expect(advance == 84_000)
        #expect(report.ntpTimestamp == Self.ntp(time))
    }

    @Test("no SR before any packet was forwarded to the subscriber")
    func nothingForwardedYet() throws {
        let harness = try RelayCoreHarness(subscriberCount: 1)
        let subscriber = try #require(harness.subscribers.first)
        let sent: [Sent] = harness.fireTimers(at: harness.now.adding(milliseconds: 3_000))
        let compounds: [RTCPCompound] = try harness.rtcpCompounds(in: sent, to: subscriber)
        #expect(compounds.isEmpty)
        #expect(harness.counters[.senderReportsSent] == 0)
    }
}
