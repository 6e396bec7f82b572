import Metrics
public import RTCSecurity
import Synchronization

/// The relay as the server runs it: N ``RelayWorker``s each running a ``RelayCore`` on its own
/// UDP socket, one shared DTLS identity, placement of rooms on workers, a control API callable
/// from async code, and one stream of the workers' ``RelayEvent``s.
///
/// ```swift
/// let relay = try RelayService(configuration: .init(address: hostAddress, ports: .range(40000...40100)))
/// let worker = relay.worker(forNewRoomWith: 1)
/// try relay.addTransport(id, credentials: credentials, fingerprints: [fingerprint],
///                        participant: participant, onWorker: worker)
/// try relay.installRouting(table, onWorker: worker)
/// // candidates: relay.localAddress(worker: worker); a=fingerprint: relay.certificateFingerprint
/// try await ServiceGroup(services: [relay, ...], logger: logger).run()
/// ```
///
/// **Lifetime.** `init` binds every socket and starts every worker thread, so addresses are
/// known at once. ``run()`` (the ``Service`` requirement) waits until graceful shutdown or task
/// cancellation, then stops: every worker applies the commands already queued, its thread is
/// joined and its socket closed, and ``events`` finishes. ``stop()`` does the same directly;
/// releasing the service stops its workers too.
///
/// **Control.** Each control call queues a ``RelayCore/Command`` for one worker and returns; the
/// worker applies it between two read batches. Calls never wait for the worker: they throw
/// ``RelayServiceError/Code/inboxFull`` when the worker already has
/// ``Configuration/maximumPendingCommands`` commands waiting, and
/// ``RelayServiceError/Code/stopped`` after a stop. Whether a command was *accepted* by the core
/// (a duplicate transport id is refused, say) shows in its counters
/// (``RelayCoreCounters/Counter/commandsRejected``), and a transport that connects or closes is
/// reported in ``events``.
///
/// **Placement.** The service counts, per worker, the weight of the rooms placed on it and the
/// transports added through it (a transport leaves the count when removed or reported closed).
/// ``worker(forNewRoomWith:)`` picks the worker with the least room weight, then the fewest
/// transports, then the lowest index. Everything of one room (its transports, its routing
/// table) must go to the worker it was placed on: the workers share nothing.
public final class RelayService: Sendable {
    /// The settings the service was started with (``Configuration/identity`` is the identity in
    /// use, generated or given).
    public let configuration: Configuration
    /// The DTLS context every worker's transports share.
    public let dtlsContext: DTLSContext
    /// The events of every worker, merged, in the order each worker produced them (events of
    /// different workers interleave in no guaranteed order). For one consumer: iterate it once.
    /// It buffers at most ``Configuration/eventBufferSize`` events; when its consumer falls that
    /// far behind, the oldest buffered event is dropped and counted in ``droppedEventCount``.
    /// It finishes when the service stops.
    public let events: AsyncStream<RelayEvent>

    let workers: [RelayWorker<RelayCore>]
    let coreCounters: [RelayCoreCounters]
    let state: RelayServiceState
    let metrics: RelayServiceMetrics
    private let eventContinuation: AsyncStream<RelayEvent>.Continuation

