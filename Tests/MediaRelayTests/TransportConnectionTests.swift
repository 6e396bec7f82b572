import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Transport connection in memory")
struct TransportConnectionTests {
    static let id = TransportID(7)
    static let start = RelayTime(nanoseconds: 1_000_000_000_000)

    @Test("a peer connects through ICE and DTLS, and SRTP and SRTCP flow both ways")
    func fullConnection() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        #expect(transport.state == .waitingForICE)
        #expect(!transport.canSend)
        let peer = try TransportTestPeer(address: RelayAddress(ipv4: 0xC0A8_0001, port: 50_000))

        try relay.connect(peer, now: Self.start)

        // ICE: one signed success response carrying the peer's address.
        let response = try #require(peer.stunResponses.first)
        let message = try STUNMessage(parsing: response, fingerprint: .require)
        #expect(message.type == .bindingSuccessResponse)
        #expect(message.xorMappedAddress == STUNAddress(peer.address))
        #expect(try STUNAuthenticator().isAuthentic(message, in: response, password: "relayPassword0123456789"))

        // Every transition was reported, in order.
        #expect(relay.events.map(\.1) == [.bound(peer.address), .connected(.aeadAES128GCM)])
        #expect(transport.state == .connected)
        #expect(transport.boundAddress == peer.address)
        #expect(transport.isNominated)
        #expect(transport.canSend)
        #expect(transport.srtpProfile == .aeadAES128GCM)
        #expect(transport.inboundSession != nil && transport.outboundSession != nil)
        #expect(peer.dtls.state == .established)
        #expect(relay.demux.transport(for: peer.address) == Self.id)
        // Connected: only consent is left to time.
        #expect(transport.nextDeadline == transport.consentDeadline)
        #expect(transport.consentDeadline == Self.start.adding(milliseconds: 30_000))

        // Peer -> relay: SRTP protected with the peer's keys unprotects with the transport's
        // inbound session.
        let rtp = TransportTestPeer.rtpPacket(sequence: 1)
        _ = relay.receive(try peer.protectRTP(rtp), from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .accepted(length: rtp.count))
        #expect(relay.media.last?.bytes == rtp)
        let rtcp = TransportTestPeer.rtcpReceiverReport()
        _ = relay.receive(try peer.protectRTCP(rtcp), from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .accepted(length: rtcp.count))
        #expect(relay.media.last?.bytes == rtcp)
        #expect(transport.counters.rtpAccepted == 1)
        #expect(transport.counters.rtcpAccepted == 1)

        // Relay -> peer: the transport's outbound session protects what the peer unprotects.
        let outgoing = TransportTestPeer.rtpPacket(sequence: 500, ssrc: 0xCAFE_F00D)
        var buffer = outgoing + [UInt8](repeating: 0, count: SRTPProfile.maximumRTPTrailerLength)
        var span = buffer.mutableSpan
        let result = try transport.protectRTP(&span, length: outgoing.count)
        guard case .accepted(let length) = result else {
            Issue.record("not protected: \(result)")
            return
        }
        #expect(try peer.unprotectRTP(Array(buffer[0..<length])) == outgoing)
        #expect(transport.counters.dropped == 0)
    }

    @Test("each SRTP profile the relay allows is negotiated and carries media", arguments: SRTPProfile.allCases)
    func eachProfile(profile: SRTPProfile) throws {
        var configuration = DTLSContext.Configuration()
        configuration.srtpProfiles = [profile]
        let relay = try TransportTestRelay(dtlsConfiguration: configuration)
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: RelayAddress(ipv4: 0xC0A8_0001, port: 50_000))
        try relay.connect(peer, now: Self.start)
        #expect(transport.srtpProfile == profile)
        #expect(relay.events.last?.1 == .connected(profile))
        let rtp = TransportTestPeer.rtpPacket(sequence: 77)
        _ = relay.receive(try peer.protectRTP(rtp), from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .accepted(length: rtp.count))
        #expect(relay.media.last?.bytes == rtp)
    }

    @Test("closing from the control plane sends close_notify to the bound tuple and releases everything")
    func closeByControlPlane() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: RelayAddress(ipv4: 0xC0A8_0001, port: 50_000))
        try relay.connect(peer, now: Self.start)
        let output = transport.close(now: Self.start)
        #expect(output.destination == peer.address)
        #expect(!output.datagrams.isEmpty)
        #expect(output.events == [.closed(.removed)])
        for datagram in output.datagrams {
            _ = peer.dtls.receive(datagram: datagram.span)
        }
        #expect(peer.dtls.state == .closed)
        #expect(transport.state == .closed(.removed))
        #expect(transport.inboundSession == nil && transport.outboundSession == nil && transport.dtlsState == nil)
        #expect(!transport.canSend)
        #expect(transport.nextDeadline == nil)
        #expect(transport.close(now: Self.start).isEmpty)
        // Media after close is dropped.
        let (result, _) = transport.unprotectRTP(
            try peer.protectRTP(TransportTestPeer.rtpPacket(sequence: 2)),
            from: peer.address
        )
        #expect(result == .dropped(.closed))
    }

    @Test("the peer's close_notify closes the transport")
    func closeByPeer() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: RelayAddress(ipv4: 0xC0A8_0001, port: 50_000))
        try relay.connect(peer, now: Self.start)
        for datagram in peer.dtls.close().datagrams {
            _ = relay.receive(datagram, from: peer.address, now: Self.start)
        }
        #expect(transport.state == .closed(.dtlsClosedByPeer))
        #expect(relay.events.last?.1 == .closed(.dtlsClosedByPeer))
        #expect(relay.demux.count == 0)
        #expect(relay.responder.credentialCount == 0)
    }
}

