import MediaRelay
import MetricsTestKit
import Testing

@Suite("RelayService: per-worker loop time")
struct RelayServiceLoopTimeTests {
    static let busyLabel = "parley_relay_worker_busy_nanoseconds_total"

    static func busyTotal(_ metrics: TestMetrics, worker: Int) -> Int64 {
        let dimensions: [(String, String)] = [("worker", "\(worker)")]
        return metrics.counterTotal(label: Self.busyLabel, dimensions: dimensions)
    }

    @Test(
        "busy time and iterations are counted by the worker and published by delta, with a ratio and a mean loop time"
    )
    func loopTime() async throws {
        let metrics = TestMetrics()
        var configuration = ServiceFixture.configuration(workers: 2)
        configuration.metricsFactory = metrics
        let service = try RelayService(configuration: configuration)
        defer { service.stop() }

        // 200 datagrams the core drops: work for worker 0, none for worker 1.
        let peer = try LoopbackPeer()
        let relay = service.localAddress(worker: 0)
        for _ in 0..<200 {
            #expect(peer.send([UInt8](repeating: 0xFF, count: 100), to: relay))
        }
        let counters = service.coreCounters(worker: 0)
        #expect(await ServiceFixture.waitUntil { counters[.droppedByDemux] == 200 })
        // The worker is idle now (no transport, no timer): its totals stand still.
        try? await Task.sleep(for: .milliseconds(20))
        let busy = service.statistics(worker: 0).busyNanoseconds
        let iterations = service.statistics(worker: 0).iterations
        #expect(busy > 0)
        #expect(iterations > 0)

        service.publishMetrics()
        #expect(Self.busyTotal(metrics, worker: 0) == Int64(busy))
        let loop = try metrics.expectTimer("parley_relay_worker_loop_seconds", [("worker", "0")])
        #expect(loop.values == [Int64(busy / iterations)])
        let ratio = try metrics.expectGauge("parley_relay_worker_busy_ratio", [("worker", "0")])
        let firstRatio = try #require(ratio.lastValue)
        #expect(firstRatio > 0)
        #expect(firstRatio <= 1)

        // Nothing happened since: no more busy time, no loop time recorded, a ratio of 0.
        try? await Task.sleep(for: .milliseconds(5))
        service.publishMetrics()
        #expect(Self.busyTotal(metrics, worker: 0) == Int64(busy))
        #expect(loop.values.count == 1)
        #expect(ratio.lastValue == 0)

        // Worker 1 ran only its start-up iteration: its numbers are its own.
        let other = service.statistics(worker: 1)
        #expect(Self.busyTotal(metrics, worker: 1) == Int64(other.busyNanoseconds))
    }
}
