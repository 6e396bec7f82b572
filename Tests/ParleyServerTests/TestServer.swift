import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Signaling
import Testing

@testable import ParleyServer

/// A whole server on loopback, as `parley serve` assembles it (``ServerAssembly``): one relay
/// worker, the meeting, signaling on an ephemeral port; tokens signed with a fixed secret.
final class TestServer: Sendable {
    static let secret = "exhaustion-test-secret-0123456789abcdef"
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let assembly: ServerAssembly
    let port: Int
    let issuer: TokenIssuer
    private let running: Task<Void, any Error>
    private let directory: URL

    private init(
        assembly: ServerAssembly,
        port: Int,
        issuer: TokenIssuer,
        running: Task<Void, any Error>,
        directory: URL
    ) {
        self.assembly = assembly
        self.port = port
        self.issuer = issuer
        self.running = running
        self.directory = directory
    }

    /// The test settings: port 0, one worker, a fixed secret, joins not limited; `adjust` changes
    /// more.
    static func configuration(directory: URL) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.workers = 1
        configuration.secret = Self.secret
        configuration.adminKey = "exhaustion-admin-key-0123456789"
        configuration.recordings = directory.path
        configuration.pageDirectory = directory.path
        configuration.joinsPerSecond = 100_000
        configuration.drainTimeout = 0
        return configuration
    }

    /// Starts a server and waits until it listens.
    static func start(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Self.configuration(directory: directory)
        adjust(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let assembly = try await ServerAssembly(
            configuration: configuration,
            tls: nil,
            metrics: nil,
            handlesSignals: false,
            printsBanner: false,
            onServerRunning: { port in continuation.yield(port) },
            makeLogger: { _ in Self.quiet }
        )
        let running = Task {
            defer { continuation.finish() }
            try await assembly.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await running.value
            throw TestServerError("the server stopped before it listened")
        }
        let issuer = try await TokenIssuer(key: try TokenKey.hs256(secret: Array(Self.secret.utf8)))
        return TestServer(assembly: assembly, port: port, issuer: issuer, running: running, directory: directory)
    }

    /// Runs `body` with a started server and stops it afterwards, also when `body` throws.
    static func with(
        configuredBy adjust: (inout ServerConfiguration) -> Void = { _ in },
        run body: (TestServer) async throws -> Void
    ) async throws {
        let server = try await Self.start(adjust)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Drains (drain timeout 0), closes the rooms and stops every part.
    func stop() async {
        await self.assembly.shutdown()
        _ = try? await self.running.value
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// A token for `room` with join, publish, subscribe and create.
    func token(room: String, identity: String) async throws -> String {
        try await self.issuer.issue(
            identity: identity,
            room: room,
            name: nil,
            grants: [.join, .publish, .subscribe, .create],
            ttl: .seconds(3600)
        )
    }

    /// Connects to `/v1/rtc`, reads every message into an inbox in a child task, runs `body`,
    /// then (unless the server closed) closes normally and waits for the end. Returns the
    /// server's close frame.
    @discardableResult
    func connect(_ body: @escaping @Sendable (TestConnection) async throws -> Void) async throws -> WebSocketCloseFrame?
    {
        let url = "ws://127.0.0.1:\(self.port)/v1/rtc"
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: .seconds(5))
        return try await WebSocketClient.connect(url: url, configuration: configuration, logger: Self.quiet) {
            inbound,
            outbound,
            _ in
            let inbox = Inbox()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message {
                                await inbox.append(text)
                            }
                        }
                    } catch {}
                    await inbox.end()
                }
                try await body(TestConnection(outbound: outbound, inbox: inbox))
                if !(await inbox.ended) {
                    try? await outbound.close(.normalClosure, reason: nil)
                }
                try await group.waitForAll()
            }
        }
    }
}

/// A failed step of a test client, with what happened instead.
struct TestServerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// One client connection: send JSON text, read decoded messages.
struct TestConnection: Sendable {
    let outbound: WebSocketOutboundWriter
    let inbox: Inbox

    func send(_ text: String) async throws {
        try await self.outbound.write(.text(text))
    }

    func join(_ token: String) async throws {
        try await self.send(#"{"type":"join","token":"\#(token)"}"#)
    }

    func offer(_ sdp: String) async throws {
        let data = try JSONEncoder().encode(["type": "offer", "sdp": sdp])
        try await self.send(String(decoding: data, as: UTF8.self))
    }

    /// Joins and waits for `joined`; throws with what came instead.
    func joinOrThrow(_ token: String) async throws {
        try await self.join(token)
        let reply = await self.inbox.next()
        guard reply?.type == "joined" else {
            throw TestServerError("join: expected joined, got \(reply.map(String.init(describing:)) ?? "nothing")")
        }
    }

    /// Offers and waits for the answer (other messages are skipped); throws when none comes.
    func negotiateOrThrow(_ sdp: String) async throws -> String {
        try await self.offer(sdp)
        guard let answer = await self.inbox.next(type: "answer"), let text = answer.sdp else {
            throw TestServerError("offer: no answer")
        }
        return text
    }
}

/// Any message the server sends, decoded loosely.
struct ReceivedMessage: Decodable, Sendable {
    struct Participant: Decodable, Sendable {
        var id: String
    }

    var type: String
    var code: String?
    var fatal: Bool?
    var sdp: String?
    var participant: Participant?
    var participantId: String?
    var reason: String?
}

/// Messages received by a test client, for the test body to wait on.
actor Inbox {
    private var messages: [ReceivedMessage] = []
    private var position = 0
    private(set) var ended = false

    func append(_ text: String) {
        if let message = try? JSONDecoder().decode(ReceivedMessage.self, from: Data(text.utf8)) {
            self.messages.append(message)
        } else {
            self.messages.append(ReceivedMessage(type: "undecodable:\(text.prefix(80))"))
        }
    }

    func end() {
        self.ended = true
    }

    /// The next message not yet taken, waiting up to `seconds`.
    func next(_ seconds: Double = 5) async -> ReceivedMessage? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while self.position >= self.messages.count {
            if self.ended || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
        defer { self.position += 1 }
        return self.messages[self.position]
    }

    /// The next message of `type`, skipping others.
    func next(type: String, _ seconds: Double = 5) async -> ReceivedMessage? {
        while let message = await self.next(seconds) {
            if message.type == type { return message }
        }
        return nil
    }

    /// Waits up to `seconds` for the server to end the connection.
    func waitEnded(_ seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !self.ended && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return self.ended
    }
}
