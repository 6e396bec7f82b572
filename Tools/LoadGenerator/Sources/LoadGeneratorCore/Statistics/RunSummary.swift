public import Foundation

/// Every figure of a run, computed from the participants' reports: totals, per room, per
/// participant and per received stream. Encodes to the `--json` file; ``table()`` is the final
/// table; ``violations(of:)`` turns thresholds into a pass/fail verdict.
///
/// Post-run verdicts are applied here: a participant that connected but received nothing while
/// another connected participant of its room sent media fails with ``FailureCause/noMedia`` (a
/// room's only talker among listeners has nothing to receive, and does not fail); a mix
/// check that missed another talker, or heard the participant itself, fails it with
/// ``FailureCause/mixMissingOther`` or ``FailureCause/mixContainsSelf``.
public struct RunSummary: Codable, Sendable {
    /// Latency-like figures in milliseconds.
    public struct Distribution: Codable, Sendable, Hashable {
        /// Samples.
        public var count: UInt64
        /// Median.
        public var p50: Double
        /// 95th percentile.
        public var p95: Double
        /// 99th percentile.
        public var p99: Double
        /// Largest.
        public var max: Double

        init(_ histogram: LatencyHistogram) {
            self.count = histogram.count
            self.p50 = Double(histogram.percentile(50)) / 1000
            self.p95 = Double(histogram.percentile(95)) / 1000
            self.p99 = Double(histogram.percentile(99)) / 1000
            self.max = Double(histogram.maximum) / 1000
        }

        init(milliseconds values: [Double]) {
            let sorted = values.sorted()
            self.count = UInt64(sorted.count)
            self.p50 = Percentile.of(50, sorted: sorted) ?? 0
            self.p95 = Percentile.of(95, sorted: sorted) ?? 0
            self.p99 = Percentile.of(99, sorted: sorted) ?? 0
            self.max = sorted.last ?? 0
        }
    }

    /// Figures summed over a set of participants.
    public struct Totals: Codable, Sendable, Hashable {
        /// Participants that tried to join.
        public var participants = 0
        /// Participants whose media connected (DTLS completed) and that did not fail.
        public var succeeded = 0
        /// Participants that failed.
        public var failed = 0
        /// succeeded / participants (1 with no participants).
        public var joinSuccessRate = 1.0
        /// Media packets sent.
        public var packetsSent: UInt64 = 0
        /// Media bytes sent.
        public var bytesSent: UInt64 = 0
        /// Unique media packets received.
        public var packetsReceived: UInt64 = 0
        /// Media bytes received.
        public var bytesReceived: UInt64 = 0
        /// Packets expected on the received streams.
        public var packetsExpected: UInt64 = 0
        /// Packets expected and not received.
        public var packetsLost: UInt64 = 0
        /// lost / expected, in percent.
        public var lossPercent = 0.0
        /// Duplicate packets.
        public var duplicates: UInt64 = 0
        /// Reordered packets.
        public var reordered: UInt64 = 0
        /// Packets too late to count.
        public var late: UInt64 = 0
        /// Mean RFC 3550 jitter over streams, ms.
        public var jitterMeanMilliseconds = 0.0
        /// Largest RFC 3550 jitter of a stream, ms.
        public var jitterMaxMilliseconds = 0.0
        /// One-way latency over all packets, ms.
        public var latency = Distribution(LatencyHistogram())
        /// Token to first packet received, ms.
        public var joinTime = Distribution(milliseconds: [])
        /// The senders' lateness against their schedule, ms.
        public var senderLateness = Distribution(LatencyHistogram())
        /// Frames the senders skipped because they fell behind.
        public var framesSkipped: UInt64 = 0
        /// Packets the impairment dropped on purpose.
        public var impairmentDropped: UInt64 = 0
        /// Sends the socket refused.
        public var sendErrors: UInt64 = 0
        /// SRTP packets that did not authenticate.
        public var unprotectFailures: UInt64 = 0
        /// Failures by cause.
        public var failures: [String: Int] = [:]
        /// Participants that ran the mix check.
        public var mixChecked = 0
        /// Of those, how many passed.
        public var mixPassed = 0

        init() {}

