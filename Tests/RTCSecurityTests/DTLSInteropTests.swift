import Foundation
import Glibc
import RTCSecurity
import Testing

/// Interoperability with an implementation Parley did not write: the `openssl` command-line tool
/// (`s_client`, `s_server`, `x509`), over UDP on loopback.
///
/// Every wait is bounded (socket receive timeouts, a deadline per test of at most 10 s), only
/// 127.0.0.1 is used, and the only process ever signalled is the one the test started.
@Suite("DTLS interop with the openssl command-line tool", .serialized)
struct DTLSInteropTests {
    static let openssl = "/usr/bin/openssl"

    @Test("our certificate reads back in openssl x509 with the same fingerprint, name and algorithm")
    func certificateSeenByOpenSSL() throws {
        let directory = try TemporaryDirectory()
        let identity = try DTLSIdentity.generate(commonName: "parley")
        let path = try directory.write("cert.pem", identity.certificatePEM)
        let run = try OpenSSLProcess.run([
            "x509", "-in", path, "-noout", "-fingerprint", "-sha256", "-subject", "-text",
        ])
        #expect(run.status == 0)
        // "sha256 Fingerprint=AB:CD:..."
        let line = try #require(run.output.split(separator: "\n").first { $0.contains("Fingerprint=") })
        let value = try #require(line.split(separator: "=", maxSplits: 1).last)
        #expect(value.uppercased() == String(identity.fingerprint.sdpValue.dropFirst(8)))
        #expect(run.output.contains("subject=CN = parley"))
        #expect(run.output.contains("ecdsa-with-SHA256"))
        #expect(run.output.contains("prime256v1") || run.output.contains("P-256"))
    }

