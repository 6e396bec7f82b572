import RTCWire
import Testing

@testable import LoadGeneratorCore

@Suite("Measurement math")
struct StatisticsTests {
    /// Feeds packets 20 ms apart (960 timestamp units) with the given sequence numbers, arriving
    /// in order of the array.
    static func feed(_ sequences: [UInt16], into statistics: inout ReceiveStreamStatistics) {
        for (position, sequence) in sequences.enumerated() {
            statistics.record(
                sequence: sequence,
                timestamp: UInt32(sequence) &* 960,
                arrival: UInt64(position) * 20_000_000,
                bytes: 100
            )
        }
    }

    @Test("a clean sequence: nothing lost, duplicated or reordered, no jitter")
    func clean() {
        var statistics = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed(Array(100..<150), into: &statistics)
        #expect(statistics.packets == 50)
        #expect(statistics.expected == 50)
        #expect(statistics.lost == 0)
        #expect(statistics.duplicates == 0)
        #expect(statistics.reordered == 0)
        #expect(statistics.jitter == 0)
        #expect(statistics.bytes == 5000)
    }

    @Test("gaps count as loss, repeats as duplicates, late arrivals as reordered and fill their gap")
    func lossDuplicatesReordering() {
        var statistics = ReceiveStreamStatistics(clockRate: 48_000)
        // 1...10 with 4 and 7 missing, 5 repeated, 9 arriving after 10.
        Self.feed([1, 2, 3, 5, 5, 6, 8, 10, 9], into: &statistics)
        #expect(statistics.expected == 10)
        #expect(statistics.packets == 8)
        #expect(statistics.lost == 2)
        #expect(statistics.duplicates == 1)
        #expect(statistics.reordered == 1)
        #expect(statistics.lossFraction == 0.2)
    }

    @Test("sequence numbers wrap at 65535 without counting loss")
    func wrap() {
        var statistics = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed([65_533, 65_534, 65_535, 0, 1, 2], into: &statistics)
        #expect(statistics.expected == 6)
        #expect(statistics.lost == 0)
        #expect(statistics.reordered == 0)
    }

    @Test("a reordered first packet moves the stream's start; a packet a window behind is late")
    func earlyAndLate() {
        var statistics = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed([11, 10, 12], into: &statistics)
        #expect(statistics.expected == 3)
        #expect(statistics.lost == 0)
        #expect(statistics.reordered == 1)
        var late = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed([2000, 2001, 500], into: &late)
        #expect(late.late == 1)
        #expect(late.packets == 2)
    }

    @Test("RFC 3550 jitter: J += (|D| - J) / 16 in timestamp units")
    func jitter() {
        var statistics = ReceiveStreamStatistics(clockRate: 48_000)
        // Packet 1 arrives 10 ms late (D = +480), packet 2 on time again (D = -480).
        statistics.record(sequence: 0, timestamp: 0, arrival: 0, bytes: 1)
        statistics.record(sequence: 1, timestamp: 960, arrival: 30_000_000, bytes: 1)
        #expect(abs(statistics.jitter - 30) < 1e-9)
        statistics.record(sequence: 2, timestamp: 1920, arrival: 40_000_000, bytes: 1)
        #expect(abs(statistics.jitter - (30 + (480 - 30) / 16.0)) < 1e-9)
        #expect(abs(statistics.jitterMilliseconds - statistics.jitter / 48) < 1e-12)
    }

    @Test("nearest-rank percentiles")
    func percentiles() {
        let values = Array(1...100)
        #expect(Percentile.of(50, sorted: values) == 50)
        #expect(Percentile.of(99, sorted: values) == 99)
        #expect(Percentile.of(100, sorted: values) == 100)
        #expect(Percentile.of(0, sorted: values) == 1)
        #expect(Percentile.of(95, sorted: [10, 20, 30]) == 30)
        #expect(Percentile.of(50, sorted: [Int]()) == nil)
        #expect(Percentile.nearestRank(99.9, of: 1000) == 999)
    }

