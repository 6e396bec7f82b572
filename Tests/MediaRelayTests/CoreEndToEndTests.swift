import Glibc
import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Core end to end on loopback")
struct CoreEndToEndTests {
    static let publisherSSRC: UInt32 = 0x1234_5678
    static let subscriberSSRC: UInt32 = 0xABCD_0001

    /// Track 1 published by participant 1 (Opus as payload type 111), delivered to participant 2
    /// as SSRC 0xABCD0001 with payload type 109.
    static func table() throws -> RoutingTable {
        try RoutingTable(
            tracks: [
                PublishedTrack(
                    id: 1,
                    publisher: 1,
                    kind: .audio,
                    mediaSSRC: Self.publisherSSRC,
                    payloadTypes: [111]
                )
            ],
            subscriptions: [
                TrackSubscription(subscriber: 2, track: 1, mediaSSRC: Self.subscriberSSRC, payloadTypes: [111: 109])
            ]
        )
    }

    @Test("a publisher's SRTP reaches the subscriber through ICE, DTLS, routing and SRTP, rewritten and contiguous")
    func publishAndSubscribe() throws {
        let deadline = RelayTime.monotonicNow().adding(milliseconds: 9_000)
        let rig = try CoreTestRig()
        defer { rig.worker.stop() }
        let publisher = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        let subscriber = try CoreTestClient(id: 2, ufrag: "subB", password: "subscriberPassword012345")
        try rig.start([publisher, subscriber], table: Self.table())
        try publisher.connect(to: rig.relay, until: deadline)
        try subscriber.connect(to: rig.relay, until: deadline)
        #expect(eventually(seconds: 2) { rig.counters[.transportsConnected] == 2 })

        let count = 40
        var sent: [[UInt8]] = []
        for index in 0..<count {
            let packet = CoreTestClient.opusPacket(
                sequence: UInt16(truncatingIfNeeded: 65_520 + index),
                timestamp: UInt32(index) * 960
            )
            sent.append(packet)
            #expect(publisher.socket.send(try publisher.peer.protectRTP(packet), to: rig.relay))
        }
        let received = subscriber.receiveRTP(count: count, until: deadline)
        #expect(received.count == count)
        var previous: UInt16?
        for (index, packet) in received.enumerated() {
            let plain = try subscriber.peer.unprotectRTP(packet)
            let header = try RTPHeader(parsing: plain.span)
            #expect(header.ssrc == Self.subscriberSSRC)
            #expect(header.payloadType == 109)
            if let previous {
                #expect(header.sequenceNumber == previous &+ 1)
            }
            previous = header.sequenceNumber
            // The payload is the publisher's, byte for byte.
            #expect(Array(plain[header.payloadRange]) == Array(sent[index][12...]))
        }
        #expect(rig.counters[.rtpReceived] == UInt64(count))
        #expect(rig.counters[.rtpForwarded] == UInt64(count))
        // The publisher got nothing but STUN and DTLS.
        publisher.socket.setTimeout(milliseconds: 100)
        #expect(publisher.socket.receive() == nil)
    }

    @Test("RTP from an address no transport is bound to is not forwarded, even with the publisher's keys")
    func unboundSource() throws {
        let deadline = RelayTime.monotonicNow().adding(milliseconds: 9_000)
        let rig = try CoreTestRig()
        defer { rig.worker.stop() }
        let publisher = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        let subscriber = try CoreTestClient(id: 2, ufrag: "subB", password: "subscriberPassword012345")
        try rig.start([publisher, subscriber], table: Self.table())
        try publisher.connect(to: rig.relay, until: deadline)
        try subscriber.connect(to: rig.relay, until: deadline)
        #expect(eventually(seconds: 2) { rig.counters[.transportsConnected] == 2 })

        // A stranger on another port sends correctly protected packets (it holds the keys).
        let stranger = try LoopbackPeer(timeoutMilliseconds: 200)
        let demuxDropsBefore = rig.counters[.droppedByDemux]
        for index in 0..<10 {
            let packet = CoreTestClient.opusPacket(sequence: UInt16(index), timestamp: UInt32(index) * 960)
            #expect(stranger.send(try publisher.peer.protectRTP(packet), to: rig.relay))
        }
        #expect(eventually(seconds: 2) { rig.counters[.droppedByDemux] == demuxDropsBefore + 10 })
        subscriber.socket.setTimeout(milliseconds: 200)
        #expect(subscriber.socket.receive() == nil)
        #expect(stranger.receive() == nil)
        #expect(rig.counters[.rtpForwarded] == 0)

        // The bound tuple still works (the stranger moved no state): the next packets flow.
        for index in 10..<13 {
            let packet = CoreTestClient.opusPacket(sequence: UInt16(index), timestamp: UInt32(index) * 960)
            #expect(publisher.socket.send(try publisher.peer.protectRTP(packet), to: rig.relay))
        }
        #expect(subscriber.receiveRTP(count: 3, until: deadline).count == 3)
    }