    @Test("a certificate made by openssl req loads, and its fingerprint matches openssl's")
    func foreignCertificate() throws {
        let directory = try TemporaryDirectory()
        let (certificatePath, keyPath) = try Self.makeCertificate(in: directory, name: "foreign")
        let identity = try DTLSIdentity(
            certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8)
        )
        let run = try OpenSSLProcess.run(["x509", "-in", certificatePath, "-noout", "-fingerprint", "-sha512"])
        let value = try #require(run.output.split(separator: "=", maxSplits: 1).last)
        let sha512 = try identity.fingerprint(.sha512)
        #expect(
            value.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
                == String(sha512.sdpValue.dropFirst(8))
        )
    }

    @Test("an encrypted private key is refused, never prompted for")
    func encryptedKeyRefused() throws {
        let directory = try TemporaryDirectory()
        let (certificatePath, keyPath) = try Self.makeCertificate(in: directory, name: "encrypted")
        let encryptedPath = directory.path("encrypted.enc.key")
        let run = try OpenSSLProcess.run([
            "pkey", "-in", keyPath, "-aes256", "-passout", "pass:secret", "-out", encryptedPath,
        ])
        try #require(run.status == 0, "openssl pkey failed: \(run.output)")
        let encrypted = try String(contentsOfFile: encryptedPath, encoding: .utf8)
        #expect(encrypted.contains("ENCRYPTED PRIVATE KEY"))
        let error = #expect(throws: DTLSError.self) {
            try DTLSIdentity(
                certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
                privateKeyPEM: encrypted
            )
        }
        #expect(error?.code == .invalidCertificate)
    }

    @Test("our server completes a handshake with openssl s_client and both export the same keys")
    func serverWithOpenSSLClient() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        let directory = try TemporaryDirectory()
        let (certificatePath, keyPath) = try Self.makeCertificate(in: directory, name: "s_client")
        let clientIdentity = try DTLSIdentity(
            certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8)
        )
        let context = try DTLSContext(identity: DTLSTestIdentities.server)
        let socket = try LoopbackUDPSocket()
        let profile = SRTPProfile.aeadAES128GCM

        let client = try OpenSSLProcess(arguments: [
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
            "-use_srtp", profile.openSSLName,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "\(profile.dtlsExportLength)",
            "-cert", certificatePath, "-key", keyPath, "-mtu", "1200",
        ])
        defer { client.stop() }

        var server: DTLSEndpoint?
        var peer: sockaddr_in?
        var keys: DTLSSRTPKeyingMaterial?
        var received: [[UInt8]] = []
        var sentToPeer = false
        var datagramSizes: [Int] = []
        var helloVerifyRequests = 0
        while ContinuousClock.now < deadline, received.isEmpty {
            if keys != nil, !sentToPeer {
                // Ask s_client to send a line (it sends what it reads on stdin).
                client.write("ping from s_client\n")
                sentToPeer = true
            }
            guard let (datagram, source) = socket.receive() else {
                // Nothing for 50 ms: give OpenSSL its chance to retransmit.
                if let server, let peer {
                    for reply in server.handleTimeout().datagrams {
                        datagramSizes.append(reply.count)
                        socket.send(reply, to: peer)
                    }
                }
                continue
            }
            if server == nil {
                peer = source
                server = try DTLSEndpoint(
                    context: context,
                    role: .server,
                    peerAddress: LoopbackUDPSocket.bytes(of: source),
                    expectedFingerprints: [clientIdentity.fingerprint]
                )
            }
            guard let endpoint = server else { break }
            let output = endpoint.receive(datagram: datagram.span)
            for reply in output.datagrams {
                if reply.count > 13, reply[13] == 3 { helloVerifyRequests += 1 }
                datagramSizes.append(reply.count)
                socket.send(reply, to: source)
            }
            received += output.applicationData
            for event in output.events {
                switch event {
                case .handshakeCompleted(let material): keys = material
                case .failed(let error): Issue.record("server failed: \(error)")
                case .closed: Issue.record("s_client closed early")
                }
            }
            if endpoint.state == .failed || endpoint.state == .closed { break }
        }
        let endpoint = try #require(server, "s_client never sent a datagram")
        let material = try #require(keys, "no handshake: \(client.stop())")
        #expect(endpoint.state == .established)
        #expect(material.profile == profile)
        #expect(helloVerifyRequests >= 1)
        #expect(datagramSizes.allSatisfy { $0 <= 1200 })
        #expect(received.flatMap { $0 } == Array("ping from s_client\n".utf8))

        // Data to s_client, then close_notify: s_client prints the data and exits.
        if let peer {
            for datagram in try endpoint.send(applicationData: Array("hello from parley\n".utf8).span) {
                socket.send(datagram, to: peer)
            }
            for datagram in endpoint.close().datagrams {
                socket.send(datagram, to: peer)
            }
        }
        let output = client.stop(waitingUpTo: .seconds(3))
        #expect(output.contains("SRTP Extension negotiated, profile=\(profile.openSSLName)"))
        // RFC 5764 order: client key, server key, client salt, server salt. We are the server.
        let expected =
            material.remote.masterKey + material.local.masterKey + material.remote.masterSalt
            + material.local.masterSalt
        #expect(Self.keyingMaterial(in: output) == expected)
        #expect(output.contains("hello from parley"))
    }

    @Test("our client completes a handshake with openssl s_server and both export the same keys")
    func clientWithOpenSSLServer() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        let directory = try TemporaryDirectory()
        // s_server presents a certificate we generated, written as PEM.
        let serverIdentity = try DTLSIdentity.generate(commonName: "s_server")
        let certificatePath = try directory.write("server.pem", serverIdentity.certificatePEM)
        let keyPath = try directory.write("server.key", serverIdentity.privateKeyPEM)
        let port = try LoopbackUDPSocket.freePort()

        var configuration = DTLSContext.Configuration()
        // s_server takes a moment to bind; retransmit the ClientHello quickly until it answers.
        configuration.initialRetransmissionTimeout = .milliseconds(100)
        configuration.maximumRetransmissionTimeout = .milliseconds(400)
        let context = try DTLSContext(identity: DTLSTestIdentities.client, configuration: configuration)
        let client = try DTLSEndpoint(
            context: context,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [serverIdentity.fingerprint]
        )
        let socket = try LoopbackUDPSocket()
        let serverAddress = LoopbackUDPSocket.address(port: port)

        let server = try OpenSSLProcess(arguments: [
            "s_server", "-dtls1_2", "-accept", "\(port)", "-naccept", "1",
            "-cert", certificatePath, "-key", keyPath, "-verify", "1",
            "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", "-mtu", "1200",
        ])
        defer { server.stop() }

        var keys: DTLSSRTPKeyingMaterial?
        var datagramSizes: [Int] = []
        var pending = client.start().datagrams
        while ContinuousClock.now < deadline, keys == nil, client.state == .handshaking {
            for datagram in pending {
                datagramSizes.append(datagram.count)
                socket.send(datagram, to: serverAddress)
            }
            pending = []
            guard let (datagram, _) = socket.receive() else {
                pending = client.handleTimeout().datagrams
                continue
            }
            let output = client.receive(datagram: datagram.span)
            pending = output.datagrams
            for event in output.events {
                switch event {
                case .handshakeCompleted(let material): keys = material
                case .failed(let error): Issue.record("client failed: \(error)")
                case .closed: Issue.record("s_server closed early")
                }
            }
        }
        for datagram in pending {
            datagramSizes.append(datagram.count)
            socket.send(datagram, to: serverAddress)
        }
        let material = try #require(keys, "no handshake: \(server.stop())")
        // s_server offers AES-CM-80 first and, as the server, picks it (we offer both).
        #expect(material.profile == .aesCM128HMACSHA1_80)
        #expect(client.negotiatedProfile == .aesCM128HMACSHA1_80)
        #expect(datagramSizes.allSatisfy { $0 <= 1200 })

        for datagram in try client.send(applicationData: Array("hello from parley\n".utf8).span) {
            socket.send(datagram, to: serverAddress)
        }
        for datagram in client.close().datagrams {
            socket.send(datagram, to: serverAddress)
        }
        let output = server.stop(waitingUpTo: .seconds(3))
        #expect(output.contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"))
        // RFC 5764 order: client key, server key, client salt, server salt. We are the client.
        let expected =
            material.local.masterKey + material.remote.masterKey + material.local.masterSalt
            + material.remote.masterSalt
        #expect(expected.count == 60)
        #expect(Self.keyingMaterial(in: output) == expected)
        #expect(output.contains("hello from parley"))
    }

    @Test("our server refuses openssl s_client when it presents no certificate")
    func serverRefusesClientWithoutCertificate() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        let context = try DTLSContext(identity: DTLSTestIdentities.server)
        let socket = try LoopbackUDPSocket()
        let client = try OpenSSLProcess(arguments: [
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
            "-use_srtp", "SRTP_AEAD_AES_128_GCM", "-mtu", "1200",
        ])
        defer { client.stop() }

        var server: DTLSEndpoint?
        var failure: DTLSError?
        var completed = false
        while ContinuousClock.now < deadline, failure == nil, !completed {
            guard let (datagram, source) = socket.receive() else { continue }
            let endpoint =
                try server
                ?? DTLSEndpoint(
                    context: context,
                    role: .server,
                    peerAddress: LoopbackUDPSocket.bytes(of: source),
                    expectedFingerprints: [DTLSTestIdentities.client.fingerprint]
                )
            server = endpoint
            let output = endpoint.receive(datagram: datagram.span)
            for reply in output.datagrams {
                socket.send(reply, to: source)
            }
            failure = DTLSInMemoryPair.failure(in: output.events)
            completed = DTLSInMemoryPair.keys(in: output.events) != nil
        }
        #expect(!completed)
        #expect(failure?.code == .peerCertificateMissing)
        #expect(server?.state == .failed)
        #expect(server?.negotiatedProfile == nil)
    }

    /// Makes an ECDSA P-256 certificate and key with `openssl req`; returns their paths.
    static func makeCertificate(in directory: TemporaryDirectory, name: String) throws -> (String, String) {
        let certificate = directory.path(name + ".pem")
        let key = directory.path(name + ".key")
        let run = try OpenSSLProcess.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", certificate, "-subj", "/CN=\(name)", "-days", "2",
        ])
        try #require(run.status == 0, "openssl req failed: \(run.output)")
        return (certificate, key)
    }

    /// The bytes after `Keying material: ` in s_client/s_server output.
    static func keyingMaterial(in output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Keying material: ") }),
            let hex = line.split(separator: ":", maxSplits: 1).last
        else { return nil }
        return try? SecurityVectors.bytes(hex.trimmingCharacters(in: .whitespaces))
    }
}

