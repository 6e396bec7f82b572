import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Signaling
import Testing

/// The signaling application wrapped in HummingbirdTLS (as `parley serve --tls-certificate`
/// does): https and wss with a certificate the client verifies.
@Suite("Signaling over TLS", .serialized)
struct TLSTests {
    static func serverTLS() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(TestCertificate.certificate.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificate.key.utf8), format: .pem)
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { NIOSSLCertificateSource.certificate($0) },
            privateKey: NIOSSLPrivateKeySource.privateKey(key)
        )
    }

    /// A client that trusts only the test certificate and checks it fully (chain and name).
    static func clientTLS() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(TestCertificate.certificate.utf8))
        configuration.trustRoots = NIOSSLTrustRoots.certificates(roots)
        configuration.certificateVerification = CertificateVerification.fullVerification
        return configuration
    }

    static func app(backend: FakeBackend) async throws -> some ApplicationProtocol {
        let tls = try Self.serverTLS()
        return try makeSignalingApplication(
            configuration: Fixtures.configuration(),
            backend: backend,
            tokenVerifier: try await Fixtures.verifier(),
            serverBuilder: { server in try .tls(server, tlsConfiguration: tls) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    static func get(_ path: String, port: Int, tls: TLSConfiguration) async throws -> TestClient.Response {
        let client = TestClient(
            host: "localhost",
            port: port,
            configuration: TestClient.Configuration(
                tlsConfiguration: tls,
                timeout: .seconds(5),
                serverName: "localhost"
            )
        )
        client.connect()
        do {
            let response = try await client.get(path)
            try await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("https: /healthz answers over TLS, verified against the server's certificate")
    func httpsHealth() async throws {
        let app = try await Self.app(backend: FakeBackend())
        let clientTLS = try Self.clientTLS()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let response = try await Self.get("/healthz", port: port, tls: clientTLS)
            #expect(response.status == .ok)
            let body = String(buffer: response.body ?? ByteBuffer())
            #expect(body.contains("ok"), "\(body)")
        }
    }

    @Test("a client that does not trust the certificate fails the handshake")
    func untrustedCertificateIsRefused() async throws {
        let app = try await Self.app(backend: FakeBackend())
        var untrusting = TLSConfiguration.makeClientConfiguration()
        // An empty root store with full verification: nothing is trusted.
        untrusting.trustRoots = NIOSSLTrustRoots.certificates([])
        untrusting.certificateVerification = CertificateVerification.fullVerification
        let refusing = untrusting
        try await app.test(.live) { client in
            let port = try #require(client.port)
            await #expect(throws: (any Error).self) {
                _ = try await Self.get("/healthz", port: port, tls: refusing)
            }
        }
    }

    @Test("wss: /v1/rtc speaks the protocol over TLS")
    func webSocketOverTLS() async throws {
        let app = try await Self.app(backend: FakeBackend())
        let clientTLS = try Self.clientTLS()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let inbox = Inbox()
            let close = try await WebSocketClient.connect(
                url: "wss://localhost:\(port)/v1/rtc",
                tlsConfiguration: clientTLS,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"ping","id":7}"#))
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message {
                        await inbox.append(text)
                        break
                    }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let pong = await inbox.next(1)
            #expect(pong?.type == "pong")
            #expect(pong?.id == MessageID.integer(7))
            #expect(close?.closeCode == WebSocketErrorCode.normalClosure)
        }
    }
}
