import MediaRelay
import RTCSecurity
import Synchronization
import Testing

/// What the RelayService tests share: a configuration, credentials, and a log of the events.
enum ServiceFixture {
    /// `workers` workers on 127.0.0.1 (ephemeral ports) with the test relay identity, so that
    /// the Transport tests' peers accept it.
    static func configuration(workers: Int = 2) -> RelayService.Configuration {
        var configuration = RelayService.Configuration(workerCount: workers)
        configuration.identity = TransportTestIdentities.relay
        configuration.metricsInterval = .milliseconds(20)
        return configuration
    }

    /// ICE credentials for transport `id`.
    static func credentials(_ id: UInt64) -> ICECredentials {
        ICECredentials(
            transport: TransportID(id),
            localUfrag: "svc\(id)",
            localPassword: "servicePassword\(id)x0123456789ab",
            remoteUfrag: "peer\(id)"
        )
    }

    /// Adds transport `id` for participant `id`, expecting the test client's certificate.
    static func addTransport(_ service: RelayService, _ id: UInt64, onWorker worker: Int) throws {
        try service.addTransport(
            TransportID(id),
            credentials: Self.credentials(id),
            fingerprints: [TransportTestIdentities.client.fingerprint],
            participant: RoutingParticipantID(rawValue: id),
            onWorker: worker
        )
    }

    /// Polls `condition` every 5 ms (sleeping, not blocking the thread) for up to `seconds`.
    static func waitUntil(seconds: Int = 20, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
        while ContinuousClock.now < deadline {
            if condition() {
                return true
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    /// Runs `body` while a child task collects `service.events` into the log; stops the service
    /// afterwards (which ends the stream and the collector).
    static func withEvents(
        _ service: RelayService,
        _ body: (EventLog) async throws -> Void
    ) async throws {
        let log = EventLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in service.events {
                    log.append(event)
                }
            }
            do {
                try await body(log)
            } catch {
                service.stop()
                throw error
            }
            service.stop()
            try await group.waitForAll()
        }
    }
}

/// The events a collector task saw, readable from the test.
final class EventLog: Sendable {
    private let events = Mutex<[RelayEvent]>([])

    func append(_ event: RelayEvent) {
        self.events.withLock { $0.append(event) }
    }

    func contains(_ event: RelayEvent) -> Bool {
        self.events.withLock { $0.contains(event) }
    }

    var all: [RelayEvent] {
        self.events.withLock { $0 }
    }
}

@Suite("RelayService: a client connects over loopback and is removed")
struct RelayServiceConnectionTests {
    @Test(
        "addTransport, then ICE, DTLS and SRTP with a real client: connected event; removeTransport: closed event, state freed"
    )
    func connectAndRemove() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 2))
        try await ServiceFixture.withEvents(service) { log in
            let worker = 1
            let client = try CoreTestClient(id: 7, ufrag: "svc7", password: "servicePassword7x0123456789ab")
            try ServiceFixture.addTransport(service, 7, onWorker: worker)
            let counters = service.coreCounters(worker: worker)
            #expect(await ServiceFixture.waitUntil { counters[.transportsAdded] == 1 })

            let deadline = RelayTime.monotonicNow().adding(milliseconds: 9_000)
            try client.connect(to: service.localAddress(worker: worker), until: deadline)
            let connected = RelayEvent.transportConnected(client.id)
            #expect(await ServiceFixture.waitUntil { log.contains(connected) })
            #expect(counters[.transportsConnected] == 1)
            // The other worker saw nothing of it.
            #expect(service.coreCounters(worker: 0)[.transportsAdded] == 0)
            #expect(service.worker(ofTransport: client.id) == worker)
            #expect(service.loads[worker].transports == 1)

            try service.removeTransport(client.id)
            let closed = RelayEvent.transportClosed(client.id, .removed)
            #expect(await ServiceFixture.waitUntil { log.contains(closed) })
            #expect(counters[.transportsClosed] == 1)
            #expect(service.worker(ofTransport: client.id) == nil)
            #expect(service.loads[worker].transports == 0)
            // Removing it again is a no-op, not an error.
            try service.removeTransport(client.id)

            // Its id, participant and credentials are free again: the worker accepts them anew.
            try ServiceFixture.addTransport(service, 7, onWorker: worker)
            #expect(await ServiceFixture.waitUntil { counters[.transportsAdded] == 2 })
            #expect(counters[.commandsRejected] == 0)
        }
    }
}
