import MediaRelay
import Testing

@Suite("RelayService: ports")
struct RelayServicePortTests {
    /// A socket on an ephemeral loopback port whose predecessor port was free a moment ago (a
    /// few tries), held by the caller.
    static func heldPortWithFreePredecessor() throws -> RelaySocket {
        for _ in 0..<10 {
            let held = try RelaySocket(bindingTo: loopback4(0))
            let port = held.localAddress.port
            if port > 1024, RelayServiceLifecycleTests.canBind(loopback4(port - 1)) {
                return held
            }
            held.close()
        }
        throw PeerError(description: "no ephemeral port with a free predecessor")
    }

    static func configuration(workers: Int, ports: RelayService.PortChoice) -> RelayService.Configuration {
        var configuration = ServiceFixture.configuration(workers: workers)
        configuration.ports = ports
        return configuration
    }

    @Test("a port range: ports in use are skipped")
    func rangeSkipsPortsInUse() throws {
        let held = try RelaySocket(bindingTo: loopback4(0))
        defer { held.close() }
        let port = held.localAddress.port
        try #require(port < 65_000)
        let service = try RelayService(configuration: Self.configuration(workers: 1, ports: .range(port...port + 8)))
        defer { service.stop() }
        let bound = service.localAddress(worker: 0).port
        #expect(bound > port)
        #expect(bound <= port + 8)
    }

    @Test("a range with no free port left fails with noFreePort")
    func exhausted() throws {
        let held = try RelaySocket(bindingTo: loopback4(0))
        defer { held.close() }
        let port = held.localAddress.port
        let configuration = Self.configuration(workers: 1, ports: .range(port...port))
        #expect(throws: RelayServiceError(code: .noFreePort, message: "")) {
            _ = try RelayService(configuration: configuration)
        }
    }

    @Test("when the second worker finds no port, the first worker's port is released")
    func exhaustedAfterFirstWorker() throws {
        let held = try Self.heldPortWithFreePredecessor()
        defer { held.close() }
        let port = held.localAddress.port
        let configuration = Self.configuration(workers: 2, ports: .range(port - 1...port))
        #expect(throws: RelayServiceError(code: .noFreePort, message: "")) {
            _ = try RelayService(configuration: configuration)
        }
        #expect(RelayServiceLifecycleTests.canBind(loopback4(port - 1)))
    }

    @Test("a range smaller than the worker count, or holding port 0, is an invalid configuration")
    func invalidRanges() throws {
        let tooSmall = Self.configuration(workers: 3, ports: .range(40_000...40_001))
        #expect(throws: RelayServiceError(code: .invalidConfiguration, message: "")) {
            _ = try RelayService(configuration: tooSmall)
        }
        let zero = Self.configuration(workers: 1, ports: .range(0...10))
        #expect(throws: RelayServiceError(code: .invalidConfiguration, message: "")) {
            _ = try RelayService(configuration: zero)
        }
        let noWorker = Self.configuration(workers: 0, ports: .ephemeral)
        #expect(throws: RelayServiceError(code: .invalidConfiguration, message: "")) {
            _ = try RelayService(configuration: noWorker)
        }
    }
}
