import ArgumentParser
import Foundation
import LoadGeneratorCore
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `parley-load`: simulated participants through Parley's real protocol (WebSocket signaling,
/// ICE, DTLS, SRTP), with loss, jitter, latency and join-time measurements and a pass/fail
/// verdict.
@main
struct ParleyLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-load",
        abstract: "Load-test a Parley server with simulated audio participants.",
        discussion: """
            Every participant joins over the signaling WebSocket with a token (minted from --secret, \
            or read from --token-file, one per line), sends its SDP offer, runs ICE, DTLS and SRTP \
            from its own UDP socket, sends 20 ms Opus packets (talkers: a frequency tag at speech \
            level; others: low-level noise) and measures what it receives. One-way latency comes \
            from the abs-send-time extension: senders stamp it from the process's monotonic clock \
            and receivers in the same process read the same clock, so no clock sync is needed.

            Exit status: 0 when every --max-*/--min-* check passed, 1 otherwise.
            """
    )

    @Option(help: "The signaling URL (ws://host:port; /v1/rtc is added when no path is given).")
    var url = "ws://127.0.0.1:7880"

    @Option(help: "The server's HS256 token secret (mint one token per participant).")
    var secret: String?

    @Option(help: "A file of tokens, one per line, used in order (instead of --secret).")
    var tokenFile: String?

    @Option(help: "The token issuer (iss).")
    var issuer = "parley"

    @Option(help: "Rooms.")
    var rooms = 1

    @Option(help: "Participants per room.")
    var participants = 2

    @Option(help: "Talkers per room (default: every participant).")
    var talkers: Int?

    @Flag(help: "Quiet participants only listen (a recvonly audio m-line, no media sent, no track published).")
    var listeners = false

    @Option(help: "Seconds of steady state after everyone joined.")
    var duration = 10.0

    @Option(help: "Joins per second.")
    var ramp = 20.0

    @Option(help: "Leave-and-rejoin events per second during the steady state.")
    var churn = 0.0

    @Option(help: "Percentage of sent media packets dropped on purpose.")
    var loss = 0.0

    @Option(help: "Largest random extra delay of sent media packets, in milliseconds.")
    var jitter = 0.0

    @Option(help: "Percentage of sent media packets held back one frame (reordered).")
    var reorder = 0.0

    @Flag(help: "Video-like traffic (not implemented yet: refused).")
    var video = false

    @Option(help: "Write every figure to this JSON file.")
    var json: String?

    @Option(help: "Fail when loss exceeds this percentage.")
    var maxLoss: Double?

    @Option(help: "Fail when the one-way p99 latency exceeds this many milliseconds.")
    var maxP99Ms: Double?

    @Option(help: "Fail when the share of participants that joined is below this (0...1).")
    var minJoinSuccess: Double?

    @Option(help: "Fail when the mean RFC 3550 jitter exceeds this many milliseconds.")
    var maxJitterMs: Double?

    @Option(help: "Room names are <prefix>-<index>.")
    var roomPrefix = "load"

    @Option(help: "Participants per mixed room that decode their audio for the mix check.")
    var mixCheckPerRoom = 2

    @Option(help: "The IPv4 address the participants' UDP sockets bind to.")
    var localAddress = "127.0.0.1"

    @Option(help: "Pin the media thread to this CPU.")
    var cpu: Int?

    @Option(help: "Seed for credentials, SSRCs, churn and impairments.")
    var seed: UInt64 = 1

    @Option(help: "Admin key: create the rooms first (POST /v1/rooms) with --audio-mode.")
    var adminKey: String?

    @Option(help: "The audio mode of rooms created with --admin-key: forwarded, mixed or both.")
    var audioMode = "forwarded"

    func validate() throws {
        if self.video {
            throw ValidationError("--video is not implemented yet")
        }
        if (self.secret == nil) == (self.tokenFile == nil) {
            throw ValidationError("give exactly one of --secret and --token-file")
        }
        if let problem = self.scenario.validate() {
            throw ValidationError(problem)
        }
        if IPv4Address.parse(self.localAddress) == nil {
            throw ValidationError("--local-address must be an IPv4 address")
        }
    }

    var scenario: LoadScenario {
        LoadScenario(
            rooms: self.rooms,
            participantsPerRoom: self.participants,
            talkersPerRoom: self.talkers ?? self.participants,
            duration: self.duration,
            ramp: self.ramp,
            churn: self.churn,
            roomPrefix: self.roomPrefix,
            mixCheckPerRoom: self.mixCheckPerRoom,
            seed: self.seed
        )
    }

    /// The WebSocket URL with the protocol's path.
    var signalingURL: String {
        guard let components = URLComponents(string: self.url), components.path.isEmpty || components.path == "/" else {
            return self.url
        }
        return self.url.hasSuffix("/") ? self.url + "v1/rtc" : self.url + "/v1/rtc"
    }

    func run() async throws {
        let scenario = self.scenario
        let listeners = self.listeners
        let schedule = scenario.schedule().map { entry in
            var entry = entry
            entry.plan.sends = entry.plan.isTalker || !listeners
            return entry
        }
        let tokens = try self.tokenSource(schedule: schedule)
        let host = URLComponents(string: self.url)?.host ?? "127.0.0.1"
        let fallbackAddress = IPv4Address.parse(host) ?? (host == "localhost" ? IPv4Address.loopback : nil)
        if let adminKey = self.adminKey {
            try await self.createRooms(scenario: scenario, adminKey: adminKey)
        }

        let talkerCount = min(scenario.talkersPerRoom, ToneTag.count)
        let audio = try AudioLibrary(frequencies: (0..<talkerCount).map { ToneTag.frequency(forTalker: $0) })
        let engine = try LoadEngine(
            configuration: LoadEngine.Configuration(
                localAddress: IPv4Address.parse(self.localAddress) ?? IPv4Address.loopback,
                impairment: Impairment(
                    lossPercent: self.loss,
                    jitterMilliseconds: self.jitter,
                    reorderPercent: self.reorder,
                    seed: self.seed
                ),
                cpu: self.cpu
            ),
            audio: audio
        )
        var logger = Logger(label: "parley-load")
        logger.logLevel = .warning
        let session = SignalingSession(
            url: self.signalingURL,
            engine: engine,
            fallbackAddress: fallbackAddress,
            answerTimeout: .seconds(15),
            logger: logger
        )
        print(
            "parley-load: \(scenario.rooms) room(s) x \(scenario.participantsPerRoom), \(scenario.talkersPerRoom) talker(s) per room, "
                + "ramp \(scenario.ramp)/s, \(scenario.duration) s steady, churn \(scenario.churn)/s -> \(self.signalingURL)"
        )
        let start = ContinuousClock.now
        let end = start.advanced(by: .seconds(scenario.endSeconds))
        let progress = Progress(
            engine: engine,
            isTerminal: LoadClock.standardOutputIsTerminal,
            expected: schedule.count
        )
        var signalingFailures: [ParticipantReport] = []
        await withTaskGroup(of: SignalingSession.Outcome?.self) { group in
            group.addTask {
                await progress.run(until: end)
                return nil
            }
            for (index, entry) in schedule.enumerated() {
                let token = tokens[index]
                group.addTask {
                    try? await Task.sleep(until: start.advanced(by: .seconds(entry.joinAt)))
                    var started = entry
                    started.plan.joinStartedAt = LoadClock.now
                    return await session.run(
                        entry: started,
                        token: token,
                        leaveAt: start.advanced(by: .seconds(entry.leaveAt))
                    )
                }
            }
            for await outcome in group {
                guard let outcome else { continue }
                if outcome.added {
                    engine.remove(outcome.plan.number)
                } else {
                    signalingFailures.append(.failed(outcome.plan, cause: outcome.failure ?? .signalingConnect))
                }
            }
        }
        let reports = (engine.stop() + signalingFailures).sorted { $0.number < $1.number }
        let summary = RunSummary(reports: reports, durationSeconds: (ContinuousClock.now - start) / .seconds(1))
        print(summary.table())
        if let path = self.json {
            try summary.json().write(to: URL(fileURLWithPath: path))
            print("parley-load: figures written to \(path)")
        }
        let violations = summary.violations(
            of: RunSummary.Thresholds(
                maximumLossPercent: self.maxLoss,
                maximumP99Milliseconds: self.maxP99Ms,
                minimumJoinSuccess: self.minJoinSuccess,
                maximumJitterMilliseconds: self.maxJitterMs
            )
        )
        if violations.isEmpty {
            print("parley-load: PASS")
        } else {
            for violation in violations {
                print("parley-load: FAIL: \(violation)")
            }
            throw ExitCode(1)
        }
    }

    /// One token per schedule entry: minted, or read from the file in order (reused cyclically
    /// when churn needs more than the file holds).
    func tokenSource(schedule: [LoadScenario.Entry]) throws -> [String] {
        if let secret = self.secret {
            let minter = try TokenMinter(secret: Array(secret.utf8), issuer: self.issuer)
            return schedule.map { minter.mint(identity: $0.plan.identity, room: $0.roomName, name: $0.plan.identity) }
        }
        let path = self.tokenFile ?? ""
        let lines = try String(contentsOfFile: path, encoding: .utf8)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else {
            throw ValidationError("\(path) holds no token")
        }
        return schedule.indices.map { lines[$0 % lines.count] }
    }

    /// Creates the scenario's rooms with the admin API (an existing room, 409, is fine).
    func createRooms(scenario: LoadScenario, adminKey: String) async throws {
        guard var components = URLComponents(string: self.url) else {
            throw ValidationError("cannot derive the admin URL from --url \(self.url)")
        }
        let secure = components.scheme == "wss"
        components.scheme = secure ? "https" : "http"
        components.path = "/v1/rooms"
        guard let endpoint = components.url else {
            throw ValidationError("cannot derive the admin URL from --url \(self.url)")
        }
        for room in 0..<scenario.rooms {
            var request = URLRequest(url: endpoint)
            request.httpMethod = "POST"
            request.setValue("Bearer \(adminKey)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let body: [String: Any] = [
                "name": "\(scenario.roomPrefix)-\(room)",
                "audioMode": self.audioMode,
                "maxParticipants": scenario.participantsPerRoom + 16,
            ]
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            let (_, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 201 || status == 409 else {
                throw ValidationError("creating room \(scenario.roomPrefix)-\(room) failed with HTTP \(status)")
            }
        }
    }
}
