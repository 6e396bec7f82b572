import Glibc
import Testing

@testable import RTCSecurity

@Suite("DTLS endpoint handshakes in memory")
struct DTLSEndpointTests {
    static func contexts(
        client: DTLSContext.Configuration = .init(),
        server: DTLSContext.Configuration = .init()
    ) throws -> (client: DTLSContext, server: DTLSContext) {
        (
            try DTLSContext(identity: DTLSTestIdentities.client, configuration: client),
            try DTLSContext(identity: DTLSTestIdentities.server, configuration: server)
        )
    }

    /// Checks that both sides completed with mirror-image keys of `profile`'s lengths.
    static func expectMirroredKeys(_ pair: DTLSInMemoryPair, profile: SRTPProfile) throws {
        let client = try #require(pair.clientKeys, "client did not complete: \(pair.clientEvents)")
        let server = try #require(pair.serverKeys, "server did not complete: \(pair.serverEvents)")
        #expect(client.profile == profile)
        #expect(server.profile == profile)
        #expect(client.local.masterKey == server.remote.masterKey)
        #expect(client.local.masterSalt == server.remote.masterSalt)
        #expect(client.remote.masterKey == server.local.masterKey)
        #expect(client.remote.masterSalt == server.local.masterSalt)
        #expect(client.local.masterKey != client.remote.masterKey)
        for keys in [client, server] {
            #expect(keys.local.masterKey.count == profile.masterKeyLength)
            #expect(keys.remote.masterKey.count == profile.masterKeyLength)
            #expect(keys.local.masterSalt.count == profile.masterSaltLength)
            #expect(keys.remote.masterSalt.count == profile.masterSaltLength)
            #expect(keys.local.profile == profile)
            #expect(keys.remote.profile == profile)
        }
        #expect(pair.client.state == .established)
        #expect(pair.server.state == .established)
        #expect(pair.client.negotiatedProfile == profile)
        #expect(pair.server.negotiatedProfile == profile)
    }