    @Test("an unauthenticated STUN flood gets only small, rate-limited answers and binds nothing")
    func stunFlood() throws {
        let rig = try CoreTestRig()
        defer { rig.worker.stop() }
        let publisher = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        try rig.start([publisher], table: Self.table())
        let attacker = try LoopbackPeer(timeoutMilliseconds: 300)
        // Wrong password for a known ufrag, and an unknown ufrag: both unauthenticated.
        let wrongPassword = ICETestAgent(
            relayUfrag: "pubA",
            relayPassword: "wrongPassword0123456789",
            peerUfrag: "evil"
        )
        let unknownUfrag = ICETestAgent(
            relayUfrag: "nobody",
            relayPassword: "whatever0123456789012345",
            peerUfrag: "evil"
        )
        var requests: [[UInt8]] = []
        for index in 0..<100 {
            let agent = index.isMultiple(of: 2) ? wrongPassword : unknownUfrag
            requests.append(
                try agent.bindingRequest(
                    transactionID: STUNTransactionID(high: 0xF100_D000, low: UInt64(index)),
                    useCandidate: true
                )
            )
        }
        let smallest = requests.map(\.count).min() ?? 0
        for request in requests {
            #expect(attacker.send(request, to: rig.relay))
        }
        var responses: [[UInt8]] = []
        for _ in 0..<requests.count {
            guard let (bytes, _) = attacker.receive() else { break }
            responses.append(bytes)
        }
        #expect(responses.allSatisfy { $0.count <= smallest })
        // At most the per-address burst, far fewer than the requests.
        #expect(responses.count <= RelayLimits().stunErrorsPerSecondPerAddress + 1)
        #expect(rig.counters[.stunAuthenticated] == 0)
        #expect(rig.counters[.stunRejected] == UInt64(requests.count))
        #expect(rig.counters[.dtlsSent] == 0)
    }
}

/// A relay worker running a ``RelayCore`` on 127.0.0.1, with its counters.
final class CoreTestRig {
    let counters = RelayCoreCounters()
    let worker: RelayWorker<RelayCore>

    init() throws {
        let context = try DTLSContext(identity: TransportTestIdentities.relay)
        let core = try RelayCore(dtlsContext: context, counters: self.counters)
        self.worker = try RelayWorker(sockets: [try RelaySocket(bindingTo: loopback4(0))], handler: core)
    }

    var relay: RelayAddress {
        self.worker.localAddresses[0]
    }

    /// Adds the clients' transports and the table, and waits until the worker applied them.
    func start(_ clients: [CoreTestClient], table: RoutingTable) throws {
        for client in clients {
            #expect(self.worker.submit(client.addCommand))
        }
        #expect(self.worker.submit(.installRouting(table)))
        let expected = UInt64(clients.count)
        guard eventually(seconds: 2, { self.counters[.transportsAdded] == expected }) else {
            throw PeerError(description: "the worker did not apply the commands")
        }
    }
}

/// A browser-like client on a real UDP socket: the Transport tests' peer (controlling ICE agent,
/// DTLS client, SRTP sessions) with its own credentials.
final class CoreTestClient {
    let id: TransportID
    let socket: LoopbackPeer
    let peer: TransportTestPeer
    let credentials: ICECredentials

    init(id: UInt64, ufrag: String, password: String) throws {
        self.id = TransportID(id)
        self.socket = try LoopbackPeer(timeoutMilliseconds: 500)
        self.peer = try TransportTestPeer(address: self.socket.address)
        let peerUfrag = "peer\(id)"
        self.peer.agent = ICETestAgent(relayUfrag: ufrag, relayPassword: password, peerUfrag: peerUfrag)
        self.credentials = ICECredentials(
            transport: self.id,
            localUfrag: ufrag,
            localPassword: password,
            remoteUfrag: peerUfrag
        )
    }

    var addCommand: RelayCore.Command {
        .addTransport(
            id: self.id,
            credentials: self.credentials,
            fingerprints: [TransportTestIdentities.client.fingerprint],
            participant: RoutingParticipantID(rawValue: self.id.rawValue)
        )
    }

    /// Runs ICE and the DTLS handshake with the relay over the socket, until the client holds
    /// its SRTP keys (or `deadline`).
    func connect(to relay: RelayAddress, until deadline: RelayTime) throws {
        var outgoing = [try self.peer.bindingRequest(useCandidate: true)] + self.peer.dtls.start().datagrams
        while RelayTime.monotonicNow() < deadline {
            for datagram in outgoing {
                #expect(self.socket.send(datagram, to: relay))
            }
            outgoing = []
            if self.peer.hasKeys && !self.peer.stunResponses.isEmpty {
                return
            }
            guard let (bytes, source) = self.socket.receive() else { continue }
            #expect(source == relay)
            outgoing = try self.peer.receive(bytes)
        }
        throw PeerError(description: "\(self.id) did not connect")
    }

    /// Receives up to `count` RTP datagrams (skipping anything else) before `deadline`.
    func receiveRTP(count: Int, until deadline: RelayTime) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        while packets.count < count, RelayTime.monotonicNow() < deadline {
            guard let (bytes, _) = self.socket.receive() else { continue }
            if PacketClass(classifying: bytes.span) == .rtp {
                packets.append(bytes)
            }
        }
        return packets
    }

    /// An Opus-like packet: payload type 111, SSRC 0x12345678, 60 bytes of payload.
    static func opusPacket(sequence: UInt16, timestamp: UInt32) -> [UInt8] {
        var packet: [UInt8] = [0x80, 111, UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
        for value in [timestamp, CoreEndToEndTests.publisherSSRC] {
            for shift in stride(from: 24, through: 0, by: -8) {
                packet.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        }
        packet += (0..<60).map { UInt8(truncatingIfNeeded: Int(sequence) &+ $0) }
        return packet
    }
}
