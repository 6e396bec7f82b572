import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("RelayService on loopback")
struct ServiceTests {
    /// Two workers on 127.0.0.1 with the test relay identity.
    static func twoWorkers(maximumPendingCommands: Int = 1024) throws -> RelayService {
        try RelayService(
            configuration: RelayService.Configuration(
                workerCount: 2,
                worker: RelayWorkerConfiguration(name: "svc-test"),
                identity: TransportTestIdentities.relay,
                maximumPendingCommands: maximumPendingCommands
            )
        )
    }

    /// Collects `count` events from the service's stream, or what arrived within `seconds`.
    static func collect(_ count: Int, from service: RelayService, seconds: Int = 5) async -> [RelayEvent] {
        await withTaskGroup(of: [RelayEvent]?.self) { group in
            group.addTask {
                var events: [RelayEvent] = []
                for await event in service.events {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            var result: [RelayEvent] = []
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                    break
                }
                group.cancelAll()
            }
            return result
        }
    }

    @Test("two rooms on two workers: clients connect through the service, media is forwarded, events arrive")
    func forwardsOnTwoWorkers() async throws {
        let deadline = RelayTime.monotonicNow().adding(milliseconds: 15_000)
        let service = try Self.twoWorkers()
        defer { service.stop() }
        #expect(service.workerCount == 2)
        #expect(service.certificateFingerprint == TransportTestIdentities.relay.fingerprint)
        #expect(service.certificateFingerprint.algorithm == .sha256)
        let addresses = [service.localAddress(worker: 0), service.localAddress(worker: 1)]
        #expect(addresses[0] != addresses[1])
        #expect(addresses.allSatisfy { $0.ipv4 == 0x7F00_0001 && $0.port != 0 })

        // Placement: two rooms land on different workers.
        let rooms = [service.worker(forNewRoomWith: 1), service.worker(forNewRoomWith: 1)]
        #expect(Set(rooms) == [0, 1])

        var clients: [(publisher: CoreTestClient, subscriber: CoreTestClient, worker: Int)] = []
        for (index, worker) in rooms.enumerated() {
            let publisherID = UInt64(10 * index + 1)
            let subscriberID = UInt64(10 * index + 2)
            let publisher = try CoreTestClient(
                id: publisherID,
                ufrag: "pub\(index)",
                password: "publisherPassword\(index)0123456"
            )
            let subscriber = try CoreTestClient(
                id: subscriberID,
                ufrag: "sub\(index)",
                password: "subscriberPassword\(index)012345"
            )
            for client in [publisher, subscriber] {
                try service.addTransport(
                    client.id,
                    credentials: client.credentials,
                    fingerprints: [TransportTestIdentities.client.fingerprint],
                    participant: RoutingParticipantID(rawValue: client.id.rawValue),
                    onWorker: worker
                )
            }
            let table = try RoutingTable(
                tracks: [
                    PublishedTrack(
                        id: 1,
                        publisher: RoutingParticipantID(rawValue: publisherID),
                        kind: .audio,
                        mediaSSRC: CoreEndToEndTests.publisherSSRC,
                        payloadTypes: [111]
                    )
                ],
                subscriptions: [
                    TrackSubscription(
                        subscriber: RoutingParticipantID(rawValue: subscriberID),
                        track: 1,
                        mediaSSRC: CoreEndToEndTests.subscriberSSRC,
                        payloadTypes: [111: 109]
                    )
                ]
            )
            try service.installRouting(table, onWorker: worker)
            clients.append((publisher, subscriber, worker))
        }
        #expect(service.loads == [RelayWorkerLoad(rooms: 1, transports: 2), RelayWorkerLoad(rooms: 1, transports: 2)])
        #expect(service.worker(ofTransport: TransportID(11)) == rooms[1])
        #expect(
            eventually(seconds: 2) {
                service.coreCounters(worker: 0)[.transportsAdded] == 2
                    && service.coreCounters(worker: 1)[.transportsAdded] == 2
            }
        )

        for (publisher, subscriber, worker) in clients {
            let relay = service.localAddress(worker: worker)
            try publisher.connect(to: relay, until: deadline)
            try subscriber.connect(to: relay, until: deadline)
            let count = 20
            for index in 0..<count {
                let packet = CoreTestClient.opusPacket(sequence: UInt16(index), timestamp: UInt32(index) * 960)
                #expect(publisher.socket.send(try publisher.peer.protectRTP(packet), to: relay))
            }
            let received = subscriber.receiveRTP(count: count, until: deadline)
            #expect(received.count == count)
            for packet in received {
                let header = try RTPHeader(parsing: try subscriber.peer.unprotectRTP(packet).span)
                #expect(header.ssrc == CoreEndToEndTests.subscriberSSRC)
                #expect(header.payloadType == 109)
            }
            #expect(service.coreCounters(worker: worker)[.rtpForwarded] == UInt64(count))
            #expect(service.statistics(worker: worker).received > UInt64(count))
        }