    @Test("exported keying material is split in RFC 5764 section 4.2 order for each role")
    func keyingMaterialSplit() throws {
        // AES-CM: client key 0..15, server key 16..31, client salt 32..45, server salt 46..59.
        let exported = (0..<60).map { UInt8($0) }
        let client = try DTLSSRTPKeyingMaterial(exported: exported, profile: .aesCM128HMACSHA1_80, role: .client)
        let server = try DTLSSRTPKeyingMaterial(exported: exported, profile: .aesCM128HMACSHA1_80, role: .server)
        #expect(client.local.masterKey == Array(0..<16))
        #expect(client.remote.masterKey == Array(16..<32))
        #expect(client.local.masterSalt == Array(32..<46))
        #expect(client.remote.masterSalt == Array(46..<60))
        #expect(server.local.masterKey == client.remote.masterKey)
        #expect(server.local.masterSalt == client.remote.masterSalt)
        #expect(server.remote.masterKey == client.local.masterKey)
        #expect(server.remote.masterSalt == client.local.masterSalt)
        #expect(client.local.masterKey + client.local.masterSalt == Array(0..<16) + Array(32..<46))
        #expect(server.local.masterKey + server.local.masterSalt == Array(16..<32) + Array(46..<60))
        // AES-256-GCM: 32-byte keys, 12-byte salts, 88 bytes in all.
        let gcm = (0..<88).map { UInt8($0) }
        let gcmServer = try DTLSSRTPKeyingMaterial(exported: gcm, profile: .aeadAES256GCM, role: .server)
        #expect(gcmServer.local.masterKey == Array(32..<64))
        #expect(gcmServer.remote.masterSalt == Array(64..<76))
        #expect(gcmServer.local.masterSalt == Array(76..<88))
        // The wrong length is refused; the description never shows the keys.
        #expect(throws: SRTPError(.invalidKeyingMaterial, operation: "")) {
            try DTLSSRTPKeyingMaterial(exported: exported, profile: .aeadAES128GCM, role: .client)
        }
        #expect(client.description == "DTLSSRTPKeyingMaterial(AES_CM_128_HMAC_SHA1_80)")
    }

    @Test("client and server complete, agree on AES-128-GCM and export mirror-image keys")
    func handshake() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        #expect(pair.client.matchedFingerprint == DTLSTestIdentities.server.fingerprint)
        #expect(pair.server.matchedFingerprint == DTLSTestIdentities.client.fingerprint)
        #expect(pair.clientEvents.count == 1)
        #expect(pair.serverEvents.count == 1)
        #expect(pair.timeoutsFired == 0)
        // Every datagram fits the 1200-byte MTU; the server's certificate flight is one datagram.
        #expect(!pair.produced.isEmpty)
        for (_, datagram) in pair.produced {
            #expect(datagram.count <= 1200)
        }
        #expect(pair.client.nextTimeout == nil)
        #expect(pair.server.nextTimeout == nil)
    }

    @Test("the server picks each profile it alone allows", arguments: SRTPProfile.allCases)
    func eachProfile(profile: SRTPProfile) throws {
        let (clientContext, serverContext) = try Self.contexts(server: .with(profiles: [profile]))
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try Self.expectMirroredKeys(pair, profile: profile)
    }

    @Test("the server's preference order wins over the client's")
    func serverPreference() throws {
        let (clientContext, serverContext) = try Self.contexts(
            client: .with(profiles: [.aesCM128HMACSHA1_80, .aeadAES256GCM]),
            server: .with(profiles: [.aeadAES256GCM, .aesCM128HMACSHA1_80])
        )
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES256GCM)
    }

    @Test("application data flows both ways, and close_notify closes the peer")
    func applicationDataAndClose() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try #require(pair.client.state == .established && pair.server.state == .established)
        try pair.send(Array("ping".utf8), from: .toServer)
        try pair.send(Array("pong".utf8), from: .toClient)
        #expect(pair.serverReceivedData == [Array("ping".utf8)])
        #expect(pair.clientReceivedData == [Array("pong".utf8)])
        pair.close(from: .toServer)
        #expect(pair.client.state == .closed)
        #expect(pair.server.state == .closed)
        #expect(pair.serverEvents.last == .closed)
        // Closed endpoints ignore input and refuse to send.
        #expect(pair.server.receive(datagram: [23, 0xFE, 0xFD].span).isEmpty)
        #expect(throws: DTLSError(.invalidState, "")) {
            try pair.client.send(applicationData: [1].span)
        }
    }

    @Test("sending before completion or more than one record holds is refused")
    func sendLimits() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        #expect(throws: DTLSError(.invalidState, "")) {
            try pair.client.send(applicationData: [1, 2, 3].span)
        }
        pair.run()
        let tooLarge = [UInt8](repeating: 7, count: 1200)
        #expect(throws: DTLSError(.tooLarge, "")) {
            try pair.client.send(applicationData: tooLarge.span)
        }
        let largest = [UInt8](repeating: 7, count: 1100)
        let datagrams = try pair.client.send(applicationData: largest.span)
        #expect(datagrams.count == 1)
        #expect(datagrams.allSatisfy { $0.count <= 1200 })
    }

    /// Drop scenarios: which batch of which direction is lost the first time it is sent.
    static let drops: [(DTLSInMemoryPair.Direction, Int)] = [
        (.toServer, 0),  // ClientHello
        (.toClient, 0),  // HelloVerifyRequest
        (.toServer, 1),  // ClientHello with cookie
        (.toClient, 1),  // ServerHello .. ServerHelloDone
        (.toServer, 2),  // Certificate .. Finished (client)
        (.toClient, 2),  // ChangeCipherSpec, Finished (server): the server already completed
    ]

    @Test("a lost flight is retransmitted on timeout and the handshake completes", arguments: 0..<6)
    func droppedFlight(scenario: Int) throws {
        let (direction, lost) = Self.drops[scenario]
        let (clientContext, serverContext) = try Self.contexts(
            client: .fastRetransmission,
            server: .fastRetransmission
        )
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext) {
            batchDirection,
            index,
            datagrams in
            batchDirection == direction && index == lost ? [] : datagrams
        }
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        #expect(pair.timeoutsFired >= 1)
        #expect(pair.produced.allSatisfy { $0.1.count <= 1200 })
    }

    @Test("every flight lost twice still completes")
    func everyFlightLostTwice() throws {
        let (clientContext, serverContext) = try Self.contexts(
            client: .fastRetransmission,
            server: .fastRetransmission
        )
        // A retransmission differs from the original only in record sequence numbers (and, once
        // encrypted, in ciphertext): count datagrams by what they carry, not by their bytes.
        func identity(of datagram: [UInt8]) -> [UInt8] {
            var key: [UInt8] = []
            var offset = 0
            while offset + 13 <= datagram.count {
                let length = Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12])
                let end = min(datagram.count, offset + 13 + length)
                key += datagram[offset..<(offset + 5)] + datagram[(offset + 11)..<(offset + 13)]
                if datagram[offset + 3] == 0, datagram[offset + 4] == 0 {
                    key += datagram[(offset + 13)..<end]
                }
                offset = end
            }
            return key
        }
        var seen: [[UInt8]: Int] = [:]
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext) { _, _, datagrams in
            datagrams.filter { datagram in
                let key = identity(of: datagram)
                let count = seen[key, default: 0]
                seen[key] = count + 1
                return count >= 2
            }
        }
        pair.run(maxSteps: 200)
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        #expect(pair.timeoutsFired >= 2)
    }

    @Test("flights split over several datagrams and delivered in reverse order complete")
    func reordered() throws {
        let configuration = DTLSContext.Configuration.with(mtu: 300, fast: true)
        let (clientContext, serverContext) = try Self.contexts(client: configuration, server: configuration)
        var largestBatch = 0
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext) { _, _, datagrams in
            largestBatch = max(largestBatch, datagrams.count)
            return datagrams.reversed()
        }
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        #expect(largestBatch >= 3)
        #expect(pair.produced.allSatisfy { $0.1.count <= 300 })
    }

    @Test("duplicated datagrams are harmless")
    func duplicated() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext) { _, _, datagrams in
            datagrams + datagrams
        }
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
    }

    @Test("a client rejects a server whose certificate matches no expected fingerprint; no keys")
    func clientRejectsServerFingerprint() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(
            clientContext: clientContext,
            serverContext: serverContext,
            clientExpects: [
                DTLSTestIdentities.stranger.fingerprint, try DTLSTestIdentities.stranger.fingerprint(.sha512),
            ]
        )
        pair.run()
        #expect(pair.clientKeys == nil)
        #expect(pair.serverKeys == nil)
        #expect(pair.clientFailure?.code == .fingerprintMismatch)
        #expect(pair.client.state == .failed)
        #expect(pair.client.negotiatedProfile == nil)
        // The server learns it through a bad_certificate alert.
        #expect(pair.serverFailure?.code == .alertReceived)
        #expect(pair.serverFailure?.alertDescription == 42)
        #expect(pair.server.state == .failed)
    }

    @Test("a server rejects a client whose certificate matches no expected fingerprint; no keys")
    func serverRejectsClientFingerprint() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(
            clientContext: clientContext,
            serverContext: serverContext,
            serverExpects: [DTLSTestIdentities.stranger.fingerprint]
        )
        pair.run()
        #expect(pair.clientKeys == nil)
        #expect(pair.serverKeys == nil)
        #expect(pair.serverFailure?.code == .fingerprintMismatch)
        #expect(pair.clientFailure?.code == .alertReceived)
        #expect(pair.clientFailure?.alertDescription == 42)
    }

    @Test(
        "any one matching fingerprint of sha-256, sha-384 or sha-512 is accepted",
        arguments: DTLSFingerprint.Algorithm.allCases
    )
    func fingerprintAlgorithms(algorithm: DTLSFingerprint.Algorithm) throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(
            clientContext: clientContext,
            serverContext: serverContext,
            clientExpects: [
                DTLSTestIdentities.stranger.fingerprint, try DTLSTestIdentities.server.fingerprint(algorithm),
            ],
            serverExpects: [try DTLSTestIdentities.client.fingerprint(algorithm)]
        )
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        #expect(pair.client.matchedFingerprint?.algorithm == algorithm)
    }

    @Test("an empty list of expected fingerprints accepts nobody")
    func noExpectedFingerprints() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(
            clientContext: clientContext,
            serverContext: serverContext,
            clientExpects: []
        )
        pair.run()
        #expect(pair.clientFailure?.code == .fingerprintMismatch)
        #expect(pair.clientKeys == nil)
        #expect(pair.serverKeys == nil)
    }

    @Test("no common SRTP profile fails both sides without keys")
    func noCommonProfile() throws {
        let (clientContext, serverContext) = try Self.contexts(
            client: .with(profiles: [.aesCM128HMACSHA1_32]),
            server: .with(profiles: [.aeadAES128GCM, .aesCM128HMACSHA1_80])
        )
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        #expect(pair.clientKeys == nil)
        #expect(pair.serverKeys == nil)
        #expect(pair.serverFailure?.code == .noCommonSRTPProfile)
        #expect(pair.clientFailure?.code == .noCommonSRTPProfile)
        #expect(pair.client.state == .failed)
        #expect(pair.server.state == .failed)
        #expect(pair.server.negotiatedProfile == nil)
    }

    @Test("a ClientHello without cookie gets only a HelloVerifyRequest, no larger, and no timer")
    func helloVerifyRequest() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [serverContext.identity.fingerprint]
        )
        let server = try DTLSEndpoint(
            context: serverContext,
            role: .server,
            peerAddress: [10, 0, 0, 1, 0x13, 0x88],
            expectedFingerprints: [clientContext.identity.fingerprint]
        )
        #expect(server.start().isEmpty)
        let hello = client.start()
        try #require(hello.datagrams.count == 1)
        let clientHello = hello.datagrams[0]
        #expect(clientHello[0] == 22)  // handshake record
        #expect(clientHello[13] == 1)  // ClientHello
        #expect(client.nextTimeout != nil)

        let verify = server.receive(datagram: clientHello.span)
        try #require(verify.datagrams.count == 1)
        let helloVerifyRequest = verify.datagrams[0]
        #expect(helloVerifyRequest[0] == 22)
        #expect(helloVerifyRequest[13] == 3)  // HelloVerifyRequest
        #expect(helloVerifyRequest.count <= clientHello.count)
        #expect(verify.events.isEmpty)
        #expect(server.nextTimeout == nil)

        #expect(server.state == .idle)

        // The same ClientHello again (the HelloVerifyRequest was lost): the same answer, still
        // no state that retransmits.
        let again = server.receive(datagram: clientHello.span)
        #expect(again.datagrams == [helloVerifyRequest])
        #expect(server.nextTimeout == nil)
        #expect(server.state == .idle)

        // The client echoes the cookie; now the server commits to the handshake.
        let secondOutput = client.receive(datagram: helloVerifyRequest.span)
        try #require(secondOutput.datagrams.count == 1)
        let secondHello = secondOutput.datagrams[0]
        #expect(secondHello[13] == 1)
        #expect(secondHello.count == clientHello.count + DTLSContext.cookieLength)
        let flight = server.receive(datagram: secondHello.span)
        #expect(flight.datagrams.first?[13] == 2)  // ServerHello
        #expect(server.nextTimeout != nil)
        #expect(server.state == .handshaking)

        // A cookie is bound to the address it was made for: another tuple cannot reuse it.
        let otherServer = try DTLSEndpoint(
            context: serverContext,
            role: .server,
            peerAddress: [10, 0, 0, 2, 0x13, 0x88],
            expectedFingerprints: [clientContext.identity.fingerprint]
        )
        // It gets a fresh HelloVerifyRequest (RFC 6347 treats a bad cookie like none), nothing more.
        let refused = otherServer.receive(datagram: secondHello.span)
        #expect(refused.events.isEmpty)
        #expect(refused.datagrams.count == 1)
        #expect(refused.datagrams.first?[13] == 3)
        #expect(refused.datagrams.first != helloVerifyRequest)
        #expect(refused.datagrams.allSatisfy { $0.count <= secondHello.count })
        #expect(otherServer.state == .idle)
        #expect(otherServer.nextTimeout == nil)
    }

    @Test("without cookie exchange the server answers the first ClientHello with its flight")
    func noCookieExchange() throws {
        var configuration = DTLSContext.Configuration()
        configuration.cookieExchange = false
        let (clientContext, serverContext) = try Self.contexts(server: configuration)
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try Self.expectMirroredKeys(pair, profile: .aeadAES128GCM)
        let firstFromServer = try #require(pair.produced.first { $0.0 == .toClient })
        #expect(firstFromServer.1[13] == 2)
    }

    @Test("timers: a client waiting for an answer reports a timeout of at most the initial value")
    func timers() throws {
        var configuration = DTLSContext.Configuration()
        configuration.initialRetransmissionTimeout = .milliseconds(500)
        let (clientContext, serverContext) = try Self.contexts(client: configuration)
        let client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [serverContext.identity.fingerprint]
        )
        #expect(client.nextTimeout == nil)
        _ = client.start()
        let timeout = try #require(client.nextTimeout)
        #expect(timeout > .milliseconds(400) && timeout <= .milliseconds(500))
        // Not expired yet: nothing is retransmitted.
        #expect(client.handleTimeout().isEmpty)
        #expect(client.state == .handshaking)
    }

    @Test("a handshake that never gets an answer fails after OpenSSL's retransmission limit")
    func retransmissionLimit() throws {
        var configuration = DTLSContext.Configuration()
        configuration.initialRetransmissionTimeout = .milliseconds(20)
        configuration.maximumRetransmissionTimeout = .milliseconds(20)
        let (clientContext, _) = try Self.contexts(client: configuration)
        let client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [DTLSTestIdentities.server.fingerprint]
        )
        let hello = client.start()
        var retransmissions = 0
        var failure: DTLSError?
        for _ in 0..<32 where failure == nil {
            usleep(21_000)
            let output = client.handleTimeout()
            retransmissions += output.datagrams.isEmpty ? 0 : 1
            #expect(output.datagrams.allSatisfy { $0.count == hello.datagrams[0].count })
            failure = DTLSInMemoryPair.failure(in: output.events)
        }
        #expect(failure?.code == .handshakeFailed)
        #expect(client.state == .failed)
        #expect(retransmissions >= 2 && retransmissions <= 13)
        #expect(client.nextTimeout == nil)
    }

    @Test("garbage never traps: random bytes are ignored or fail the handshake")
    func garbage() throws {
        let (clientContext, serverContext) = try Self.contexts()
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<300 {
            let server = try DTLSEndpoint(
                context: serverContext,
                role: .server,
                peerAddress: [1, 2, 3, 4],
                expectedFingerprints: [clientContext.identity.fingerprint]
            )
            let length = Int.random(in: 1...1500, using: &generator)
            var datagram = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half of them look like DTLS 1.2 handshake records, to get past the first checks.
            if round % 2 == 0, datagram.count >= 13 {
                datagram[0] = 22
                datagram[1] = 0xFE
                datagram[2] = 0xFD
                datagram[3] = 0
                datagram[4] = 0
                let bodyLength = UInt16(datagram.count - 13)
                datagram[11] = UInt8(bodyLength >> 8)
                datagram[12] = UInt8(bodyLength & 0xFF)
            }
            let output = server.receive(datagram: datagram.span)
            #expect(output.datagrams.allSatisfy { $0.count <= datagram.count })
            #expect(DTLSInMemoryPair.keys(in: output.events) == nil)
            #expect(server.state == .idle || server.state == .failed)
        }
    }

    @Test("every truncation of a real ClientHello is ignored or refused, never trusted")
    func truncatedClientHello() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [serverContext.identity.fingerprint]
        )
        let clientHello = try #require(client.start().datagrams.first)
        for length in 1..<clientHello.count {
            let server = try DTLSEndpoint(
                context: serverContext,
                role: .server,
                peerAddress: [1, 2, 3, 4],
                expectedFingerprints: [clientContext.identity.fingerprint]
            )
            let output = server.receive(datagram: clientHello[0..<length].span)
            #expect(output.datagrams.allSatisfy { $0.count <= length })
            #expect(output.datagrams.allSatisfy { $0.count <= 13 || $0[13] != 3 })
        }
    }

    @Test("garbage after completion leaves the connection up and yields no data")
    func garbageAfterHandshake() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        try #require(pair.server.state == .established)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var datagram = (0..<Int.random(in: 13...300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            // Application-data records in epoch 1 with random (unauthentic) content.
            datagram[0] = 23
            datagram[1] = 0xFE
            datagram[2] = 0xFD
            datagram[3] = 0
            datagram[4] = 1
            let bodyLength = UInt16(datagram.count - 13)
            datagram[11] = UInt8(bodyLength >> 8)
            datagram[12] = UInt8(bodyLength & 0xFF)
            let output = pair.server.receive(datagram: datagram.span)
            #expect(output.applicationData.isEmpty)
            #expect(output.datagrams.isEmpty)
        }
        #expect(pair.server.state == .established)
        try pair.send(Array("still here".utf8), from: .toServer)
        #expect(pair.serverReceivedData == [Array("still here".utf8)])
    }

    @Test("empty and oversized datagrams are dropped unread; a client ignores input before start")
    func ignoredInput() throws {
        let (clientContext, serverContext) = try Self.contexts()
        let server = try DTLSEndpoint(
            context: serverContext,
            role: .server,
            peerAddress: [],
            expectedFingerprints: [clientContext.identity.fingerprint]
        )
        #expect(server.receive(datagram: [UInt8]().span).isEmpty)
        let huge = [UInt8](repeating: 22, count: DTLSEndpoint.maximumDatagramSize + 1)
        #expect(server.receive(datagram: huge.span).isEmpty)
        #expect(server.state == .idle)

        let client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [serverContext.identity.fingerprint]
        )
        #expect(client.receive(datagram: [22, 0xFE, 0xFD].span).isEmpty)
        #expect(client.state == .idle)
        #expect(client.close().isEmpty)
        #expect(client.state == .closed)
        #expect(client.start().isEmpty)
    }

    @Test("context settings out of range are refused")
    func invalidConfiguration() throws {
        var configuration = DTLSContext.Configuration()
        configuration.srtpProfiles = []
        #expect(throws: DTLSError(.invalidConfiguration, "")) {
            try DTLSContext(identity: DTLSTestIdentities.server, configuration: configuration)
        }
        configuration = DTLSContext.Configuration()
        configuration.mtu = 100
        #expect(throws: DTLSError(.invalidConfiguration, "")) {
            try DTLSContext(identity: DTLSTestIdentities.server, configuration: configuration)
        }
        configuration = DTLSContext.Configuration()
        configuration.initialRetransmissionTimeout = .seconds(2)
        configuration.maximumRetransmissionTimeout = .seconds(1)
        #expect(throws: DTLSError(.invalidConfiguration, "")) {
            try DTLSContext(identity: DTLSTestIdentities.server, configuration: configuration)
        }
        configuration = DTLSContext.Configuration()
        configuration.cipherList = "NOT-A-CIPHER"
        let error = #expect(throws: DTLSError.self) {
            try DTLSContext(identity: DTLSTestIdentities.server, configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.openSSLErrors.isEmpty == false)
    }
}

