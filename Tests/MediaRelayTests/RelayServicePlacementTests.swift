import MediaRelay
import Testing

@Suite("RelayService: placement and control calls")
struct RelayServicePlacementTests {
    @Test("rooms spread over the workers; a room's transports are counted and applied on its worker only")
    func placement() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 2))
        defer { service.stop() }
        let roomA = service.worker(forNewRoomWith: 1)
        let roomB = service.worker(forNewRoomWith: 1)
        #expect(roomA == 0)
        #expect(roomB == 1)

        for id in UInt64(1)...3 {
            try ServiceFixture.addTransport(service, id, onWorker: roomA)
        }
        #expect(service.loads[roomA] == RelayWorkerLoad(rooms: 1, transports: 3))
        #expect(service.loads[roomB] == RelayWorkerLoad(rooms: 1, transports: 0))
        #expect(service.worker(ofTransport: TransportID(2)) == roomA)
        #expect(service.worker(ofTransport: TransportID(9)) == nil)
        let countersA = service.coreCounters(worker: roomA)
        #expect(await ServiceFixture.waitUntil { countersA[.transportsAdded] == 3 })
        #expect(service.coreCounters(worker: roomB)[.transportsAdded] == 0)

        // Equal room weight: the worker with fewer transports takes the next room.
        let roomC = service.worker(forNewRoomWith: 1)
        #expect(roomC == roomB)
        // A room closes on A: A has the least room weight again.
        service.releaseRoom(load: 1, onWorker: roomA)
        #expect(service.loads[roomA].rooms == 0)
        #expect(service.worker(forNewRoomWith: 3) == roomA)
        #expect(service.loads[roomA].rooms == 3)
        // Releasing more than was placed, or on an unknown worker, does not go negative or trap.
        service.releaseRoom(load: 10, onWorker: roomB)
        service.releaseRoom(load: 1, onWorker: 7)
        #expect(service.loads[roomB].rooms == 0)

        #expect(throws: RelayServiceError(code: .noSuchWorker, message: "")) {
            try ServiceFixture.addTransport(service, 20, onWorker: 2)
        }
        #expect(throws: RelayServiceError(code: .noSuchWorker, message: "")) {
            try service.installRouting(.empty, onWorker: -1)
        }
    }

    @Test("control calls never wait for the worker: a full inbox refuses at once, and accepts again once drained")
    func neverBlocks() async throws {
        var configuration = ServiceFixture.configuration(workers: 1)
        configuration.maximumPendingCommands = 1
        let service = try RelayService(configuration: configuration)
        defer { service.stop() }

        var accepted: UInt64 = 0
        var refused = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<2_000 {
            do throws(RelayServiceError) {
                // A harmless command: removing a transport nobody has.
                try service.submit(.removeTransport(TransportID(99)), toWorker: 0)
                accepted += 1
            } catch {
                #expect(error.code == .inboxFull)
                refused += 1
            }
        }
        let elapsed = clock.now - start
        // One command may wait at a time: submitting 2000 back to back must hit the limit.
        #expect(refused > 0)
        #expect(accepted >= 1)
        #expect(elapsed < .seconds(2))

        #expect(await ServiceFixture.waitUntil { service.statistics(worker: 0).commandsApplied == accepted })
        try service.submit(.removeTransport(TransportID(99)), toWorker: 0)
    }
}

@Suite("RelayService: duplicate transports")
struct RelayServiceDuplicateTests {
    @Test(
        "a duplicate transport id, or a second transport of a participant on one worker, is refused at once; the books stay exact"
    )
    func duplicates() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 2))
        try await ServiceFixture.withEvents(service) { log in
            try await Self.duplicates(service, log)
        }
    }

    static func duplicates(_ service: RelayService, _ log: EventLog) async throws {
        try ServiceFixture.addTransport(service, 1, onWorker: 0)
        // The same id on the other worker: two workers would run it.
        #expect(throws: RelayServiceError(code: .duplicateTransport, message: "")) {
            try ServiceFixture.addTransport(service, 1, onWorker: 1)
        }
        // Participant 1 again on worker 0, under another id: the core would refuse it.
        let again = RelayCore.Command.addTransport(
            id: TransportID(2),
            credentials: ServiceFixture.credentials(2),
            fingerprints: [],
            participant: 1
        )
        #expect(throws: RelayServiceError(code: .duplicateTransport, message: "")) {
            try service.submit(again, toWorker: 0)
        }
        // On the other worker it is another leg of the participant: accepted.
        try service.submit(again, toWorker: 1)
        #expect(service.loads == [RelayWorkerLoad(transports: 1), RelayWorkerLoad(transports: 1)])
        let counters0 = service.coreCounters(worker: 0)
        let counters1 = service.coreCounters(worker: 1)
        #expect(await ServiceFixture.waitUntil { counters0[.transportsAdded] == 1 && counters1[.transportsAdded] == 1 })
        #expect(counters0[.commandsRejected] == 0)
        #expect(counters1[.commandsRejected] == 0)

        // Once removed, the id and the participant are free again; the removal's close event,
        // coming after the new add, does not make the books forget the new transport.
        try service.removeTransport(TransportID(1))
        try ServiceFixture.addTransport(service, 1, onWorker: 0)
        #expect(await ServiceFixture.waitUntil { log.contains(.transportClosed(TransportID(1), .removed)) })
        #expect(await ServiceFixture.waitUntil { counters0[.transportsAdded] == 2 })
        #expect(counters0[.commandsRejected] == 0)
        #expect(service.loads == [RelayWorkerLoad(transports: 1), RelayWorkerLoad(transports: 1)])
        #expect(service.worker(ofTransport: TransportID(1)) == 0)
        // And its own close is counted: removing it empties the worker.
        try service.removeTransport(TransportID(1))
        #expect(service.loads[0] == RelayWorkerLoad())
    }
}