    /// Binds a socket per worker, makes the DTLS context and starts the workers.
    ///
    /// - Throws: ``RelayServiceError``: ``RelayServiceError/Code/invalidConfiguration`` (with the
    ///   setting named), ``RelayServiceError/Code/noFreePort`` when the port range has no free
    ///   port left for a worker, ``RelayServiceError/Code/startFailed`` when a socket, the
    ///   identity, the DTLS context or a thread could not be made. Workers already started are
    ///   stopped (and their sockets closed) before it throws.
    public init(configuration: Configuration = Configuration()) throws(RelayServiceError) {
        if let problem = configuration.validate() {
            throw RelayServiceError(code: .invalidConfiguration, message: problem)
        }
        let identity: DTLSIdentity
        let context: DTLSContext
        do throws(DTLSError) {
            if let given = configuration.identity {
                identity = given
            } else {
                identity = try DTLSIdentity.generate(commonName: "parley")
            }
            context = try DTLSContext(identity: identity, configuration: configuration.dtls)
        } catch {
            throw RelayServiceError(
                code: .startFailed,
                message: "the DTLS identity or context could not be made: \(error)"
            )
        }
        var resolved = configuration
        resolved.identity = identity
        let metrics = RelayServiceMetrics(
            workerCount: configuration.workerCount,
            factory: configuration.metricsFactory ?? MetricsSystem.factory,
            start: RelayTime.monotonicNow()
        )

        let state = RelayServiceState(workerCount: configuration.workerCount)
        let (events, continuation) = AsyncStream.makeStream(
            of: RelayEvent.self,
            bufferingPolicy: .bufferingNewest(configuration.eventBufferSize)
        )
        func sink(worker: Int) -> RelayEventSink {
            RelayEventSink { event in
                state.note(event, worker: worker)
                if case .dropped = continuation.yield(event) {
                    state.droppedEvents.wrappingAdd(1, ordering: .relaxed)
                }
            }
        }
        // Sender reports carry NTP time: anchor the monotonic clock to the real-time one now.
        var coreTemplate = configuration.core
        if coreTemplate.rtcpPolicy.ntpTimeAtZero == 0 {
            coreTemplate.rtcpPolicy.ntpTimeAtZero = Self.ntpTimeAtMonotonicZero()
        }

        var workers: [RelayWorker<RelayCore>] = []
        var counters: [RelayCoreCounters] = []
        var ports = RelayServicePortAllocator(choice: configuration.ports)
        func abandon(_ error: RelayServiceError) -> RelayServiceError {
            for worker in workers {
                worker.stop()
            }
            continuation.finish()
            return error
        }
        for index in 0..<configuration.workerCount {
            do throws(RelayServiceError) {
                let socket = try ports.bindNext(configuration.address, options: configuration.socketOptions)
                var coreConfiguration = coreTemplate
                coreConfiguration.events = sink(worker: index)
                let coreCounters = RelayCoreCounters()
                let core: RelayCore
                do throws(STUNIntegrityError) {
                    core = try RelayCore(dtlsContext: context, configuration: coreConfiguration, counters: coreCounters)
                } catch {
                    socket.close()
                    throw RelayServiceError(code: .startFailed, message: "worker \(index): \(error)")
                }
                var workerConfiguration = configuration.worker
                workerConfiguration.name = "\(configuration.worker.name)-\(index)"
                if configuration.pinsWorkers {
                    workerConfiguration.cpu = index % Self.availableProcessorCount
                }
                let worker: RelayWorker<RelayCore>
                do throws(RelayIOError) {
                    worker = try RelayWorker(sockets: [socket], handler: core, configuration: workerConfiguration)
                } catch {
                    throw RelayServiceError(code: .startFailed, message: "worker \(index) did not start: \(error)")
                }
                workers.append(worker)
                counters.append(coreCounters)
            } catch {
                throw abandon(error)
            }
        }

        self.configuration = resolved
        self.dtlsContext = context
        self.events = events
        self.eventContinuation = continuation
        self.workers = workers
        self.coreCounters = counters
        self.state = state
        self.metrics = metrics
    }

    deinit {
        self.stop()
    }

    // MARK: - What the server advertises

    /// The SHA-256 fingerprint of the relay's certificate, for `a=fingerprint:` in every answer
    /// (``DTLSFingerprint/sdpValue``).
    public var certificateFingerprint: DTLSFingerprint {
        self.dtlsContext.identity.fingerprint
    }

    /// How many workers run.
    public var workerCount: Int {
        self.workers.count
    }

    /// The address and port worker `worker`'s socket is bound to: the host candidate of every
    /// transport placed there.
    ///
    /// - Precondition: `worker` is in `0..<workerCount` (another index traps).
    public func localAddress(worker: Int) -> RelayAddress {
        self.workers[worker].localAddresses[0]
    }