/// Identities made once for the whole test target.
enum TransportTestIdentities {
    static let relay: DTLSIdentity = try! DTLSIdentity.generate(commonName: "relay")
    static let client: DTLSIdentity = try! DTLSIdentity.generate(commonName: "client")
    static let stranger: DTLSIdentity = try! DTLSIdentity.generate(commonName: "stranger")
}

/// The test's stand-in for the relay's glue: a demux routes each datagram, STUN goes to the
/// responder, the rest to the transport bound to the source; transport outputs update the demux
/// and are "sent" (returned).
final class TransportTestRelay {
    let responder: ICELiteResponder
    private(set) var demux: TransportDemux
    private(set) var transports: [TransportID: Transport] = [:]
    /// Every transport event, in order.
    private(set) var events: [(TransportID, TransportEvent)] = []
    /// Every RTP/RTCP packet given to a transport, with what it made of it.
    private(set) var media: [(id: TransportID, result: TransportMediaResult, bytes: [UInt8])] = []
    let dtlsContext: DTLSContext
    let limits: RelayLimits
    private var scratch: [UInt8] = []

    init(
        responder: ICELiteResponder? = nil,
        dtlsConfiguration: DTLSContext.Configuration = DTLSContext.Configuration(),
        limits: RelayLimits = RelayLimits(),
        capacity: Int = 16
    ) throws {
        self.responder =
            try responder
            ?? ICELiteResponder(
                configuration: {
                    var configuration = ICELiteResponder.Configuration(limits: limits)
                    configuration.rateLimiterSeed = 1
                    return configuration
                }()
            )
        self.demux = TransportDemux(capacity: capacity, limits: limits)
        self.dtlsContext = try DTLSContext(identity: TransportTestIdentities.relay, configuration: dtlsConfiguration)
        self.limits = limits
    }

    @discardableResult
    func addTransport(
        _ id: TransportID,
        credentials: ICECredentials? = nil,
        expecting fingerprints: [DTLSFingerprint] = [TransportTestIdentities.client.fingerprint],
        now: RelayTime
    ) throws -> Transport {
        if let credentials {
            try self.responder.addCredentials(credentials)
        }
        let transport = Transport(
            id: id,
            configuration: TransportConfiguration(
                dtlsContext: self.dtlsContext,
                expectedFingerprints: fingerprints,
                limits: self.limits
            ),
            now: now
        )
        self.transports[id] = transport
        return transport
    }

    /// Handles one datagram and returns what the relay sends in answer.
    func receive(_ datagram: [UInt8], from source: RelayAddress, now: RelayTime) -> [(RelayAddress, [UInt8])] {
        var sent: [(RelayAddress, [UInt8])] = []
        switch self.demux.route(datagram, from: source) {
        case .stun:
            let outcome = self.responder.handle(request: datagram, from: source, now: now, response: &self.scratch)
            if !self.scratch.isEmpty {
                sent.append((source, self.scratch))
            }
            if case .authenticated(let request) = outcome, let transport = self.transports[request.transport] {
                self.apply(transport.handleBindingRequest(request, now: now), of: request.transport, &sent)
            }
        case .dtls(let id):
            if let transport = self.transports[id] {
                self.apply(transport.handleDTLS(datagram, from: source, now: now), of: id, &sent)
            }
        case .rtp(let id):
            if let transport = self.transports[id] {
                let (result, bytes) = transport.unprotectRTP(datagram, from: source)
                self.media.append((id, result, bytes))
            }
        case .rtcp(let id):
            if let transport = self.transports[id] {
                var buffer = datagram
                var span = buffer.mutableSpan
                let result = transport.unprotectRTCP(&span, length: datagram.count, from: source)
                if case .accepted(let length) = result {
                    buffer.removeSubrange(length...)
                }
                self.media.append((id, result, buffer))
            }
        case .drop:
            break
        }
        return sent
    }

