import Conference
import RTCSecurity
import RTCWire
import Testing

/// SplitMix64: a seeded generator so answers (ufrags, SSRCs) are the same on every run.
struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestConference {
    static let relayFingerprint: DTLSFingerprint = {
        // A fixed 32-byte digest; its value does not matter, only that answers carry it.
        let bytes = (0..<32).map { UInt8($0 &* 7 &+ 3) }
        guard let fingerprint = try? DTLSFingerprint(algorithm: .sha256, bytes: bytes) else {
            fatalError("a 32-byte sha-256 digest is valid")
        }
        return fingerprint
    }()

    static let workers = [
        RelayEndpoint(address: "127.0.0.1", port: 40_000), RelayEndpoint(address: "127.0.0.1", port: 40_001),
    ]

    static func make(
        maxRooms: Int = 10,
        defaults: RoomSettings = RoomSettings(),
        placement: ConferenceConfiguration.Placement? = nil,
        seed: UInt64 = 1
    ) -> Conference {
        Conference(
            configuration: ConferenceConfiguration(
                workers: Self.workers,
                fingerprints: [Self.relayFingerprint],
                maxRooms: maxRooms,
                defaultRoomSettings: defaults,
                placement: placement,
                random: SeededRandom(seed: seed)
            )
        )
    }

    static let all: Grants = [.join, .publish, .subscribe, .create]

    static func room(_ name: String) throws(ConferenceError) -> RoomName {
        try RoomName(name)
    }
}

/// Expects `body` to throw a ConferenceError with `code`.
func expectConferenceError(
    _ code: ConferenceError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(ConferenceError) -> Void
) {
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    }
}

/// Everything observable about a conference, to check that a failed call changed nothing.
struct ConferenceSnapshot: Equatable {
    var rooms: [RoomInfo]
    var participants: [[ParticipantInfo]]
    var tracks: [[TrackInfo]]
    var plans: [RoomMediaPlan?]

    init(_ conference: Conference) {
        self.rooms = conference.rooms()
        self.participants = self.rooms.map { (try? conference.participants(of: $0.name)) ?? [] }
        self.tracks = self.rooms.map { conference.tracks(of: $0.name) }
        self.plans = self.rooms.map { conference.mediaPlan(for: $0.name) }
    }
}

extension SessionDescription {
    /// Parses an answer, failing the test when it does not parse.
    static func answer(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SessionDescription {
        try #require(
            try? SessionDescription(parsing: text),
            "the answer does not parse:\n\(text)",
            sourceLocation: sourceLocation
        )
    }
}