        init(_ reports: [ParticipantReport]) {
            var latency = LatencyHistogram()
            var lateness = LatencyHistogram()
            var joins: [Double] = []
            var jitterSum = 0.0
            var streamCount = 0
            self.participants = reports.count
            for report in reports {
                if let failure = report.failure {
                    self.failed += 1
                    self.failures[failure.rawValue, default: 0] += 1
                } else if report.connectMilliseconds != nil {
                    self.succeeded += 1
                }
                if let join = report.joinMilliseconds {
                    joins.append(join)
                }
                self.packetsSent += report.sent.packets
                self.bytesSent += report.sent.bytes
                self.framesSkipped += report.sent.framesSkipped
                self.impairmentDropped += report.sent.impairmentDropped
                self.sendErrors += report.sent.sendErrors
                self.unprotectFailures += report.unprotectFailures
                lateness.merge(report.sent.lateness)
                for stream in report.streams {
                    let statistics = stream.statistics
                    self.packetsReceived += statistics.packets
                    self.bytesReceived += statistics.bytes
                    self.packetsExpected += statistics.expected
                    self.packetsLost += statistics.lost
                    self.duplicates += statistics.duplicates
                    self.reordered += statistics.reordered
                    self.late += statistics.late
                    jitterSum += statistics.jitterMilliseconds
                    self.jitterMaxMilliseconds = Swift.max(self.jitterMaxMilliseconds, statistics.jitterMilliseconds)
                    streamCount += 1
                    latency.merge(statistics.latency)
                }
                if let mix = report.mixCheck {
                    self.mixChecked += 1
                    if mix.hearsOthers && !mix.hearsSelf {
                        self.mixPassed += 1
                    }
                }
            }
            self.joinSuccessRate = self.participants == 0 ? 1 : Double(self.succeeded) / Double(self.participants)
            self.lossPercent =
                self.packetsExpected == 0 ? 0 : Double(self.packetsLost) * 100 / Double(self.packetsExpected)
            self.jitterMeanMilliseconds = streamCount == 0 ? 0 : jitterSum / Double(streamCount)
            self.latency = Distribution(latency)
            self.senderLateness = Distribution(lateness)
            self.joinTime = Distribution(milliseconds: joins)
        }
    }

    /// One received stream.
    public struct Stream: Codable, Sendable, Hashable {
        /// The receiving participant.
        public var participant: Int
        /// Its room.
        public var room: Int
        /// The SSRC it arrived with.
        public var ssrc: UInt32
        /// Unique packets.
        public var packets: UInt64
        /// Lost packets.
        public var lost: UInt64
        /// Duplicates.
        public var duplicates: UInt64
        /// Reordered.
        public var reordered: UInt64
        /// RFC 3550 jitter, ms.
        public var jitterMilliseconds: Double
        /// One-way latency, ms.
        public var latency: Distribution
    }

    /// One participant.
    public struct Participant: Codable, Sendable, Hashable {
        /// Its number.
        public var number: Int
        /// Its room.
        public var room: Int
        /// Its identity.
        public var identity: String
        /// Whether it talked.
        public var talker: Bool
        /// Its final state.
        public var state: String
        /// Why it failed.
        public var failure: String?
        /// Token to first packet, ms.
        public var joinMilliseconds: Double?
        /// Packets sent.
        public var packetsSent: UInt64
        /// Unique packets received.
        public var packetsReceived: UInt64
        /// The mix check.
        public var mixCheck: MixCheckReport?
    }

    /// The run's length in seconds.
    public var durationSeconds: Double
    /// Everything together.
    public var total: Totals
    /// Per room (index = room).
    public var rooms: [Totals]
    /// Per participant.
    public var participants: [Participant]
    /// Per received stream.
    public var streams: [Stream]

    /// Summarises `reports` (post-run verdicts applied, see the type's description).
    public init(reports: [ParticipantReport], durationSeconds: Double) {
        let judged = Self.judge(reports)
        self.durationSeconds = durationSeconds
        self.total = Totals(judged)
        let roomCount = (judged.map(\.room).max() ?? -1) + 1
        self.rooms = (0..<roomCount).map { room in Totals(judged.filter { $0.room == room }) }
        self.participants = judged.map { report in
            Participant(
                number: report.number,
                room: report.room,
                identity: report.identity,
                talker: report.isTalker,
                state: report.state,
                failure: report.failure?.rawValue,
                joinMilliseconds: report.joinMilliseconds,
                packetsSent: report.sent.packets,
                packetsReceived: report.packetsReceived,
                mixCheck: report.mixCheck
            )
        }
        self.streams = judged.flatMap { report in
            report.streams.map { stream in
                Stream(
                    participant: report.number,
                    room: report.room,
                    ssrc: stream.ssrc,
                    packets: stream.statistics.packets,
                    lost: stream.statistics.lost,
                    duplicates: stream.statistics.duplicates,
                    reordered: stream.statistics.reordered,
                    jitterMilliseconds: stream.statistics.jitterMilliseconds,
                    latency: Distribution(stream.statistics.latency)
                )
            }
        }
    }

