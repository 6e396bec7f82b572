internal import Glibc
public import Metrics
public import RTCSecurity

extension RelayService {
    /// Which UDP ports the workers' sockets bind.
    public enum PortChoice: Sendable, Hashable {
        /// The kernel picks a free port for each worker.
        case ephemeral
        /// Worker `i` takes the `i`-th port of the range that is free (ports in use are
        /// skipped). One port (`5000...5000`) suits a single worker.
        case range(ClosedRange<UInt16>)
    }

    /// How a ``RelayService`` runs: how many workers, where they listen, the DTLS identity and
    /// the settings handed to each worker and core.
    public struct Configuration: Sendable {
        /// Workers to start, at least 1. Default: the CPUs this process may run on.
        public var workerCount: Int
        /// The local address every worker's socket binds (its port is ignored: see ``ports``).
        /// Default `127.0.0.1`; a server reachable from elsewhere binds a host address (or
        /// `0.0.0.0`, advertising a host address in its candidates).
        public var address: RelayAddress
        /// Which ports the sockets bind.
        public var ports: PortChoice
        /// Socket buffer sizes and options.
        public var socketOptions: RelaySocket.Options
        /// Batch sizes and limits of every worker; each worker's thread is named
        /// `<name>-<index>` (cut to the kernel's 15 bytes).
        public var worker: RelayWorkerConfiguration
        /// Pin worker `i` to CPU `i` (modulo the CPU count). Off by default: pinning helps a
        /// dedicated machine and hurts a shared one.
        public var pinsWorkers: Bool
        /// Settings of every worker's ``RelayCore``. Its `events` sink is replaced by the
        /// service's own (see ``RelayService/events``).
        public var core: RelayCoreConfiguration
        /// The certificate and key the relay presents in DTLS; nil generates a fresh one at
        /// start (ECDSA P-256, valid 30 days), which is what WebRTC expects of a server that
        /// announces its fingerprint in SDP.
        public var identity: DTLSIdentity?
        /// The shared DTLS context's settings (SRTP profiles, MTU, retransmission timers).
        public var dtls: DTLSContext.Configuration
        /// Commands a worker may have waiting before control calls for it fail with
        /// ``RelayServiceError/Code/inboxFull`` (at least 1).
        public var maximumPendingCommands: Int
        /// Events buffered for the consumer of ``RelayService/events``; when it is full the
        /// oldest buffered event is dropped for the new one and counted (at least 1).
        public var eventBufferSize: Int
        /// How often ``RelayService/run()`` publishes the workers' counters to swift-metrics
        /// (at least 1 ms).
        public var metricsInterval: Duration
        /// Where the metrics go; nil uses `MetricsSystem.factory` (whatever the process
        /// bootstrapped, by default nothing).
        public var metricsFactory: (any MetricsFactory)?

        /// The defaults: one worker per CPU, 127.0.0.1 on ephemeral ports, a generated
        /// identity, 1024 pending commands per worker, 4096 buffered events, metrics every
        /// second to the global factory.
        public init(
            workerCount: Int = RelayService.availableProcessorCount,
            address: RelayAddress = RelayAddress(ipv4: 0x7F00_0001, port: 0),
            ports: PortChoice = .ephemeral,
            socketOptions: RelaySocket.Options = RelaySocket.Options(),
            worker: RelayWorkerConfiguration = RelayWorkerConfiguration(),
            pinsWorkers: Bool = false,
            core: RelayCoreConfiguration = RelayCoreConfiguration(),
            identity: DTLSIdentity? = nil,
            dtls: DTLSContext.Configuration = DTLSContext.Configuration(),
            maximumPendingCommands: Int = 1024,
            eventBufferSize: Int = 4096,
            metricsInterval: Duration = .seconds(1),
            metricsFactory: (any MetricsFactory)? = nil
        ) {
            self.workerCount = workerCount
            self.address = address
            self.ports = ports
            self.socketOptions = socketOptions
            self.worker = worker
            self.pinsWorkers = pinsWorkers
            self.core = core
            self.identity = identity
            self.dtls = dtls
            self.maximumPendingCommands = maximumPendingCommands
            self.eventBufferSize = eventBufferSize
            self.metricsInterval = metricsInterval
            self.metricsFactory = metricsFactory
        }

        /// Names the first setting that cannot work, or nil when all can.
        public func validate() -> String? {
            if self.workerCount < 1 {
                return "workerCount must be at least 1 (got \(self.workerCount))"
            }
            if case .range(let range) = self.ports {
                if range.lowerBound == 0 {
                    return "a port range must not include port 0: use .ephemeral for kernel-chosen ports"
                }
                if range.count < self.workerCount {
                    return
                        "the port range \(range.lowerBound)...\(range.upperBound) has \(range.count) ports for \(self.workerCount) workers: widen it or use fewer workers"
                }
            }
            if self.maximumPendingCommands < 1 {
                return "maximumPendingCommands must be at least 1 (got \(self.maximumPendingCommands))"
            }
            if self.eventBufferSize < 1 {
                return "eventBufferSize must be at least 1 (got \(self.eventBufferSize))"
            }
            if self.metricsInterval < .milliseconds(1) {
                return "metricsInterval must be at least 1 ms (got \(self.metricsInterval))"
            }
            return self.worker.validate()
        }
    }

    /// The CPUs online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1: the default worker count.
    public static var availableProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