/// A directory under the system's temporary directory, removed on deinit.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-dtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }

    func path(_ name: String) -> String {
        self.url.appendingPathComponent(name).path
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = self.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// One `openssl` process this test started: stdin kept open (s_client and s_server quit at end
/// of input), stdout and stderr collected, stopped within a bound.
final class OpenSSLProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var collected: String?

    init(arguments: [String]) throws {
        self.process.executableURL = URL(fileURLWithPath: DTLSInteropTests.openssl)
        self.process.arguments = arguments
        self.process.standardInput = self.input
        self.process.standardOutput = self.output
        self.process.standardError = self.output
        try self.process.run()
    }

    /// Runs a short openssl command to completion (at most 10 s) and returns its status and output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = try OpenSSLProcess(arguments: arguments)
        let output = process.stop(waitingUpTo: .seconds(10))
        return (process.process.terminationStatus, output)
    }

    func write(_ text: String) {
        try? self.input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Waits up to `limit` for the process to exit by itself, then terminates it (SIGTERM to its
    /// own PID only) and returns everything it printed.
    @discardableResult
    func stop(waitingUpTo limit: Duration = .zero) -> String {
        if let collected = self.collected { return collected }
        let deadline = ContinuousClock.now + limit
        while self.process.isRunning, ContinuousClock.now < deadline {
            usleep(10_000)
        }
        if self.process.isRunning {
            self.process.terminate()
        }
        self.process.waitUntilExit()
        try? self.input.fileHandleForWriting.close()
        let data = self.output.fileHandleForReading.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self)
        self.collected = text
        return text
    }
}

