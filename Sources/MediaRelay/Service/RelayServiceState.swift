import Synchronization

/// The service's bookkeeping, shared by the control calls (any thread) and the event sinks
/// (worker threads): placement loads, which worker holds each transport, and how many commands
/// each worker was given. Everything is behind one lock, taken per control call or event, never
/// per packet.
final class RelayServiceState: Sendable {
    struct Books {
        var loads: [RelayWorkerLoad]
        var workerOfTransport: [TransportID: Int] = [:]
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
            Self.forget(id, in: &books)
            if case .dtlsFailed = reason {
                books.failedHandshakes[worker] &+= 1
            }
        }
    }

    /// Records a transport placed on `worker`.
    static func record(_ id: TransportID, onWorker worker: Int, in books: inout Books) {
        if let previous = books.workerOfTransport.updateValue(worker, forKey: id) {
            books.loads[previous].transports -= 1
        }
        books.loads[worker].transports += 1
    }

    /// Forgets a transport (removed or closed); unknown ids are ignored.
    static func forget(_ id: TransportID, in books: inout Books) {
        if let worker = books.workerOfTransport.removeValue(forKey: id) {
            books.loads[worker].transports -= 1
        }
    }
}