/// Shared identities: generating a P-256 key costs little, but one per test file is enough.
enum DTLSTestIdentities {
    static let client: DTLSIdentity = try! DTLSIdentity.generate(commonName: "client")
    static let server: DTLSIdentity = try! DTLSIdentity.generate(commonName: "server")
    static let stranger: DTLSIdentity = try! DTLSIdentity.generate(commonName: "stranger")
}

/// Two endpoints wired back to back in memory: datagrams produced by one are handed to the other,
/// through a `transform` that may drop, reorder or duplicate them, until both sides finish.
///
/// When nothing is in flight and a side is still handshaking, the harness sleeps until the earlier
/// of the two `nextTimeout`s and fires both sides' `handleTimeout()`, as a driver would when its
/// timer expires. Tests that lose datagrams use short timers (``fastRetransmission``) to stay quick.
final class DTLSInMemoryPair {
    enum Direction: Hashable {
        case toServer
        case toClient
    }

    let client: DTLSEndpoint
    let server: DTLSEndpoint
    private(set) var clientEvents: [DTLSEndpoint.Event] = []
    private(set) var serverEvents: [DTLSEndpoint.Event] = []
    private(set) var clientReceivedData: [[UInt8]] = []
    private(set) var serverReceivedData: [[UInt8]] = []
    /// Every datagram either side produced, before the transform.
    private(set) var produced: [(Direction, [UInt8])] = []
    /// How many times the timers were fired.
    private(set) var timeoutsFired = 0