/// A UDP socket bound to 127.0.0.1 on an ephemeral port, with a 50 ms receive timeout.
final class LoopbackUDPSocket {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = Self.address(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                getsockname(descriptor, socketAddress, &length)
            }
        }
        self.descriptor = descriptor
        self.port = UInt16(bigEndian: local.sin_port)
    }

    deinit {
        close(self.descriptor)
    }

    /// A port that was free a moment ago (bound, read, released), for a server we launch.
    static func freePort() throws -> UInt16 {
        try LoopbackUDPSocket().port
    }

    static func address(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// The address as bytes (IPv4 address then port), to identify the peer for cookies.
    static func bytes(of address: sockaddr_in) -> [UInt8] {
        let ip = UInt32(bigEndian: address.sin_addr.s_addr)
        let port = UInt16(bigEndian: address.sin_port)
        return [
            UInt8(ip >> 24), UInt8((ip >> 16) & 0xFF), UInt8((ip >> 8) & 0xFF), UInt8(ip & 0xFF),
            UInt8(port >> 8), UInt8(port & 0xFF),
        ]
    }

    func send(_ datagram: [UInt8], to address: sockaddr_in) {
        var address = address
        _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(
                        self.descriptor,
                        bytes.baseAddress,
                        bytes.count,
                        0,
                        socketAddress,
                        socklen_t(MemoryLayout<sockaddr_in>.size)
                    )
                }
            }
        }
    }

    /// One datagram and its source, or `nil` after the 50 ms timeout.
    func receive() -> ([UInt8], sockaddr_in)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &source) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    recvfrom(self.descriptor, bytes.baseAddress, bytes.count, 0, socketAddress, &length)
                }
            }
        }
        guard count > 0 else { return nil }
        return (Array(buffer[0..<count]), source)
    }
}