    /// Fires every transport's timers at `now`.
    func tick(now: RelayTime) -> [(RelayAddress, [UInt8])] {
        var sent: [(RelayAddress, [UInt8])] = []
        for (id, transport) in self.transports.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            self.apply(transport.handleTimer(now: now), of: id, &sent)
        }
        return sent
    }

    private func apply(_ output: TransportOutput, of id: TransportID, _ sent: inout [(RelayAddress, [UInt8])]) {
        _ = self.demux.apply(output, for: id)
        for event in output.events {
            self.events.append((id, event))
            if case .closed = event {
                self.responder.removeCredentials(for: id)
            }
        }
        if let destination = output.destination {
            for datagram in output.datagrams {
                sent.append((destination, datagram))
            }
        }
    }

    /// Drives ICE and DTLS between `peer` and the relay until nothing more is in flight (bounded).
    func connect(_ peer: TransportTestPeer, now: RelayTime, useCandidate: Bool = true) throws {
        var toRelay = [try peer.bindingRequest(useCandidate: useCandidate)]
        toRelay += peer.dtls.start().datagrams
        for _ in 0..<32 {
            var toPeer: [(RelayAddress, [UInt8])] = []
            for datagram in toRelay {
                toPeer += self.receive(datagram, from: peer.address, now: now)
            }
            toRelay = []
            for (destination, datagram) in toPeer {
                #expect(destination == peer.address)
                toRelay += try peer.receive(datagram)
            }
            if toRelay.isEmpty { return }
        }
        Issue.record("the connection did not settle")
    }
}

/// A browser-like peer: a controlling ICE agent and a DTLS client, with SRTP sessions once the
/// handshake completes.
final class TransportTestPeer {
    let address: RelayAddress
    var agent: ICETestAgent
    let dtls: DTLSEndpoint
    private(set) var stunResponses: [[UInt8]] = []
    private(set) var dtlsEvents: [DTLSEndpoint.Event] = []
    private(set) var inbound: SRTPSession?
    private(set) var outbound: SRTPSession?
    private var transactionCounter: UInt64 = 0

    init(
        address: RelayAddress,
        identity: DTLSIdentity = TransportTestIdentities.client,
        expecting fingerprint: DTLSFingerprint = TransportTestIdentities.relay.fingerprint
    ) throws {
        self.address = address
        self.agent = ICELiteResponderTests.agent
        self.dtls = try DTLSEndpoint(
            context: DTLSContext(identity: identity),
            role: .client,
            peerAddress: [],
            expectedFingerprints: [fingerprint]
        )
    }

    /// A fresh transaction ID for each request, as a real agent draws.
    func nextTransactionID() -> STUNTransactionID {
        self.transactionCounter += 1
        return STUNTransactionID(
            high: 0x5EED_0000 | UInt32(truncatingIfNeeded: self.address.port),
            low: self.transactionCounter
        )
    }

    func bindingRequest(useCandidate: Bool) throws -> [UInt8] {
        try self.agent.bindingRequest(transactionID: self.nextTransactionID(), useCandidate: useCandidate)
    }

    /// Takes a datagram from the relay; returns what the peer sends back.
    func receive(_ datagram: [UInt8]) throws -> [[UInt8]] {
        switch PacketClass(classifying: datagram.span) {
        case .stun:
            self.stunResponses.append(datagram)
            return []
        case .dtls:
            let output = self.dtls.receive(datagram: datagram.span)
            self.dtlsEvents += output.events
            for case .handshakeCompleted(let keys) in output.events {
                // The peer is the DTLS client: it unprotects with the server's key, protects with its own.
                self.inbound = try SRTPSession(direction: .inbound, keyingMaterial: keys.remote)
                self.outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
            }
            return output.datagrams
        default:
            Issue.record("the relay sent a datagram that is neither STUN nor DTLS")
            return []
        }
    }

    var hasKeys: Bool {
        self.dtlsEvents.contains { if case .handshakeCompleted = $0 { return true } else { return false } }
    }

    func protectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        try #require(self.outbound).protectRTP(packet)
    }

    func protectRTCP(_ packet: [UInt8]) throws -> [UInt8] {
        try #require(self.outbound).protectRTCP(packet)
    }

    func unprotectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        try #require(self.inbound).unprotectRTP(packet)
    }

    /// A 12-byte RTP header (version 2, Opus payload type 111) and 40 bytes of payload.
    static func rtpPacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
        var packet: [UInt8] = [0x80, 111, UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence), 0, 0, 0x03, 0xC0]
        for shift in stride(from: 24, through: 0, by: -8) {
            packet.append(UInt8(truncatingIfNeeded: ssrc >> UInt32(shift)))
        }
        packet += (0..<40).map { UInt8($0) }
        return packet
    }

    /// An empty RTCP receiver report.
    static func rtcpReceiverReport(ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
        [
            0x80, 201, 0x00, 0x01, UInt8(ssrc >> 24), UInt8(truncatingIfNeeded: ssrc >> 16),
            UInt8(truncatingIfNeeded: ssrc >> 8), UInt8(truncatingIfNeeded: ssrc),
        ]
    }
}
