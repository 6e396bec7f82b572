import Logging
import MediaRelay
import ServiceLifecycle
import Testing

@Suite("RelayService: starting and stopping")
struct RelayServiceLifecycleTests {
    /// Whether a socket can be bound to `address` now (and releases it at once).
    static func canBind(_ address: RelayAddress) -> Bool {
        do throws(RelayIOError) {
            let socket = try RelaySocket(bindingTo: address)
            socket.close()
            return true
        } catch {
            return false
        }
    }

    /// Whether `events` finishes within `seconds`.
    static func finishes(_ events: AsyncStream<RelayEvent>, within seconds: Int) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in events {}
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first: Bool = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Checks what a stopped service must show: control calls refused, ports free, events done.
    static func expectStopped(_ service: RelayService, ports: [RelayAddress]) async {
        #expect(throws: RelayServiceError(code: .stopped, message: "")) {
            try ServiceFixture.addTransport(service, 1, onWorker: 0)
        }
        #expect(throws: RelayServiceError(code: .stopped, message: "")) {
            try service.installRouting(.empty, onWorker: 0)
        }
        for port in ports {
            #expect(Self.canBind(port))
        }
        #expect(await Self.finishes(service.events, within: 5))
    }

    @Test("two workers on distinct ephemeral ports; run() in a task group returns on cancellation and stops them")
    func runUntilCancelled() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 2))
        #expect(service.workerCount == 2)
        let ports: [RelayAddress] = [service.localAddress(worker: 0), service.localAddress(worker: 1)]
        #expect(ports[0].port != 0)
        #expect(ports[1].port != 0)
        #expect(ports[0] != ports[1])
        // While it runs, its ports are taken and control calls are accepted.
        #expect(!Self.canBind(ports[0]))
        try service.installRouting(.empty, onWorker: 1)

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await service.run()
            }
            // Let it publish a few times, then cancel.
            #expect(await ServiceFixture.waitUntil { service.statistics(worker: 1).commandsApplied == 1 })
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
            await group.waitForAll()
        }
        await Self.expectStopped(service, ports: ports)
        // stop() again does nothing more.
        service.stop()
    }

    @Test("in a ServiceGroup, graceful shutdown ends run() without error and stops the workers")
    func gracefulShutdown() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 2))
        let ports: [RelayAddress] = [service.localAddress(worker: 0), service.localAddress(worker: 1)]
        let configuration = ServiceGroupConfiguration(
            services: [service],
            logger: Logger(label: "parley.test.relay")
        )
        let serviceGroup = ServiceGroup(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await serviceGroup.run()
            }
            try ServiceFixture.addTransport(service, 1, onWorker: 0)
            #expect(await ServiceFixture.waitUntil { service.coreCounters(worker: 0)[.transportsAdded] == 1 })
            await serviceGroup.triggerGracefulShutdown()
            // A service that returned before shutdown would make run() throw.
            try await group.waitForAll()
        }
        await Self.expectStopped(service, ports: ports)
    }

    @Test("stop() applies the commands already queued, and a stopped service refuses new ones")
    func stopDirectly() async throws {
        let service = try RelayService(configuration: ServiceFixture.configuration(workers: 1))
        let ports: [RelayAddress] = [service.localAddress(worker: 0)]
        for id in UInt64(1)...5 {
            try ServiceFixture.addTransport(service, id, onWorker: 0)
        }
        service.stop()
        #expect(service.coreCounters(worker: 0)[.transportsAdded] == 5)
        await Self.expectStopped(service, ports: ports)
    }
}
