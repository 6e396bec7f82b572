import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Signaling
import Testing

/// Shared keys, tokens, applications and a small WebSocket test client.
enum Fixtures {
    // 64 bytes, so that the same secret can also make HS512 tokens (jwt-kit asserts a key at least
    // as long as the digest).
    static let secret: [UInt8] = Array("parley-test-secret-0123456789abcdef-parley-test-secret-012345678".utf8)
    static let otherSecret: [UInt8] = Array("another-secret-0123456789abcdefghij-another-secret-0123456789ab".utf8)

    static func key() throws -> TokenKey {
        try TokenKey.hs256(secret: Self.secret)
    }

    static func verifier() async throws -> TokenVerifier {
        await TokenVerifier(configuration: .init(keys: [try Self.key()]))
    }

    static func issuer() async throws -> TokenIssuer {
        try await TokenIssuer(key: try Self.key())
    }

    static func token(
        room: String = "r",
        identity: String = "alice",
        grants: [Grant] = [.join, .publish, .subscribe, .create],
        name: String? = nil,
        ttl: Duration = .seconds(600),
        now: Double = Date().timeIntervalSince1970
    ) async throws -> String {
        try await Self.issuer().issue(identity: identity, room: room, name: name, grants: grants, ttl: ttl, now: now)
    }

    static func fastLimits() -> SignalingLimits {
        var limits = SignalingLimits()
        limits.pingInterval = .milliseconds(100)
        limits.silenceTimeout = .seconds(30)
        limits.closeTimeout = .milliseconds(300)
        limits.joinBurst = 100
        limits.joinsPerSecond = 100
        return limits
    }

    static func configuration(
        limits: SignalingLimits = Self.fastLimits(),
        adminKey: String? = "admin-key-1",
        developmentMode: Bool = false
    ) -> SignalingConfiguration {
        var configuration = SignalingConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.limits = limits
        configuration.adminKey = adminKey
        configuration.developmentMode = developmentMode
        return configuration
    }

    static func app(
        backend: FakeBackend,
        configuration: SignalingConfiguration = Self.configuration(),
        devTokenIssuer: TokenIssuer? = nil,
        metrics: (@Sendable () async -> String)? = nil
    ) async throws -> some ApplicationProtocol {
        try makeSignalingApplication(
            configuration: configuration,
            backend: backend,
            tokenVerifier: try await Self.verifier(),
            devTokenIssuer: devTokenIssuer,
            metrics: metrics,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// Polls `condition` every 10 ms for up to `seconds`.
    static func eventually(_ seconds: Double = 5, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}

/// Any message the server sends, decoded loosely.
struct ServerMessageView: Decodable, Sendable {
    var type: String
    var id: MessageID?
    var code: String?
    var message: String?
    var fatal: Bool?
    var sdp: String?
    var participant: ParticipantInfo?
    var participants: [ParticipantInfo]?
    var tracks: [TrackInfo]?
    var room: RoomInfo?
    var participantId: String?
    var reason: String?
    var trackId: String?
    var muted: Bool?
    var file: String?
    var participantIds: [String]?
}

/// Messages received by a test client, for the test body to wait on.
actor Inbox {
    private var messages: [ServerMessageView] = []
    private var position = 0
    private(set) var ended = false

    func append(_ text: String) {
        if let message = try? JSONDecoder().decode(ServerMessageView.self, from: Data(text.utf8)) {
            self.messages.append(message)
        } else {
            self.messages.append(ServerMessageView(type: "undecodable:\(text.prefix(80))"))
        }
    }

    func end() { self.ended = true }

    /// The next message not yet taken, waiting up to `seconds`.
    func next(_ seconds: Double = 5) async -> ServerMessageView? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while self.position >= self.messages.count {
            if self.ended || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        defer { self.position += 1 }
        return self.messages[self.position]
    }

    /// The next message of `type`, skipping others.
    func next(type: String, _ seconds: Double = 5) async -> ServerMessageView? {
        while let message = await self.next(seconds) {
            if message.type == type { return message }
        }
        return nil
    }

    func waitEnded(_ seconds: Double = 5) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !self.ended && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return self.ended
    }
}

/// One test client connection: send JSON text, read decoded messages.
struct TestConnection: Sendable {
    let outbound: WebSocketOutboundWriter
    let inbox: Inbox

    func send(_ text: String) async throws {
        try await self.outbound.write(.text(text))
    }

    func join(_ token: String, name: String? = nil, id: Int? = nil) async throws {
        var fields = [#""type":"join""#, #""token":"\#(token)""#]
        if let name { fields.append(#""name":"\#(name)""#) }
        if let id { fields.append(#""id":\#(id)"#) }
        try await self.send("{" + fields.joined(separator: ",") + "}")
    }
}

extension TestClientProtocol {
    /// Connects to `/v1/rtc`, reads every message into an inbox in a child task, runs `body`, then
    /// (if the server has not closed) closes normally and waits for the end. Returns the server's
    /// close frame.
    @discardableResult
    func signaling(
        _ body: @escaping @Sendable (TestConnection) async throws -> Void
    ) async throws -> WebSocketCloseFrame? {
        try await self.ws("/v1/rtc", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
            let inbox = Inbox()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { await inbox.append(text) }
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
