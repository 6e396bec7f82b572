import Metrics
import Synchronization

/// Turns the workers' counters into swift-metrics values, by delta, off the packet path.
///
/// The worker threads only count (relaxed atomics in ``RelayCoreCounters`` and the worker's
/// statistics); ``update(workers:cores:failedHandshakes:droppedEvents:now:)`` reads them all (on
/// the service's task, once per ``RelayService/Configuration/metricsInterval``), subtracts what
/// it read last time and increments each `Counter` by the difference, and records the gauges.
/// Counters are labelled with the worker index (`worker`), drops with their `reason`. Each
/// worker's loop time comes from its busy-time and iteration totals the same way: a busy ratio
/// over the interval (gauge) and the mean iteration time (timer). The list, with what each
/// means, is docs/relay-metrics.md.
final class RelayServiceMetrics: Sendable {
    /// One counted quantity: its metric label and extra dimensions, and where to read it.
    struct Source: Sendable {
        let label: String
        let dimensions: [(String, String)]
        let read: @Sendable (RelayWorkerStatistics, RelayCoreCounters.Snapshot) -> UInt64

        init(
            _ label: String,
            _ dimensions: [(String, String)] = [],
            _ read: @escaping @Sendable (RelayWorkerStatistics, RelayCoreCounters.Snapshot) -> UInt64
        ) {
            self.label = label
            self.dimensions = dimensions
            self.read = read
        }
    }

    /// Every counter the service publishes per worker.
    static let sources: [Source] = {
        let drops: [(String, @Sendable (RelayWorkerStatistics, RelayCoreCounters.Snapshot) -> UInt64)] = [
            ("oversize", { worker, _ in worker.droppedOversize }),
            ("unreadable_source", { worker, _ in worker.droppedUnreadableSource }),
            ("receive_error", { worker, _ in worker.receiveErrors }),
            ("send_would_block", { worker, _ in worker.sendDroppedWouldBlock }),
            ("send_error", { worker, _ in worker.sendErrors }),
            ("demux", { _, core in core[.droppedByDemux] }),
            ("transport", { _, core in core[.droppedByTransport] }),
            ("malformed", { _, core in core[.droppedMalformed] }),
            ("routing", { _, core in core[.droppedByRouting] }),
            ("stun_rejected", { _, core in core[.stunRejected] }),
            ("delivery_skipped", { _, core in core[.deliveriesSkipped] }),
        ]
        var sources: [Source] = [
            Source("parley_relay_packets_in_total") { worker, _ in worker.received },
            Source("parley_relay_bytes_in_total") { worker, _ in worker.receivedBytes },
            Source("parley_relay_packets_out_total") { worker, _ in worker.sent },
            Source("parley_relay_bytes_out_total") { worker, _ in worker.sentBytes },
            Source("parley_relay_rtp_received_total") { _, core in core[.rtpReceived] },
            Source("parley_relay_rtp_forwarded_total") { _, core in core[.rtpForwarded] },
            Source("parley_relay_rtcp_reports_total", [("kind", "sender")]) { _, core in core[.senderReportsSent] },
            Source("parley_relay_rtcp_reports_total", [("kind", "receiver")]) { _, core in
                core[.receiverReportsSent]
            },
            Source("parley_relay_rtcp_reports_total", [("kind", "transport_cc")]) { _, core in
                core[.transportFeedbackSent]
            },
            Source("parley_relay_srtp_failures_total", [("operation", "protect")]) { _, core in core[.protectFailed] },
            Source("parley_relay_dtls_handshakes_total", [("result", "completed")]) { _, core in
                core[.transportsConnected]
            },
            Source("parley_relay_transports_opened_total") { _, core in core[.transportsAdded] },
            Source("parley_relay_transports_closed_total") { _, core in core[.transportsClosed] },
            Source("parley_relay_commands_rejected_total") { _, core in core[.commandsRejected] },
            Source("parley_relay_loop_iterations_total") { worker, _ in worker.iterations },
            Source("parley_relay_worker_busy_nanoseconds_total") { worker, _ in worker.busyNanoseconds },
        ]
        for (reason, read) in drops {
            sources.append(Source("parley_relay_drops_total", [("reason", reason)], read))
        }
        return sources
    }()

    /// What was read last time, per worker and source.
    private struct Previous {
        var values: [[UInt64]]
        var failedHandshakes: [UInt64]
        var droppedEvents: UInt64 = 0
        /// Per worker: busy time and iterations at the last update, for the loop-time metrics.
        var busyNanoseconds: [UInt64]
        var iterations: [UInt64]
        /// When the last update ran (the start of the first interval: creation).
        var time: RelayTime
    }

    /// `counters[worker][source]`.
    private let counters: [[Counter]]
    private let failedHandshakes: [Counter]
    private let activeTransports: [Gauge]
    /// Per worker: the share of the last interval its loop spent working (0...1).
    private let busyRatio: [Gauge]
    /// Per worker: the mean busy time of one loop iteration over the last interval.
    private let loopTime: [Timer]
    private let droppedEvents: Counter
    private let previous: Mutex<Previous>

