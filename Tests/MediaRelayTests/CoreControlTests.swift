import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Core RTCP and control on loopback")
struct CoreControlTests {
    /// Connects a publisher (participant 1) and a subscriber (participant 2) through a worker.
    static func connectedPair(
        until deadline: RelayTime
    ) throws -> (rig: CoreTestRig, publisher: CoreTestClient, subscriber: CoreTestClient) {
        let rig = try CoreTestRig()
        let publisher = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        let subscriber = try CoreTestClient(id: 2, ufrag: "subB", password: "subscriberPassword012345")
        try rig.start([publisher, subscriber], table: CoreEndToEndTests.table())
        try publisher.connect(to: rig.relay, until: deadline)
        try subscriber.connect(to: rig.relay, until: deadline)
        #expect(eventually(seconds: 2) { rig.counters[.transportsConnected] == 2 })
        return (rig, publisher, subscriber)
    }

    /// A PLI from `sender` about `media`.
    static func pictureLossIndication(sender: UInt32, media: UInt32) -> [UInt8] {
        var packet: [UInt8] = [0x81, 206, 0x00, 0x02]
        for value in [sender, media] {
            for shift in stride(from: 24, through: 0, by: -8) {
                packet.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        }
        return packet
    }

    @Test("a subscriber's PLI reaches the publisher once, translated to the publisher's SSRC and SRTCP-protected")
    func pictureLossUpstream() throws {
        let deadline = RelayTime.monotonicNow().adding(milliseconds: 9_000)
        let pair = try Self.connectedPair(until: deadline)
        let rig = pair.rig
        let publisher = pair.publisher
        let subscriber = pair.subscriber
        defer { rig.worker.stop() }
        let pli = Self.pictureLossIndication(sender: 0x5555_0002, media: CoreEndToEndTests.subscriberSSRC)
        // Three requests in a burst: the policy forwards one per second per track.
        for _ in 0..<3 {
            #expect(subscriber.socket.send(try subscriber.peer.protectRTCP(pli), to: rig.relay))
        }
        publisher.socket.setTimeout(milliseconds: 500)
        let datagram = publisher.socket.receive()
        let source = datagram.map { $0.source }
        #expect(source == rig.relay)
        let bytes = try #require(datagram.map { $0.bytes })
        #expect(PacketClass(classifying: bytes.span) == .rtcp)
        let plain = try #require(publisher.peer.inbound).unprotectRTCP(bytes)
        let compound = try RTCPCompound(parsing: plain)
        #expect(compound.packets.count == 1)
        var forwardedSSRC: UInt32?
        if case .pictureLossIndication(let forwarded)? = compound.packets.first {
            forwardedSSRC = forwarded.mediaSSRC
        }
        #expect(forwardedSSRC == CoreEndToEndTests.publisherSSRC)
        publisher.socket.setTimeout(milliseconds: 200)
        #expect(publisher.socket.receive() == nil)
        #expect(rig.counters[.rtcpReceived] == 3)
        #expect(rig.counters[.rtcpSent] == 1)
        // A PLI for an SSRC the subscriber does not receive goes nowhere.
        let foreign = Self.pictureLossIndication(sender: 0x5555_0002, media: CoreEndToEndTests.publisherSSRC)
        #expect(subscriber.socket.send(try subscriber.peer.protectRTCP(foreign), to: rig.relay))
        #expect(eventually(seconds: 2) { rig.counters[.rtcpReceived] == 4 })
        #expect(publisher.socket.receive() == nil)
    }

    @Test("removing a transport sends close_notify, forgets its credentials and stops its deliveries")
    func removeTransport() throws {
        let deadline = RelayTime.monotonicNow().adding(milliseconds: 9_000)
        let pair = try Self.connectedPair(until: deadline)
        let rig = pair.rig
        let publisher = pair.publisher
        let subscriber = pair.subscriber
        defer { rig.worker.stop() }
        #expect(rig.worker.submit(.removeTransport(TransportID(2))))
        let closing = subscriber.socket.receive().map { $0.bytes }
        let bytes = try #require(closing)
        #expect(PacketClass(classifying: bytes.span) == .dtls)
        _ = subscriber.peer.dtls.receive(datagram: bytes.span)
        #expect(subscriber.peer.dtls.state == .closed)
        #expect(rig.counters[.transportsClosed] == 1)

        // Media from the publisher no longer reaches the removed subscriber.
        let packet = CoreTestClient.opusPacket(sequence: 1, timestamp: 960)
        #expect(publisher.socket.send(try publisher.peer.protectRTP(packet), to: rig.relay))
        #expect(eventually(seconds: 2) { rig.counters[.rtpReceived] == 1 })
        #expect(rig.counters[.rtpForwarded] == 0)
        #expect(rig.counters[.deliveriesSkipped] == 1)
        subscriber.socket.setTimeout(milliseconds: 200)
        #expect(subscriber.socket.receive() == nil)

        // Its credentials are gone: a correctly signed request no longer authenticates.
        let authenticated = rig.counters[.stunAuthenticated]
        #expect(subscriber.socket.send(try subscriber.peer.bindingRequest(useCandidate: true), to: rig.relay))
        #expect(eventually(seconds: 2) { rig.counters[.stunRejected] == 1 })
        #expect(rig.counters[.stunAuthenticated] == authenticated)

        // The participant may come back with a new transport.
        let again = try CoreTestClient(id: 3, ufrag: "subC", password: "subscriberPassword678901")
        let command = RelayCore.Command.addTransport(
            id: again.id,
            credentials: again.credentials,
            fingerprints: [TransportTestIdentities.client.fingerprint],
            participant: 2
        )
        #expect(rig.worker.submit(command))
        #expect(eventually(seconds: 2) { rig.counters[.transportsAdded] == 3 })
        #expect(rig.counters[.commandsRejected] == 0)
        try again.connect(to: rig.relay, until: deadline)
        #expect(eventually(seconds: 2) { rig.counters[.transportsConnected] == 3 })
        let next = CoreTestClient.opusPacket(sequence: 2, timestamp: 1920)
        #expect(publisher.socket.send(try publisher.peer.protectRTP(next), to: rig.relay))
        let received = again.receiveRTP(count: 1, until: deadline)
        #expect(received.count == 1)
        if let first = received.first {
            let plain = try again.peer.unprotectRTP(first)
            let header = try RTPHeader(parsing: plain.span)
            #expect(header.ssrc == CoreEndToEndTests.subscriberSSRC)
        }
    }

    @Test("a second transport for a participant that has one, or a mismatched id, is refused")
    func refusedCommands() throws {
        let rig = try CoreTestRig()
        defer { rig.worker.stop() }
        let first = try CoreTestClient(id: 1, ufrag: "pubA", password: "publisherPassword0123456")
        try rig.start([first], table: CoreEndToEndTests.table())
        let second = try CoreTestClient(id: 5, ufrag: "pubZ", password: "publisherPassword6543210")
        // Same participant (1) as the first.
        rig.worker.submit(
            .addTransport(id: second.id, credentials: second.credentials, fingerprints: [], participant: 1)
        )
        // Credentials naming another transport.
        rig.worker.submit(
            .addTransport(id: TransportID(6), credentials: second.credentials, fingerprints: [], participant: 6)
        )
        // The same id again.
        rig.worker.submit(first.addCommand)
        #expect(eventually(seconds: 2) { rig.counters[.commandsRejected] == 3 })
        #expect(rig.counters[.transportsAdded] == 1)
    }
}
