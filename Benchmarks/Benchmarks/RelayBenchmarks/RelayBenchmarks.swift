import Benchmark
import MediaRelay
import RTCTestSupport

/// The relay's forwarding path without sockets: a `RelayCore` with one publisher and nine
/// subscribers connected in memory (`RelayCoreHarness`, AEAD_AES_128_GCM negotiated). Each
/// measured iteration hands the core one protected 200-byte Opus-like packet from the publisher
/// and gets nine protected copies back in the send batch; 1000 per sample, so the `*` columns are
/// per input packet. Parley's code allocates nothing when `mallocCountTotal` equals libsrtp's
/// own: 1 unprotect + 9 protects, about 5 each with GCM on Debian's NSS build, so 50.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 200
    )
    Benchmark("Relay.forward.GCM.200B.fanout9") { benchmark in
        let harness = RelayFixture.shared
        // Outside the measurement: the publisher protects the sample's packets.
        do {
            try harness.preparePackets(benchmark.scaledIterations.count)
        } catch {
            fatalError("preparing packets failed: \(error)")
        }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(harness.forwardPrepared(index))
        }
        benchmark.stopMeasurement()
        precondition(harness.outputCount == 9, "the last packet reached \(harness.outputCount) subscribers, not 9")
    }
    mixBenchmarks()
    roomMixerBenchmarks()
}

/// The harness, connected once for the whole run (the connections are setup, not measured).
enum RelayFixture {
    // The benchmark runner calls one benchmark at a time on one thread: nothing here is shared
    // between threads.
    nonisolated(unsafe) static let shared: RelayCoreHarness = {
        do {
            return try RelayCoreHarness(subscriberCount: 9, packetSize: 200)
        } catch {
            fatalError("the relay harness did not connect: \(error)")
        }
    }()
}
