import MediaRelay
import MetricsTestKit
import RTCSecurity
import Testing

@Suite("RelayService metrics")
struct MetricsTests {
    static func service(_ metrics: TestMetrics, interval: Duration = .seconds(1)) throws -> RelayService {
        try RelayService(
            configuration: RelayService.Configuration(
                workerCount: 1,
                identity: TransportTestIdentities.relay,
                metricsInterval: interval,
                metricsFactory: metrics
            )
        )
    }

    static let worker = ("worker", "0")

    @Test("packets, bytes and drops by reason are published by delta, never twice")
    func countersByDelta() throws {
        let metrics = TestMetrics()
        let service = try Self.service(metrics)
        defer { service.stop() }
        let relay = service.localAddress(worker: 0)
        let peer = try LoopbackPeer(timeoutMilliseconds: 200)

        // Five datagrams that are neither STUN, DTLS, RTP nor RTCP (the demux drops them), and
        // one over the 1500-byte limit (dropped before the core).
        let junk: [UInt8] = [0xFF] + [UInt8](repeating: 7, count: 99)
        for _ in 0..<5 {
            #expect(peer.send(junk, to: relay))
        }
        #expect(peer.send([UInt8](repeating: 0xFF, count: 1600), to: relay))
        #expect(
            eventually(seconds: 3) {
                service.coreCounters(worker: 0)[.droppedByDemux] == 5
                    && service.statistics(worker: 0).droppedOversize == 1
            }
        )
        service.publishMetrics()
        #expect(try metrics.expectCounter("parley_relay_packets_in_total", [Self.worker]).totalValue == 5)
        #expect(try metrics.expectCounter("parley_relay_bytes_in_total", [Self.worker]).totalValue == 500)
        #expect(
            try metrics.expectCounter("parley_relay_drops_total", [Self.worker, ("reason", "demux")]).totalValue == 5
        )
        #expect(
            try metrics.expectCounter("parley_relay_drops_total", [Self.worker, ("reason", "oversize")]).totalValue
                == 1
        )
        #expect(try metrics.expectCounter("parley_relay_packets_out_total", [Self.worker]).totalValue == 0)

        // Publishing again without traffic adds nothing; new traffic adds only itself.
        service.publishMetrics()
        #expect(try metrics.expectCounter("parley_relay_packets_in_total", [Self.worker]).totalValue == 5)
        for _ in 0..<3 {
            #expect(peer.send(junk, to: relay))
        }
        #expect(eventually(seconds: 3) { service.coreCounters(worker: 0)[.droppedByDemux] == 8 })
        service.publishMetrics()
        #expect(try metrics.expectCounter("parley_relay_packets_in_total", [Self.worker]).totalValue == 8)
        #expect(
            try metrics.expectCounter("parley_relay_drops_total", [Self.worker, ("reason", "demux")]).totalValue == 8
        )
    }

    @Test("the active-transports gauge follows transports added and removed")
    func activeTransports() throws {
        let metrics = TestMetrics()
        let service = try Self.service(metrics)
        defer { service.stop() }
        let client = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        try service.submit(client.addCommand, toWorker: 0)
        #expect(eventually(seconds: 2) { service.coreCounters(worker: 0)[.transportsAdded] == 1 })
        service.publishMetrics()
        #expect(try metrics.expectGauge("parley_relay_active_transports", [Self.worker]).lastValue == 1)
        #expect(try metrics.expectCounter("parley_relay_transports_opened_total", [Self.worker]).totalValue == 1)

        try service.removeTransport(client.id)
        #expect(eventually(seconds: 2) { service.coreCounters(worker: 0)[.transportsClosed] == 1 })
        service.publishMetrics()
        #expect(try metrics.expectGauge("parley_relay_active_transports", [Self.worker]).lastValue == 0)
        // Never connected: no handshake counted either way.
        #expect(
            try metrics.expectCounter("parley_relay_dtls_handshakes_total", [Self.worker, ("result", "completed")])
                .totalValue == 0
        )
    }

    @Test("run() publishes periodically while it runs")
    func runPublishes() async throws {
        let metrics = TestMetrics()
        let service = try Self.service(metrics, interval: .milliseconds(20))
        let running = Task { await service.run() }
        let peer = try LoopbackPeer(timeoutMilliseconds: 200)
        #expect(peer.send([0xFF, 1, 2, 3], to: service.localAddress(worker: 0)))
        var published: Int64 = 0
        for _ in 0..<200 where published == 0 {
            try await Task.sleep(for: .milliseconds(10))
            published = try metrics.expectCounter("parley_relay_packets_in_total", [Self.worker]).totalValue
        }
        #expect(published == 1)
        #expect(try metrics.expectCounter("parley_relay_loop_iterations_total", [Self.worker]).totalValue > 0)
        running.cancel()
        await running.value
    }
}