    private var toServer: [[UInt8]] = []
    private var toClient: [[UInt8]] = []
    private var batches: [Direction: Int] = [:]
    private let transform: (Direction, Int, [[UInt8]]) -> [[UInt8]]

    /// - Parameter transform: given a direction, the index of this non-empty batch in that
    ///   direction (0 for the first) and the datagrams of one output, returns what is delivered.
    init(
        clientContext: DTLSContext,
        serverContext: DTLSContext,
        clientExpects: [DTLSFingerprint]? = nil,
        serverExpects: [DTLSFingerprint]? = nil,
        transform: @escaping (Direction, Int, [[UInt8]]) -> [[UInt8]] = { _, _, datagrams in datagrams }
    ) throws {
        self.client = try DTLSEndpoint(
            context: clientContext,
            role: .client,
            peerAddress: [],
            expectedFingerprints: clientExpects ?? [serverContext.identity.fingerprint]
        )
        self.server = try DTLSEndpoint(
            context: serverContext,
            role: .server,
            peerAddress: [127, 0, 0, 1, 0x30, 0x39],
            expectedFingerprints: serverExpects ?? [clientContext.identity.fingerprint]
        )
        self.transform = transform
    }

    private func record(_ output: DTLSEndpoint.Output, from direction: Direction) {
        for datagram in output.datagrams {
            self.produced.append((direction, datagram))
        }
        switch direction {
        case .toServer:
            self.clientEvents += output.events
            self.clientReceivedData += output.applicationData
        case .toClient:
            self.serverEvents += output.events
            self.serverReceivedData += output.applicationData
        }
        guard !output.datagrams.isEmpty else { return }
        let index = self.batches[direction, default: 0]
        self.batches[direction] = index + 1
        let delivered = self.transform(direction, index, output.datagrams)
        switch direction {
        case .toServer: self.toServer += delivered
        case .toClient: self.toClient += delivered
        }
    }

