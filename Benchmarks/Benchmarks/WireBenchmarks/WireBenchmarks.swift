import Benchmark
import RTCWire

/// Parsing and serialising Parley's wire formats. CI gates on `mallocCountTotal` (checked against
/// `Benchmarks/Thresholds`); times are reported, never gated.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    Benchmark("Demux: classify 1000 datagrams") { benchmark in
        let datagrams: [[UInt8]] = [[0x00, 0x01], [0x16, 0xFE], [0x80, 0x6F], [0x81, 0xC8], [0x40, 0x00]]
        for _ in benchmark.scaledIterations {
            for datagram in datagrams {
                blackHole(PacketClass(classifying: datagram.span))
            }
        }
    }
}