    /// Creates the metrics of `workerCount` workers with `factory`; `start` (when the workers
    /// start) begins the first interval of the busy ratio.
    init(workerCount: Int, factory: any MetricsFactory, start: RelayTime) {
        var counters: [[Counter]] = []
        var failed: [Counter] = []
        var gauges: [Gauge] = []
        var ratios: [Gauge] = []
        var loopTimes: [Timer] = []
        for worker in 0..<workerCount {
            let workerDimension = ("worker", "\(worker)")
            counters.append(
                Self.sources.map { source in
                    Counter(label: source.label, dimensions: [workerDimension] + source.dimensions, factory: factory)
                }
            )
            failed.append(
                Counter(
                    label: "parley_relay_dtls_handshakes_total",
                    dimensions: [workerDimension, ("result", "failed")],
                    factory: factory
                )
            )
            gauges.append(
                Gauge(label: "parley_relay_active_transports", dimensions: [workerDimension], factory: factory)
            )
            ratios.append(
                Gauge(label: "parley_relay_worker_busy_ratio", dimensions: [workerDimension], factory: factory)
            )
            loopTimes.append(
                Timer(label: "parley_relay_worker_loop_seconds", dimensions: [workerDimension], factory: factory)
            )
        }
        self.counters = counters
        self.failedHandshakes = failed
        self.activeTransports = gauges
        self.busyRatio = ratios
        self.loopTime = loopTimes
        self.droppedEvents = Counter(label: "parley_relay_events_dropped_total", dimensions: [], factory: factory)
        self.previous = Mutex(
            Previous(
                values: [[UInt64]](
                    repeating: [UInt64](repeating: 0, count: Self.sources.count),
                    count: workerCount
                ),
                failedHandshakes: [UInt64](repeating: 0, count: workerCount),
                busyNanoseconds: [UInt64](repeating: 0, count: workerCount),
                iterations: [UInt64](repeating: 0, count: workerCount),
                time: start
            )
        )
    }

    /// Reads every counter and publishes what changed since the last call.
    ///
    /// - Parameters:
    ///   - workers: each worker's statistics, by index.
    ///   - cores: each worker's core counters, by index.
    ///   - failedHandshakes: per worker, transports closed because DTLS failed (from events).
    ///   - droppedEvents: events the consumer of the stream lost.
    ///   - now: the monotonic time of the reading, for the busy ratio.
    func update(
        workers: [RelayWorkerStatistics],
        cores: [RelayCoreCounters.Snapshot],
        failedHandshakes: [UInt64],
        droppedEvents: UInt64,
        now: RelayTime
    ) {
        self.previous.withLock { previous in
            let elapsed = now.nanoseconds(since: previous.time)
            previous.time = now
            for worker in self.counters.indices where worker < workers.count && worker < cores.count {
                for (index, source) in Self.sources.enumerated() {
                    let value = source.read(workers[worker], cores[worker])
                    Self.increment(self.counters[worker][index], from: &previous.values[worker][index], to: value)
                }
                if worker < failedHandshakes.count {
                    Self.increment(
                        self.failedHandshakes[worker],
                        from: &previous.failedHandshakes[worker],
                        to: failedHandshakes[worker]
                    )
                }
                let openTransports = cores[worker][.transportsAdded] &- cores[worker][.transportsClosed]
                self.activeTransports[worker].record(Int64(clamping: openTransports))
                self.recordLoopTime(
                    worker: worker,
                    statistics: workers[worker],
                    elapsed: elapsed,
                    previous: &previous
                )
            }
            Self.increment(self.droppedEvents, from: &previous.droppedEvents, to: droppedEvents)
        }
    }

    /// Records worker `worker`'s busy ratio over the `elapsed` nanoseconds since the last
    /// update and, if it iterated meanwhile, the mean busy time of those iterations.
    private func recordLoopTime(
        worker: Int,
        statistics: RelayWorkerStatistics,
        elapsed: UInt64,
        previous: inout Previous
    ) {
        let busy = statistics.busyNanoseconds &- previous.busyNanoseconds[worker]
        let iterations = statistics.iterations &- previous.iterations[worker]
        previous.busyNanoseconds[worker] = statistics.busyNanoseconds
        previous.iterations[worker] = statistics.iterations
        if elapsed > 0 {
            // Busy time is measured inside the interval, so it cannot exceed it, except for
            // the few nanoseconds between the worker's clock reads and ours.
            self.busyRatio[worker].record(min(1, Double(busy) / Double(elapsed)))
        }
        if iterations > 0 {
            self.loopTime[worker].recordNanoseconds(Int64(clamping: busy / iterations))
        }
    }

    /// Increments `counter` by `value - last` (counts wrap, so the difference does too) and
    /// remembers `value`.
    private static func increment(_ counter: Counter, from last: inout UInt64, to value: UInt64) {
        let delta = value &- last
        last = value
        if delta > 0 {
            counter.increment(by: Int64(clamping: delta))
        }
    }
}