    // MARK: - Placement

    /// Chooses the worker for a new room and counts the room on it with weight `load` (1 for
    /// an ordinary room; a room expected to be large may weigh more). Release it with
    /// ``releaseRoom(load:onWorker:)`` when the room closes.
    ///
    /// - Returns: the worker with the least room weight, then the fewest transports, then the
    ///   lowest index.
    public func worker(forNewRoomWith load: Int = 1) -> Int {
        self.state.books.withLock { books in
            var best = 0
            for index in books.loads.indices.dropFirst() {
                let candidate = books.loads[index]
                let current = books.loads[best]
                if (candidate.rooms, candidate.transports) < (current.rooms, current.transports) {
                    best = index
                }
            }
            books.loads[best].rooms += max(0, load)
            return best
        }
    }

    /// Takes a closed room's weight off its worker (an unknown worker index is ignored).
    public func releaseRoom(load: Int = 1, onWorker worker: Int) {
        self.state.books.withLock { books in
            guard books.loads.indices.contains(worker) else { return }
            books.loads[worker].rooms = max(0, books.loads[worker].rooms - max(0, load))
        }
    }

    /// Every worker's load, by index.
    public var loads: [RelayWorkerLoad] {
        self.state.books.withLock { $0.loads }
    }

    /// The worker a transport was added to, if it is still open as far as the service knows.
    public func worker(ofTransport id: TransportID) -> Int? {
        self.state.books.withLock { $0.placements[id]?.worker }
    }

    // MARK: - Control

    /// Opens a transport on `worker` (see ``RelayCore/Command/addTransport(id:credentials:fingerprints:participant:)``).
    ///
    /// - Throws: ``RelayServiceError`` with ``RelayServiceError/Code/noSuchWorker``,
    ///   ``RelayServiceError/Code/inboxFull``, ``RelayServiceError/Code/stopped``, or
    ///   ``RelayServiceError/Code/duplicateTransport`` when the id is open on some worker or
    ///   the participant has a transport on this one (the worker would refuse it).
    public func addTransport(
        _ id: TransportID,
        credentials: ICECredentials,
        fingerprints: [DTLSFingerprint],
        participant: RoutingParticipantID,
        onWorker worker: Int
    ) throws(RelayServiceError) {
        try self.submit(
            .addTransport(id: id, credentials: credentials, fingerprints: fingerprints, participant: participant),
            toWorker: worker
        )
    }

    /// Closes a transport on the worker it was added to (DTLS `close_notify` if connected).
    /// A transport the service does not know (already closed, say) is ignored.
    ///
    /// - Throws: ``RelayServiceError`` with ``RelayServiceError/Code/inboxFull`` or
    ///   ``RelayServiceError/Code/stopped``.
    public func removeTransport(_ id: TransportID) throws(RelayServiceError) {
        guard let worker = self.worker(ofTransport: id) else { return }
        try self.submit(.removeTransport(id), toWorker: worker)
    }

    /// Replaces `worker`'s routing table: it must hold every track and subscription of the
    /// rooms placed on that worker.
    ///
    /// - Throws: ``RelayServiceError`` with ``RelayServiceError/Code/noSuchWorker``,
    ///   ``RelayServiceError/Code/inboxFull`` or ``RelayServiceError/Code/stopped``.
    public func installRouting(_ table: RoutingTable, onWorker worker: Int) throws(RelayServiceError) {
        try self.submit(.installRouting(table), toWorker: worker)
    }

