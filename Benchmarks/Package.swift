// swift-tools-version:6.2
// Parley's benchmarks: a separate package so that ordo-one/benchmark and its malloc interposer
// never reach the server's own build. Run them with Tools/benchmarks.sh (run, check, update).
import PackageDescription

let benchmarkPlugins: [Target.PluginUsage] = [
    .plugin(name: "BenchmarkPlugin", package: "benchmark")
]

let package = Package(
    name: "parley-benchmarks",
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // libsrtp2 from a plain C loop: the baseline the SRTP wrapper is measured against.
        .target(
            name: "CSRTPBaseline",
            linkerSettings: [.linkedLibrary("srtp2")]
        ),
        .executableTarget(
            name: "SecurityBenchmarks",
            dependencies: [
                "CSRTPBaseline",
                .product(name: "RTCSecurity", package: "parley"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SecurityBenchmarks",
            plugins: benchmarkPlugins
        ),
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "RTCWire", package: "parley"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/WireBenchmarks",
            plugins: benchmarkPlugins
        ),
        // The relay's forwarding path in memory (RTCTestSupport's harness), fan-out to nine.
        .executableTarget(
            name: "RelayBenchmarks",
            dependencies: [
                .product(name: "MediaRelay", package: "parley"),
                .product(name: "RTCAudio", package: "parley"),
                .product(name: "RTCTestSupport", package: "parley"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RelayBenchmarks",
            plugins: benchmarkPlugins
        ),
        // Tools/ratio.sh: Parley's relay against the C limit, side by side on loopback. RatioC is
        // the C forwarder (recvmmsg, libsrtp unprotect, K protects, sendmmsg) and the traffic
        // (generator and counting receivers); RatioParley runs the real relay, its clients
        // connected through ICE and DTLS over loopback.
        .executableTarget(
            name: "RatioC",
            path: "Ratio/RatioC",
            linkerSettings: [.linkedLibrary("srtp2"), .linkedLibrary("pthread")]
        ),
        .executableTarget(
            name: "RatioParley",
            dependencies: [
                .product(name: "MediaRelay", package: "parley"),
                .product(name: "RTCSecurity", package: "parley"),
                .product(name: "RTCWire", package: "parley"),
            ],
            path: "Ratio/RatioParley"
        ),
    ]
)