    /// Applies the post-run verdicts.
    static func judge(_ reports: [ParticipantReport]) -> [ParticipantReport] {
        var sendersPerRoom: [Int: Int] = [:]
        for report in reports where report.connectMilliseconds != nil && report.sent.packets > 0 {
            sendersPerRoom[report.room, default: 0] += 1
        }
        return reports.map { report in
            var judged = report
            guard judged.failure == nil, judged.connectMilliseconds != nil else { return judged }
            let otherSenders = sendersPerRoom[judged.room, default: 0] - (judged.sent.packets > 0 ? 1 : 0)
            if judged.packetsReceived == 0, otherSenders > 0 {
                judged.failure = .noMedia
            } else if let mix = judged.mixCheck {
                if mix.hearsSelf {
                    judged.failure = .mixContainsSelf
                } else if !mix.hearsOthers {
                    judged.failure = .mixMissingOther
                }
            }
            return judged
        }
    }

    /// Pass/fail thresholds (nil: not checked).
    public struct Thresholds: Sendable, Hashable {
        /// Largest acceptable loss, percent.
        public var maximumLossPercent: Double?
        /// Largest acceptable one-way p99 latency, ms.
        public var maximumP99Milliseconds: Double?
        /// Smallest acceptable join success rate, 0...1.
        public var minimumJoinSuccess: Double?
        /// Largest acceptable mean jitter, ms.
        public var maximumJitterMilliseconds: Double?

        /// Thresholds as given.
        public init(
            maximumLossPercent: Double? = nil,
            maximumP99Milliseconds: Double? = nil,
            minimumJoinSuccess: Double? = nil,
            maximumJitterMilliseconds: Double? = nil
        ) {
            self.maximumLossPercent = maximumLossPercent
            self.maximumP99Milliseconds = maximumP99Milliseconds
            self.minimumJoinSuccess = minimumJoinSuccess
            self.maximumJitterMilliseconds = maximumJitterMilliseconds
        }
    }

    /// The thresholds the run broke, one sentence each (empty: pass).
    public func violations(of thresholds: Thresholds) -> [String] {
        var violations: [String] = []
        if let limit = thresholds.maximumLossPercent, self.total.lossPercent > limit {
            violations.append(String(format: "loss %.3f%% is above --max-loss %.3f%%", self.total.lossPercent, limit))
        }
        if let limit = thresholds.maximumP99Milliseconds {
            if self.total.latency.count == 0 {
                violations.append("no latency sample was measured, so --max-p99-ms cannot pass")
            } else if self.total.latency.p99 > limit {
                violations.append(
                    String(format: "p99 latency %.2f ms is above --max-p99-ms %.2f", self.total.latency.p99, limit)
                )
            }
        }
        if let limit = thresholds.minimumJoinSuccess, self.total.joinSuccessRate < limit {
            violations.append(
                String(format: "join success %.3f is below --min-join-success %.3f", self.total.joinSuccessRate, limit)
            )
        }
        if let limit = thresholds.maximumJitterMilliseconds, self.total.jitterMeanMilliseconds > limit {
            violations.append(
                String(
                    format: "mean jitter %.2f ms is above --max-jitter-ms %.2f",
                    self.total.jitterMeanMilliseconds,
                    limit
                )
            )
        }
        return violations
    }

    /// The final table: one line per room and a total line, then failures by cause.
    public func table() -> String {
        var lines: [String] = []
        lines.append(
            Self.row([
                "room", "joined", "failed", "sent", "received", "loss %", "dup", "reord", "jitter ms", "p50 ms",
                "p95 ms", "p99 ms", "max ms", "join p95 ms",
            ])
        )
        func line(_ name: String, _ totals: Totals) -> String {
            Self.row([
                name, "\(totals.succeeded)/\(totals.participants)", "\(totals.failed)", "\(totals.packetsSent)",
                "\(totals.packetsReceived)", String(format: "%.3f", totals.lossPercent), "\(totals.duplicates)",
                "\(totals.reordered)", String(format: "%.2f", totals.jitterMeanMilliseconds),
                String(format: "%.2f", totals.latency.p50), String(format: "%.2f", totals.latency.p95),
                String(format: "%.2f", totals.latency.p99), String(format: "%.2f", totals.latency.max),
                String(format: "%.0f", totals.joinTime.p95),
            ])
        }
        for (index, room) in self.rooms.enumerated() {
            lines.append(line("\(index)", room))
        }
        lines.append(line("total", self.total))
        lines.append(
            String(
                format:
                    "sender lateness p99 %.2f ms, max %.2f ms; frames skipped %llu; send errors %llu; SRTP failures %llu",
                self.total.senderLateness.p99,
                self.total.senderLateness.max,
                self.total.framesSkipped,
                self.total.sendErrors,
                self.total.unprotectFailures
            )
        )
        if self.total.mixChecked > 0 {
            lines.append("mix check: \(self.total.mixPassed)/\(self.total.mixChecked) participants passed")
        }
        if !self.total.failures.isEmpty {
            let causes = self.total.failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("failures: " + causes.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [6, 9, 7, 9, 9, 7, 5, 6, 10, 7, 7, 7, 7, 12]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell : String(repeating: " ", count: width - cell.count) + cell
        }.joined(separator: " ")
    }

    /// The summary as pretty JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
