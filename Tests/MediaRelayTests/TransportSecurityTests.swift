import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Transport security: address learning, DTLS gates, fingerprints")
struct TransportSecurityTests {
    static let id = TransportConnectionTests.id
    static let start = TransportConnectionTests.start
    static let peerAddress = RelayAddress(ipv4: 0xC0A8_0001, port: 50_000)

    static func connected() throws -> (TransportTestRelay, Transport, TransportTestPeer) {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        try relay.connect(peer, now: Self.start)
        try #require(transport.state == .connected)
        return (relay, transport, peer)
    }

    @Test("a Binding request with the wrong password gets nothing larger than itself and binds nothing")
    func wrongPassword() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        peer.agent.relayPassword = "wrongPassword0123456789"
        let request = try peer.bindingRequest(useCandidate: true)
        let sent = relay.receive(request, from: peer.address, now: Self.start)
        for (_, bytes) in sent {
            #expect(bytes.count <= request.count)
            #expect(try STUNMessage(parsing: bytes).xorMappedAddress == nil)
        }
        #expect(transport.state == .waitingForICE)
        #expect(transport.boundAddress == nil)
        #expect(!transport.canSend)
        #expect(relay.demux.count == 0)
        #expect(relay.events.isEmpty)
        // DTLS from that address goes nowhere: no tuple was bound.
        let clientHello = peer.dtls.start().datagrams
        for datagram in clientHello {
            #expect(relay.receive(datagram, from: peer.address, now: Self.start).isEmpty)
        }
        #expect(relay.demux.drops(.unboundTuple) == UInt64(clientHello.count))
    }

    @Test("DTLS from a tuple other than the bound one never reaches the endpoint")
    func dtlsFromUnboundTuple() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        _ = relay.receive(try peer.bindingRequest(useCandidate: true), from: peer.address, now: Self.start)
        #expect(transport.state == .dtls)
        #expect(transport.dtlsState == .idle)

        let intruderAddress = RelayAddress(ipv4: 0xC0A8_0001, port: 50_001)
        let intruder = try TransportTestPeer(address: intruderAddress)
        let hello = intruder.dtls.start().datagrams
        // Through the demux: no route for the intruder's tuple.
        for datagram in hello {
            #expect(relay.receive(datagram, from: intruderAddress, now: Self.start).isEmpty)
        }
        // Straight at the transport: dropped and counted, the endpoint untouched.
        for datagram in hello {
            #expect(transport.handleDTLS(datagram, from: intruderAddress, now: Self.start).isEmpty)
        }
        #expect(transport.counters[.dtlsFromUnboundTuple] == UInt64(hello.count))
        #expect(transport.counters.dtlsReceived == 0)
        #expect(transport.dtlsState == .idle)
        #expect(transport.boundAddress == peer.address)

        // The real peer still connects.
        try relay.connect(peer, now: Self.start)
        #expect(transport.state == .connected)
    }

    @Test("DTLS before any binding is dropped by the transport")
    func dtlsBeforeICE() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        for datagram in peer.dtls.start().datagrams {
            #expect(transport.handleDTLS(datagram, from: peer.address, now: Self.start).isEmpty)
        }
        #expect(transport.counters[.dtlsBeforeICE] == 1)
        #expect(transport.state == .waitingForICE)
    }

    @Test("RTP and RTCP before the transport is connected are dropped")
    func mediaBeforeConnected() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        let rtp = TransportTestPeer.rtpPacket(sequence: 1) + [UInt8](repeating: 0xAA, count: 16)
        // Waiting for ICE: the demux has no route, the transport refuses.
        #expect(relay.receive(rtp, from: peer.address, now: Self.start).isEmpty)
        #expect(relay.media.isEmpty)
        #expect(transport.unprotectRTP(rtp, from: peer.address).0 == .dropped(.mediaBeforeConnected))
        // Bound, DTLS not done: routed to the transport, which drops it.
        _ = relay.receive(try peer.bindingRequest(useCandidate: true), from: peer.address, now: Self.start)
        #expect(transport.state == .dtls)
        _ = relay.receive(rtp, from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .dropped(.mediaBeforeConnected))
        var rtcp = TransportTestPeer.rtcpReceiverReport() + [UInt8](repeating: 0, count: 20)
        var span = rtcp.mutableSpan
        #expect(transport.unprotectRTCP(&span, length: 28, from: peer.address) == .dropped(.mediaBeforeConnected))
        #expect(transport.counters[.mediaBeforeConnected] == 3)
        #expect(transport.counters.rtpAccepted == 0)
        #expect(transport.admitMedia(from: peer.address) == .mediaBeforeConnected)
    }

    @Test("1000 packets failing SRTP from a new port: none forwarded, no address change, no replay-window change")
    func noAddressLearning() throws {
        let (relay, transport, peer) = try Self.connected()
        let newPort = RelayAddress(ipv4: 0xC0A8_0001, port: 50_002)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<1_000 {
            // Well-formed RTP header, random "ciphertext" and tag, sequence numbers far ahead.
            var packet = TransportTestPeer.rtpPacket(sequence: UInt16(truncatingIfNeeded: 20_000 + index))
            for position in 12..<packet.count {
                packet[position] = UInt8.random(in: 0...255, using: &generator)
            }
            packet += (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(relay.receive(packet, from: newPort, now: Self.start).isEmpty)
            #expect(transport.unprotectRTP(packet, from: newPort).0 == .dropped(.mediaFromUnboundTuple))
        }
        #expect(relay.demux.drops(.unboundTuple) == 1_000)
        #expect(relay.media.isEmpty)
        #expect(transport.counters[.mediaFromUnboundTuple] == 1_000)
        #expect(transport.boundAddress == peer.address)
        #expect(relay.demux.transport(for: newPort) == nil)

        // Even a genuine packet, replayed from the new port, moves nothing.
        let genuine = try peer.protectRTP(TransportTestPeer.rtpPacket(sequence: 10))
        #expect(relay.receive(genuine, from: newPort, now: Self.start).isEmpty)
        #expect(transport.boundAddress == peer.address)

        // 1000 forgeries from the bound tuple fail authentication without moving the replay window.
        // A genuine packet first (the stream and its window exist from here), then the forgeries far
        // ahead, then the genuine packet with a slightly later sequence number: still accepted.
        let earlier = try peer.protectRTP(TransportTestPeer.rtpPacket(sequence: 5))
        _ = relay.receive(earlier, from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .accepted(length: TransportTestPeer.rtpPacket(sequence: 5).count))
        for index in 0..<1_000 {
            var forged = try peer.protectRTP(TransportTestPeer.rtpPacket(sequence: UInt16(30_000 + index)))
            forged[forged.count - 1] ^= 0x01
            _ = relay.receive(forged, from: peer.address, now: Self.start)
            #expect(relay.media.last?.result == .dropped(.srtpUnprotectFailed))
        }
        #expect(transport.counters[.srtpUnprotectFailed] == 1_000)
        #expect(transport.counters.rtpAccepted == 1)
        _ = relay.receive(genuine, from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .accepted(length: TransportTestPeer.rtpPacket(sequence: 10).count))
        // The window is live: the earlier packet again is a replay.
        _ = relay.receive(earlier, from: peer.address, now: Self.start)
        #expect(relay.media.last?.result == .dropped(.srtpUnprotectFailed))
        #expect(transport.boundAddress == peer.address)
        #expect(transport.counters.rtpAccepted == 2)
    }

    @Test("a certificate that matches no signalled fingerprint closes the transport with no keys")
    func fingerprintMismatch() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(
            Self.id,
            credentials: ICELiteResponderTests.credentials,
            expecting: [TransportTestIdentities.stranger.fingerprint],
            now: Self.start
        )
        let peer = try TransportTestPeer(address: Self.peerAddress)
        try relay.connect(peer, now: Self.start)
        guard case .closed(.dtlsFailed(let error)) = transport.state else {
            Issue.record("not closed for DTLS: \(transport.state)")
            return
        }
        #expect(error.code == .fingerprintMismatch)
        #expect(relay.events.map(\.1) == [.bound(peer.address), .closed(.dtlsFailed(error))])
        #expect(transport.inboundSession == nil)
        #expect(transport.outboundSession == nil)
        #expect(transport.srtpProfile == nil)
        #expect(transport.dtlsState == nil)
        #expect(!transport.canSend)
        #expect(!peer.hasKeys)
        #expect(relay.demux.count == 0)
        #expect(relay.responder.credentialCount == 0)
        // Nothing is accepted any more, not even STUN (the credentials are gone).
        let request = try peer.bindingRequest(useCandidate: true)
        let answer = relay.receive(request, from: peer.address, now: Self.start)
        #expect(answer.allSatisfy { (try? STUNMessage(parsing: $0.1))?.errorCode == .unauthenticated })
        #expect(
            transport.unprotectRTP(TransportTestPeer.rtpPacket(sequence: 1), from: peer.address).0 == .dropped(.closed)
        )
    }

    @Test("a nomination from another authenticated tuple moves the transport; other checks and replays do not")
    func nominationSwitch() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let first = RelayAddress(ipv4: 0xC0A8_0001, port: 50_000)
        let second = RelayAddress(ipv4: 0x0A00_0001, port: 60_000)
        let third = RelayAddress(ipv4: 0x0A00_0002, port: 60_000)
        let agent = ICELiteResponderTests.agent
        func request(_ n: UInt64, nominate: Bool) throws -> [UInt8] {
            try agent.bindingRequest(transactionID: STUNTransactionID(high: 1, low: n), useCandidate: nominate)
        }
        // RFC 8445 lite: the first authenticated request binds, nominated or not.
        _ = relay.receive(try request(1, nominate: false), from: first, now: Self.start)
        #expect(transport.boundAddress == first)
        #expect(!transport.isNominated)
        // A check on another pair is answered but moves nothing and gives no consent to it.
        let later = Self.start.adding(milliseconds: 1_000)
        let answer = relay.receive(try request(2, nominate: false), from: second, now: later)
        #expect(answer.count == 1)
        #expect(transport.boundAddress == first)
        #expect(transport.lastConsent == Self.start)
        // A nomination from it moves the transport there.
        let nomination = try request(3, nominate: true)
        _ = relay.receive(nomination, from: second, now: later)
        #expect(transport.boundAddress == second)
        #expect(transport.isNominated)
        #expect(transport.lastConsent == later)
        #expect(relay.events.map(\.1) == [.bound(first), .switched(from: first, to: second)])
        #expect(relay.demux.transport(for: second) == Self.id)
        #expect(relay.demux.transport(for: first) == nil)
        // The same nomination replayed from a third address is answered (it authenticates) but
        // moves nothing.
        _ = relay.receive(nomination, from: third, now: later)
        #expect(transport.boundAddress == second)
        #expect(relay.events.count == 2)
        // DTLS now goes with the new tuple only.
        let peer = try TransportTestPeer(address: second)
        try relay.connect(peer, now: later)
        #expect(transport.state == .connected)
        #expect(transport.boundAddress == second)
    }

    @Test("a Binding request routed to the wrong transport is refused and counted")
    func misroutedRequest() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, now: Self.start)
        let request = ICEBindingRequest(
            transport: TransportID(99),
            source: Self.peerAddress,
            useCandidate: true,
            priority: nil,
            transactionID: STUNTransactionID(high: 0, low: 0)
        )
        #expect(transport.handleBindingRequest(request, now: Self.start).isEmpty)
        #expect(transport.counters[.misroutedBindingRequest] == 1)
        #expect(transport.state == .waitingForICE)
    }
}