    /// Queues any command for `worker`'s core (the specific calls above use it). The service
    /// keeps its transport books from the commands it passes: an added transport counts on the
    /// worker until removed or reported closed.
    ///
    /// - Throws: ``RelayServiceError`` with ``RelayServiceError/Code/noSuchWorker`` for an index
    ///   outside `0..<workerCount`, ``RelayServiceError/Code/inboxFull`` when the worker has
    ///   ``Configuration/maximumPendingCommands`` commands waiting (the command is not queued),
    ///   ``RelayServiceError/Code/stopped`` once the service or the worker stopped,
    ///   ``RelayServiceError/Code/duplicateTransport`` for an `addTransport` the worker would
    ///   refuse as a duplicate (see ``addTransport(_:credentials:fingerprints:participant:onWorker:)``).
    public func submit(_ command: RelayCore.Command, toWorker worker: Int) throws(RelayServiceError) {
        guard self.workers.indices.contains(worker) else {
            throw RelayServiceError(
                code: .noSuchWorker,
                message: "worker \(worker) does not exist: use 0..<\(self.workers.count)"
            )
        }
        let target = self.workers[worker]
        let limit = UInt64(self.configuration.maximumPendingCommands)
        try self.state.books.withLock { books throws(RelayServiceError) in
            guard !books.stopped else {
                throw RelayServiceError(code: .stopped, message: "the relay service has stopped")
            }
            // Applied commands are published by the worker thread; what it has not applied yet
            // is still waiting in its inbox.
            let pending = books.submitted[worker] &- target.statistics.commandsApplied
            guard pending < limit else {
                throw RelayServiceError(
                    code: .inboxFull,
                    message: "worker \(worker) has \(pending) commands waiting: it is not keeping up; retry later"
                )
            }
            if case .addTransport(let id, _, _, let participant) = command {
                try RelayServiceState.checkNew(id, participant: participant, onWorker: worker, in: books)
            }
            guard target.submit(command) else {
                throw RelayServiceError(code: .stopped, message: "worker \(worker) has stopped")
            }
            books.submitted[worker] &+= 1
            switch command {
            case .addTransport(let id, _, _, let participant):
                RelayServiceState.record(id, participant: participant, onWorker: worker, in: &books)
            case .removeTransport(let id):
                RelayServiceState.remove(id, in: &books)
            default:
                break
            }
        }
    }

    // MARK: - Inspection

    /// Worker `worker`'s core counters (ICE, DTLS, RTP and RTCP counts, drops).
    ///
    /// - Precondition: `worker` is in `0..<workerCount`.
    public func coreCounters(worker: Int) -> RelayCoreCounters {
        self.coreCounters[worker]
    }

    /// Worker `worker`'s I/O statistics (datagrams and bytes in and out, loop iterations).
    ///
    /// - Precondition: `worker` is in `0..<workerCount`.
    public func statistics(worker: Int) -> RelayWorkerStatistics {
        self.workers[worker].statistics
    }

    /// Events dropped because the consumer of ``events`` fell behind.
    public var droppedEventCount: UInt64 {
        self.state.droppedEvents.load(ordering: .relaxed)
    }

    /// Publishes every worker's counters to swift-metrics now (``run()`` does it every
    /// ``Configuration/metricsInterval``): counters are incremented by what changed since the
    /// last call, gauges set. Safe from any thread; the workers are never interrupted.
    public func publishMetrics() {
        let failedHandshakes = self.state.books.withLock { $0.failedHandshakes }
        self.metrics.update(
            workers: self.workers.map(\.statistics),
            cores: self.coreCounters.map { $0.snapshot() },
            failedHandshakes: failedHandshakes,
            droppedEvents: self.droppedEventCount,
            now: RelayTime.monotonicNow()
        )
    }

    // MARK: - Stopping

    /// Stops every worker (applying the commands already queued), joins the threads, closes
    /// the sockets and finishes ``events``. Blocks the caller for the joins (a worker wakes at
    /// once, so this is short). Calling it again does nothing.
    public func stop() {
        self.state.books.withLock { books in
            books.stopped = true
        }
        // RelayWorker.stop() is idempotent and waits for a join in progress, so a second
        // caller returns only once every worker has stopped.
        for worker in self.workers {
            worker.stop()
        }
        self.eventContinuation.finish()
    }
}
