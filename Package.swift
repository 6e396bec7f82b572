// swift-tools-version:6.2
// Parley: a secure, on-prem meeting media server. The module graph and the dependency rule are in
// DESIGN.md (the copy the project keeps in ../shared); `Tools/soundness.sh` enforces the rule.
import PackageDescription

/// Upcoming features every Parley target builds with.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "parley",
    products: [
        .library(name: "RTCWire", targets: ["RTCWire"]),
        .library(name: "RTCSecurity", targets: ["RTCSecurity"]),
        .library(name: "RTCAudio", targets: ["RTCAudio"]),
        .library(name: "MediaRelay", targets: ["MediaRelay"]),
        .library(name: "RTCTestSupport", targets: ["RTCTestSupport"]),
        .library(name: "Conference", targets: ["Conference"]),
        .library(name: "Signaling", targets: ["Signaling"]),
        .executable(name: "parley-load", targets: ["ParleyLoad"]),
        .executable(name: "parley", targets: ["ParleyServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Layer 0: system libraries. Each is imported by exactly one Swift module.
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        .systemLibrary(
            name: "CSRTP",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "COgg",
            pkgConfig: "ogg",
            providers: [.apt(["libogg-dev"])]
        ),
        // recvmmsg/sendmmsg need _GNU_SOURCE, which Glibc as imported by Swift does not set: a
        // small C target does the batching for MediaRelay.
        .target(name: "CRelaySocket"),

        // Layer 1: wire formats as value types over bytes. No I/O, no Foundation, no C.
        .target(
            name: "RTCWire",
            swiftSettings: strictSettings
        ),

        // Layer 2: cryptography (libsrtp2, OpenSSL) and audio (libopus), sans-I/O.
        .target(
            name: "RTCSecurity",
            dependencies: ["RTCWire", "CSRTP", "COpenSSL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RTCAudio",
            dependencies: ["RTCWire", "COpus", "COgg"],
            swiftSettings: strictSettings
        ),

        // Layer 3: rooms, participants, grants and the SDP answer policy. No sockets, no HTTP.
        .target(
            name: "Conference",
            dependencies: ["RTCWire", "RTCSecurity"],
            swiftSettings: strictSettings
        ),

        // Layer 4: the UDP hot path.
        .target(
            name: "MediaRelay",
            dependencies: [
                "RTCWire", "RTCSecurity", "RTCAudio", "CRelaySocket",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // Layer 4: HTTP + WebSocket signaling, tokens, admin API. Talks to the rest of the server
        // through its own SignalingBackend protocol (no Conference or MediaRelay import).
        .target(
            name: "Signaling",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // Layer 5: the `parley` executable: configuration, the control plane joining Conference
        // to the relay (Meeting), one ServiceGroup; the meeting page is bundled as a resource.
        .executableTarget(
            name: "ParleyServer",
            dependencies: [
                "Conference", "MediaRelay", "RTCSecurity", "Signaling",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Page")],
            swiftSettings: strictSettings
        ),

        // Test and tool support: an in-memory relay with connected clients (never in the server).
        .target(
            name: "RTCTestSupport",
            dependencies: ["MediaRelay", "RTCSecurity", "RTCWire"],
            swiftSettings: strictSettings
        ),

        // The load generator (`parley-load`, issue 7): a tool, so Foundation is allowed. Its own
        // small C target does epoll, recvmmsg and the sockets (CRelaySocket belongs to MediaRelay).
        .target(
            name: "CLoadSocket",
            path: "Tools/LoadGenerator/Sources/CLoadSocket"
        ),
        .target(
            name: "LoadGeneratorCore",
            dependencies: [
                "RTCWire", "RTCSecurity", "RTCAudio", "CLoadSocket",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tools/LoadGenerator/Sources/LoadGeneratorCore",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ParleyLoad",
            dependencies: [
                "LoadGeneratorCore", "RTCWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/LoadGenerator/Sources/ParleyLoad",
            swiftSettings: strictSettings
        ),

        // libFuzzer targets: built by Tools/fuzz.sh with -sanitize=fuzzer,address, which supplies
        // `main`; a plain build links them too, so they always compile.
        .executableTarget(
            name: "FuzzRTP",
            dependencies: ["RTCWire"],
            path: "Tests/Fuzz/FuzzRTP",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzRTCP",
            dependencies: ["RTCWire"],
            path: "Tests/Fuzz/FuzzRTCP",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzSTUN",
            dependencies: ["RTCWire", "RTCSecurity"],
            path: "Tests/Fuzz/FuzzSTUN",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzSDP",
            dependencies: ["RTCWire"],
            path: "Tests/Fuzz/FuzzSDP",
            swiftSettings: strictSettings
        ),
        // Records a tone in real time for the recorder's crash test, which kills it with SIGKILL.
        .executableTarget(
            name: "RecorderCrashProbe",
            dependencies: ["MediaRelay", "RTCAudio"],
            path: "Tests/RecorderCrashProbe",
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "RTCWireTests",
            dependencies: ["RTCWire"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RTCSecurityTests",
            dependencies: ["RTCSecurity", "RTCWire"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RTCAudioTests",
            dependencies: ["RTCAudio", "RTCWire"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConferenceTests",
            dependencies: ["Conference", "RTCWire", "RTCSecurity"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MediaRelayTests",
            // CRelaySocket: the worker tests build their own sockaddr values, whose C types Clang
            // attributes to the first module that included <sys/socket.h>. RecorderCrashProbe: built
            // with the tests, which run it and kill it.
            dependencies: [
                "MediaRelay", "RTCWire", "RTCSecurity", "RTCAudio", "CRelaySocket", "RecorderCrashProbe",
                "RTCTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SignalingTests",
            dependencies: [
                "Signaling",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LoadGeneratorTests",
            dependencies: ["LoadGeneratorCore", "MediaRelay", "RTCWire", "RTCSecurity", "RTCAudio"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer", "Conference", "MediaRelay", "Signaling",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The exhaustion tests drive the real server through a WebSocket client.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