    private static func isFinished(_ endpoint: DTLSEndpoint) -> Bool {
        endpoint.state == .established || endpoint.state == .failed || endpoint.state == .closed
    }

    /// Starts the client and shuttles datagrams for at most `maxSteps` steps.
    func run(maxSteps: Int = 64) {
        self.record(self.client.start(), from: .toServer)
        self.pump(maxSteps: maxSteps)
    }

    /// Shuttles what is in flight (and fires timers when nothing is) for at most `maxSteps` steps.
    func pump(maxSteps: Int = 64) {
        for _ in 0..<maxSteps {
            let bothFinished = Self.isFinished(self.client) && Self.isFinished(self.server)
            if self.toServer.isEmpty && self.toClient.isEmpty {
                if bothFinished { return }
                // Nothing in flight: wait for the earlier timer, as a driver would, then fire both.
                let timers = [self.client.nextTimeout, self.server.nextTimeout].compactMap { $0 }
                guard let wait = timers.min() else { return }
                let microseconds = wait.components.seconds * 1_000_000 + wait.components.attoseconds / 1_000_000_000_000
                usleep(UInt32(clamping: microseconds + 1_000))
                self.timeoutsFired += 1
                self.record(self.client.handleTimeout(), from: .toServer)
                self.record(self.server.handleTimeout(), from: .toClient)
                continue
            }
            let forServer = self.toServer
            self.toServer = []
            for datagram in forServer {
                self.record(self.server.receive(datagram: datagram.span), from: .toClient)
            }
            let forClient = self.toClient
            self.toClient = []
            for datagram in forClient {
                self.record(self.client.receive(datagram: datagram.span), from: .toServer)
            }
        }
    }