        // Every transport connected, each reported once; then a removal is reported too.
        let connected = await Self.collect(4, from: service)
        #expect(Set(connected) == Set([1, 2, 11, 12].map { RelayEvent.transportConnected(TransportID($0)) }))
        try service.removeTransport(TransportID(12))
        #expect(service.worker(ofTransport: TransportID(12)) == nil)
        #expect(service.loads[rooms[1]] == RelayWorkerLoad(rooms: 1, transports: 1))
        let closed = await Self.collect(1, from: service)
        #expect(closed == [.transportClosed(TransportID(12), .removed)])
        #expect(service.droppedEventCount == 0)

        service.releaseRoom(onWorker: rooms[0])
        #expect(service.loads[rooms[0]].rooms == 0)
        #expect(service.worker(forNewRoomWith: 1) == rooms[0])
    }

    @Test("run() returns on cancellation, stops the workers, frees the ports and finishes the events")
    func runStopsOnCancellation() async throws {
        let service = try Self.twoWorkers()
        let ports = [service.localAddress(worker: 0), service.localAddress(worker: 1)]
        let running = Task { await service.run() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(eventually(seconds: 2) { service.statistics(worker: 1).iterations > 0 })
        running.cancel()
        await running.value

        // The ports can be bound again: the sockets are closed.
        for address in ports {
            let socket = try RelaySocket(bindingTo: address)
            #expect(socket.localAddress == address)
            socket.close()
        }
        var iterator = service.events.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(throws: RelayServiceError(code: .stopped, message: "")) {
            try service.installRouting(.empty, onWorker: 0)
        }
    }

    @Test("a port range: workers take its free ports in order, skipping ports in use; too few ports is refused")
    func portRange() throws {
        // An occupied port whose two successors are free (retried with other ports if not).
        var attempts = 0
        while attempts < 5 {
            attempts += 1
            let occupied = try RelaySocket(bindingTo: loopback4(0))
            let first = occupied.localAddress.port
            guard first < 65_000 else { continue }
            let service: RelayService
            do {
                service = try RelayService(
                    configuration: RelayService.Configuration(
                        workerCount: 2,
                        ports: .range(first...(first + 2)),
                        identity: TransportTestIdentities.relay
                    )
                )
            } catch let error where error.code == .noFreePort {
                continue  // someone else holds first+1 or first+2: try another
            }
            #expect(service.localAddress(worker: 0) == loopback4(first + 1))
            #expect(service.localAddress(worker: 1) == loopback4(first + 2))
            service.stop()

            // One port for two workers: refused before binding anything.
            #expect(throws: RelayServiceError(code: .invalidConfiguration, message: "")) {
                try RelayService(
                    configuration: RelayService.Configuration(workerCount: 2, ports: .range(first...first))
                )
            }
            // The only port is taken: no free port.
            #expect(throws: RelayServiceError(code: .noFreePort, message: "")) {
                try RelayService(
                    configuration: RelayService.Configuration(
                        workerCount: 1,
                        ports: .range(first...first),
                        identity: TransportTestIdentities.relay
                    )
                )
            }
            occupied.close()
            return
        }
        Issue.record("no free pair of ports next to an ephemeral one in 5 attempts")
    }

    @Test("control calls name a worker that exists; a full inbox refuses with inboxFull")
    func controlErrors() throws {
        let service = try RelayService(
            configuration: RelayService.Configuration(
                workerCount: 1,
                identity: TransportTestIdentities.relay,
                maximumPendingCommands: 1
            )
        )
        defer { service.stop() }
        #expect(throws: RelayServiceError(code: .noSuchWorker, message: "")) {
            try service.installRouting(.empty, onWorker: 1)
        }
        #expect(throws: RelayServiceError(code: .noSuchWorker, message: "")) {
            try service.installRouting(.empty, onWorker: -1)
        }
        // Removing a transport the service never saw queues nothing.
        try service.removeTransport(TransportID(99))
        #expect(service.statistics(worker: 0).commandsApplied == 0)
        // One command may wait: a burst faster than the worker wakes is refused in part, and
        // every accepted command is applied.
        var accepted: UInt64 = 0
        var refused = 0
        for _ in 0..<1000 {
            do {
                try service.installRouting(.empty, onWorker: 0)
                accepted += 1
            } catch let error where error.code == .inboxFull {
                refused += 1
            }
        }
        #expect(refused > 0)
        #expect(accepted > 0)
        #expect(eventually(seconds: 2) { service.statistics(worker: 0).commandsApplied == accepted })
        // Once the worker caught up, commands are accepted again.
        try service.installRouting(.empty, onWorker: 0)
        #expect(eventually(seconds: 2) { service.statistics(worker: 0).commandsApplied == accepted + 1 })
    }
}
