import MediaRelay
import MetricsTestKit
import Testing

@Suite("RelayService: swift-metrics")
struct RelayServiceMetricsTests {
    /// The total a counter was incremented by, for worker `worker` (and any extra dimension).
    static func total(
        _ metrics: TestMetrics,
        _ label: String,
        worker: Int,
        _ extra: [(String, String)] = []
    ) -> Int64 {
        let dimensions: [(String, String)] = [("worker", "\(worker)")] + extra
        return metrics.counterTotal(label: label, dimensions: dimensions)
    }

    /// The last value recorded by the gauge `label` of worker `worker`.
    static func gauge(_ metrics: TestMetrics, _ label: String, worker: Int) throws -> Double? {
        let dimensions: [(String, String)] = [("worker", "\(worker)")]
        return try metrics.expectGauge(label, dimensions).lastValue
    }

    static func drops(_ metrics: TestMetrics, _ reason: String, worker: Int) -> Int64 {
        Self.total(metrics, "parley_relay_drops_total", worker: worker, [("reason", reason)])
    }

    @Test("packets and bytes in and out, drops by reason, DTLS handshakes and active transports, published by delta")
    func published() async throws {
        let metrics = TestMetrics()
        var configuration = ServiceFixture.configuration(workers: 2)
        configuration.metricsFactory = metrics
        let service = try RelayService(configuration: configuration)
        try await ServiceFixture.withEvents(service) { log in
            // A client connects to worker 0.
            let client = try CoreTestClient(id: 3, ufrag: "svc3", password: "servicePassword3x0123456789ab")
            try ServiceFixture.addTransport(service, 3, onWorker: 0)
            let counters = service.coreCounters(worker: 0)
            #expect(await ServiceFixture.waitUntil { counters[.transportsAdded] == 1 })
            try client.connect(
                to: service.localAddress(worker: 0),
                until: RelayTime.monotonicNow().adding(milliseconds: 9_000)
            )
            #expect(await ServiceFixture.waitUntil { log.contains(.transportConnected(client.id)) })

            // Three datagrams over 1500 bytes and two that are no protocol at all.
            let stranger = try LoopbackPeer()
            let relay = service.localAddress(worker: 0)
            for _ in 0..<3 {
                #expect(stranger.send([UInt8](repeating: 0x80, count: 1_600), to: relay))
            }
            for _ in 0..<2 {
                #expect(stranger.send([UInt8](repeating: 0xFF, count: 40), to: relay))
            }
            #expect(await ServiceFixture.waitUntil { counters[.droppedByDemux] == 2 })
            #expect(await ServiceFixture.waitUntil { service.statistics(worker: 0).droppedOversize == 3 })

            service.publishMetrics()
            let statistics = service.statistics(worker: 0)
            #expect(Self.total(metrics, "parley_relay_packets_in_total", worker: 0) == Int64(statistics.received))
            #expect(Self.total(metrics, "parley_relay_bytes_in_total", worker: 0) == Int64(statistics.receivedBytes))
            #expect(Self.total(metrics, "parley_relay_packets_out_total", worker: 0) == Int64(statistics.sent))
            #expect(Self.total(metrics, "parley_relay_bytes_out_total", worker: 0) == Int64(statistics.sentBytes))
            #expect(statistics.received >= 4)
            #expect(statistics.sent >= 2)
            #expect(Self.total(metrics, "parley_relay_packets_in_total", worker: 1) == 0)
            #expect(Self.drops(metrics, "oversize", worker: 0) == 3)
            #expect(Self.drops(metrics, "demux", worker: 0) == 2)
            #expect(Self.drops(metrics, "oversize", worker: 1) == 0)
            let completed: [(String, String)] = [("result", "completed")]
            #expect(Self.total(metrics, "parley_relay_dtls_handshakes_total", worker: 0, completed) == 1)
            #expect(try Self.gauge(metrics, "parley_relay_active_transports", worker: 0) == 1)
            #expect(try Self.gauge(metrics, "parley_relay_active_transports", worker: 1) == 0)

            // Publishing again without traffic adds nothing: counters are deltas.
            service.publishMetrics()
            service.publishMetrics()
            #expect(Self.drops(metrics, "oversize", worker: 0) == 3)
            #expect(Self.total(metrics, "parley_relay_bytes_in_total", worker: 0) == Int64(statistics.receivedBytes))
            #expect(Self.total(metrics, "parley_relay_dtls_handshakes_total", worker: 0, completed) == 1)

            // Two more: the counter grows by exactly two, in one increment.
            for _ in 0..<2 {
                #expect(stranger.send([UInt8](repeating: 0x80, count: 1_600), to: relay))
            }
            #expect(await ServiceFixture.waitUntil { service.statistics(worker: 0).droppedOversize == 5 })
            service.publishMetrics()
            #expect(Self.drops(metrics, "oversize", worker: 0) == 5)
            let oversize = try metrics.expectCounter(
                "parley_relay_drops_total",
                [("worker", "0"), ("reason", "oversize")]
            )
            #expect(oversize.values == [3, 2])

            // Removed: the gauge goes back to 0, the close is counted once.
            try service.removeTransport(client.id)
            #expect(await ServiceFixture.waitUntil { counters[.transportsClosed] == 1 })
            service.publishMetrics()
            service.publishMetrics()
            #expect(try Self.gauge(metrics, "parley_relay_active_transports", worker: 0) == 0)
            #expect(Self.total(metrics, "parley_relay_transports_closed_total", worker: 0) == 1)
            #expect(Self.total(metrics, "parley_relay_transports_opened_total", worker: 0) == 1)
        }
    }

    @Test("run() publishes on its own every interval, and once more when it stops")
    func runPublishes() async throws {
        let metrics = TestMetrics()
        var configuration = ServiceFixture.configuration(workers: 1)
        configuration.metricsFactory = metrics
        let service = try RelayService(configuration: configuration)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await service.run()
            }
            // An idle worker sleeps in epoll without iterating: the command wakes it. Nothing here
            // calls publishMetrics(), so what arrives was published by run() on its own. The wait
            // is long because other suites' synchronous tests can hold the cooperative pool (2
            // threads here) for tens of seconds, and run()'s loop needs one to resume.
            #expect(throws: Never.self) { try ServiceFixture.addTransport(service, 1, onWorker: 0) }
            #expect(
                await ServiceFixture.waitUntil(seconds: 120) {
                    Self.total(metrics, "parley_relay_transports_opened_total", worker: 0) == 1
                        && Self.total(metrics, "parley_relay_loop_iterations_total", worker: 0) > 0
                }
            )
            group.cancelAll()
            await group.waitForAll()
        }
        // The final publish after stopping saw every iteration the worker made.
        #expect(Self.total(metrics, "parley_relay_transports_opened_total", worker: 0) == 1)
        #expect(
            Int64(service.statistics(worker: 0).iterations)
                == Self.total(metrics, "parley_relay_loop_iterations_total", worker: 0)
        )
    }
}