    /// Sends application data from one side and delivers it.
    func send(_ data: [UInt8], from direction: Direction) throws {
        switch direction {
        case .toServer:
            var output = DTLSEndpoint.Output()
            output.datagrams = try self.client.send(applicationData: data.span)
            self.record(output, from: .toServer)
        case .toClient:
            var output = DTLSEndpoint.Output()
            output.datagrams = try self.server.send(applicationData: data.span)
            self.record(output, from: .toClient)
        }
        self.pump(maxSteps: 4)
    }

    /// Closes one side and delivers its close_notify.
    func close(from direction: Direction) {
        switch direction {
        case .toServer: self.record(self.client.close(), from: .toServer)
        case .toClient: self.record(self.server.close(), from: .toClient)
        }
        self.pump(maxSteps: 4)
    }

    var clientKeys: DTLSSRTPKeyingMaterial? { Self.keys(in: self.clientEvents) }
    var serverKeys: DTLSSRTPKeyingMaterial? { Self.keys(in: self.serverEvents) }
    var clientFailure: DTLSError? { Self.failure(in: self.clientEvents) }
    var serverFailure: DTLSError? { Self.failure(in: self.serverEvents) }

    static func keys(in events: [DTLSEndpoint.Event]) -> DTLSSRTPKeyingMaterial? {
        for case .handshakeCompleted(let keys) in events { return keys }
        return nil
    }

    static func failure(in events: [DTLSEndpoint.Event]) -> DTLSError? {
        for case .failed(let error) in events { return error }
        return nil
    }
}

extension DTLSContext.Configuration {
    /// Short retransmission timers (30 ms, doubling to 120 ms) so tests that lose datagrams wait
    /// little. Not shorter: OpenSSL counts under 15 ms left as expired, and would then retransmit
    /// on every read as well.
    static var fastRetransmission: DTLSContext.Configuration {
        var configuration = DTLSContext.Configuration()
        configuration.initialRetransmissionTimeout = .milliseconds(30)
        configuration.maximumRetransmissionTimeout = .milliseconds(120)
        return configuration
    }

    static func with(
        profiles: [SRTPProfile] = SRTPProfile.preferenceOrder,
        mtu: Int = 1200,
        fast: Bool = false
    ) -> DTLSContext.Configuration {
        var configuration = fast ? DTLSContext.Configuration.fastRetransmission : DTLSContext.Configuration()
        configuration.srtpProfiles = profiles
        configuration.mtu = mtu
        return configuration
    }
}

/// A small deterministic generator (SplitMix64) so "random" test input is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

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
