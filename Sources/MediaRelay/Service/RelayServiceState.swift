import Synchronization

/// The service's bookkeeping, shared by the control calls (any thread) and the event sinks
/// (worker threads): placement loads, which worker holds each transport, and how many commands
/// each worker was given. Everything is behind one lock, taken per control call or event, never
/// per packet.
final class RelayServiceState: Sendable {
    /// Where an open transport is: its worker and the participant it carries.
    struct Placement: Hashable {
        var worker: Int
        var participant: RoutingParticipantID
    }

    struct Books {
        var loads: [RelayWorkerLoad]
        var placements: [TransportID: Placement] = [:]
        /// The placements above as a set: a participant has at most one transport per worker.
        var placedParticipants: Set<Placement> = []
        /// Removals submitted whose `transportClosed` event has not come back yet, per id. The
        /// books forget a transport when its removal is submitted; the event that follows must
        /// not make them forget a new transport added meanwhile under the same id.
        var pendingRemovals: [TransportID: Int] = [:]
        /// Commands queued per worker since start (compared with what the worker applied).
        var submitted: [UInt64]
        /// Per worker: transports closed because their DTLS handshake failed.
        var failedHandshakes: [UInt64]
        var stopped = false
    }

    let books: Mutex<Books>
    /// Events dropped because the consumer of the event stream fell behind.
    let droppedEvents = Atomic<UInt64>(0)

    init(workerCount: Int) {
        self.books = Mutex(
            Books(
                loads: [RelayWorkerLoad](repeating: RelayWorkerLoad(), count: workerCount),
                submitted: [UInt64](repeating: 0, count: workerCount),
                failedHandshakes: [UInt64](repeating: 0, count: workerCount)
            )
        )
    }

    /// Keeps the books in step with what a worker reported (on the worker thread).
    func note(_ event: RelayEvent, worker: Int) {
        guard case .transportClosed(let id, let reason) = event else { return }
        self.books.withLock { books in
            if let pending = books.pendingRemovals[id] {
                // The close of a transport already forgotten at its removal (or one that closed
                // on its own just before): whatever holds the id now stays on the books.
                books.pendingRemovals[id] = pending > 1 ? pending - 1 : nil
            } else {
                Self.forget(id, in: &books)
            }
            if case .dtlsFailed = reason {
                books.failedHandshakes[worker] &+= 1
            }
        }
    }

    /// Refuses a transport the worker's core would refuse for being a duplicate, so that the
    /// books never count a transport that does not exist (the core's refusal reaches nobody):
    /// an id that is open anywhere (two workers would run it, and removal would reach one), or
    /// a participant that already has a transport on that worker.
    ///
    /// - Throws: ``RelayServiceError/Code/duplicateTransport``.
    static func checkNew(
        _ id: TransportID,
        participant: RoutingParticipantID,
        onWorker worker: Int,
        in books: Books
    ) throws(RelayServiceError) {
        if let existing = books.placements[id] {
            throw RelayServiceError(
                code: .duplicateTransport,
                message:
                    "transport \(id) is already open on worker \(existing.worker): remove it first or use another id"
            )
        }
        if books.placedParticipants.contains(Placement(worker: worker, participant: participant)) {
            throw RelayServiceError(
                code: .duplicateTransport,
                message:
                    "participant \(participant.rawValue) already has a transport on worker \(worker): remove it first"
            )
        }
    }

    /// Records a transport placed on `worker` (checked with ``checkNew(_:participant:onWorker:in:)``).
    static func record(
        _ id: TransportID,
        participant: RoutingParticipantID,
        onWorker worker: Int,
        in books: inout Books
    ) {
        let placement = Placement(worker: worker, participant: participant)
        books.placements[id] = placement
        books.placedParticipants.insert(placement)
        books.loads[worker].transports += 1
    }

    /// Forgets a transport whose removal is being submitted, and expects its close event.
    static func remove(_ id: TransportID, in books: inout Books) {
        guard books.placements[id] != nil else { return }
        Self.forget(id, in: &books)
        books.pendingRemovals[id, default: 0] += 1
    }

    /// Forgets a transport (removed or closed); unknown ids are ignored.
    static func forget(_ id: TransportID, in books: inout Books) {
        if let placement = books.placements.removeValue(forKey: id) {
            books.placedParticipants.remove(placement)
            books.loads[placement.worker].transports -= 1
        }
    }
}