    @Test("the histogram is exact below 64 us and within 3 % above")
    func histogram() {
        var histogram = LatencyHistogram()
        for value in 1...60 {
            histogram.record(microseconds: UInt64(value))
        }
        #expect(histogram.percentile(50) == 30)
        #expect(histogram.percentile(100) == 60)
        #expect(histogram.minimum == 1)
        var wide = LatencyHistogram()
        for value in stride(from: 1000, through: 100_000, by: 1000) {
            wide.record(microseconds: UInt64(value))
        }
        for (percent, exact) in [(50.0, 50_000.0), (95, 95_000), (99, 99_000)] {
            let measured = Double(wide.percentile(percent))
            #expect(abs(measured - exact) / exact < 0.03, "p\(percent) = \(measured)")
        }
        #expect(wide.percentile(100) == 100_000)
        // Every bucket's range holds the values that map to it.
        for value: UInt64 in [0, 63, 64, 65, 127, 128, 1000, 123_456, 1 << 31, LatencyHistogram.maximumValue] {
            let (lower, width) = LatencyHistogram.range(of: LatencyHistogram.bucket(of: value))
            #expect(lower <= value && value < lower + width, "\(value) not in [\(lower), \(lower + width))")
        }
        var merged = LatencyHistogram()
        merged.merge(histogram)
        merged.merge(wide)
        #expect(merged.count == 160)
        #expect(merged.maximum == 100_000)
        #expect(merged.minimum == 1)
    }

    @Test("one-way latency from abs-send-time wraps at 64 s")
    func latencyFromAbsSendTime() {
        let sent: UInt64 = 63_999_000_000
        let received = sent + 3_000_000
        let latency = SimulatedParticipant.oneWayLatencyMicroseconds(
            sent: .init(nanoseconds: sent),
            received: received
        )
        #expect(latency.map { abs(Int($0) - 3000) <= 4 } == true)
        #expect(
            SimulatedParticipant.oneWayLatencyMicroseconds(
                sent: .init(nanoseconds: 10_000_000_000),
                received: 9_000_000_000
            ) == nil
        )
    }

    @Test("the summary judges a silent participant and applies thresholds")
    func summary() {
        var stream = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed([1, 2, 4], into: &stream)
        var sent = SendStreamStatistics()
        sent.packets = 50
        func report(_ number: Int, streams: [StreamReport]) -> ParticipantReport {
            ParticipantReport(
                number: number,
                room: 0,
                identity: "u\(number)",
                isTalker: true,
                state: "closed",
                failure: nil,
                joinMilliseconds: 100,
                connectMilliseconds: 10,
                sent: sent,
                streams: streams,
                rtcpReceived: 0,
                unprotectFailures: 0,
                mixCheck: nil
            )
        }
        let summary = RunSummary(
            reports: [report(0, streams: [StreamReport(ssrc: 1, statistics: stream)]), report(1, streams: [])],
            durationSeconds: 1
        )
        #expect(summary.total.failures == ["no_media": 1])
        #expect(summary.total.packetsLost == 1)
        #expect(abs(summary.total.lossPercent - 25) < 1e-9)
        #expect(summary.total.joinSuccessRate == 0.5)
        #expect(summary.violations(of: .init(maximumLossPercent: 30)).isEmpty)
        #expect(summary.violations(of: .init(maximumLossPercent: 1, minimumJoinSuccess: 1)).count == 2)
        #expect(summary.violations(of: .init(maximumP99Milliseconds: 10)).count == 1)
        #expect(summary.table().contains("no_media 1"))
    }

    @Test("a lone talker among listeners does not fail for receiving nothing; a deaf listener does")
    func loneTalker() {
        var talking = SendStreamStatistics()
        talking.packets = 50
        var stream = ReceiveStreamStatistics(clockRate: 48_000)
        Self.feed([1, 2, 3], into: &stream)
        func report(_ number: Int, sent: SendStreamStatistics, streams: [StreamReport]) -> ParticipantReport {
            ParticipantReport(
                number: number,
                room: 0,
                identity: "u\(number)",
                isTalker: number == 0,
                state: "closed",
                failure: nil,
                joinMilliseconds: 100,
                connectMilliseconds: 10,
                sent: sent,
                streams: streams,
                rtcpReceived: 0,
                unprotectFailures: 0,
                mixCheck: nil
            )
        }
        let heard = [StreamReport(ssrc: 1, statistics: stream)]
        let healthy = RunSummary(
            reports: [report(0, sent: talking, streams: []), report(1, sent: SendStreamStatistics(), streams: heard)],
            durationSeconds: 1
        )
        #expect(healthy.total.failures.isEmpty)
        let deaf = RunSummary(
            reports: [report(0, sent: talking, streams: []), report(1, sent: SendStreamStatistics(), streams: [])],
            durationSeconds: 1
        )
        #expect(deaf.total.failures == ["no_media": 1])
    }
}
