internal import CRelaySocket
internal import Glibc
import Synchronization

/// One relay worker: a dedicated thread running a plain POSIX loop over its UDP sockets and one
/// ``RelayDatagramHandler``.
///
/// Each loop iteration waits (epoll) for input on the sockets or on an eventfd, at most until
/// the handler's ``RelayDatagramHandler/nextDeadline``; applies the queued commands; reads
/// batches (`recvmmsg`, datagrams over the size limit dropped and counted) and hands each
/// datagram to the handler; flushes the handler's sends (`sendmmsg`) once per read batch; and
/// runs the handler's timers when due. Nothing on that path locks, awaits or allocates.
///
/// The worker takes its sockets and handler with `sending`: from then on only its thread touches
/// them. The control plane talks to it through ``submit(_:)`` and reads ``statistics``; both are
/// safe from any thread. ``stop()`` (or releasing the worker) ends the loop, joins the thread and
/// closes every descriptor the worker owns, its sockets included.
///
/// ```swift
/// let socket = try RelaySocket(bindingTo: RelayAddress(ipv4: 0x7F00_0001, port: 0))
/// let worker = try RelayWorker(sockets: [socket], handler: ForwardingHandler(destinations: sinks))
/// worker.submit(.replaceDestinations(others))
/// worker.stop()
/// ```
public final class RelayWorker<Handler: RelayDatagramHandler>: Sendable {
    /// The addresses the worker's sockets are bound to, in the order they were given.
    public let localAddresses: [RelayAddress]
    /// The configuration the worker runs with.
    public let configuration: RelayWorkerConfiguration

    private let inbox: RelayWorkerInbox<Handler.Command>
    private let counters: RelayWorkerCounters
    // The running thread, nil once joined. stop() holds the lock while joining, so a second
    // caller waits for the first one's join instead of returning early.
    private let thread: Mutex<pthread_t?>
    // Every descriptor the worker owns (sockets, epoll, eventfd), for tests that check they
    // were closed.
    private let ownedDescriptors: [Int32]

    /// Starts a worker thread that owns `sockets` and `handler`.
    ///
    /// - Parameters:
    ///   - sockets: one or more open sockets (an IPv4 and an IPv6 one, say); the worker closes
    ///     them when it stops.
    ///   - handler: what handles every datagram; it lives and dies on the worker thread.
    ///   - configuration: batch sizes, datagram limit, thread name, CPU.
    /// - Throws: ``RelayIOError``: ``RelayIOError/Code/invalidArgument`` for an invalid
    ///   configuration or no socket, ``RelayIOError/Code/badDescriptor`` for a closed socket,
    ///   or the failure of epoll, eventfd or thread creation. The sockets are closed when the
    ///   worker could not start (they were handed over).
    public init(
        sockets: sending [RelaySocket],
        handler: sending Handler,
        configuration: RelayWorkerConfiguration = RelayWorkerConfiguration()
    ) throws(RelayIOError) {
        // The sockets are the worker's from here: closed on every failure, as at a stop (the
        // caller may still hold references, so releasing them would not be enough).
        func refuse(_ error: RelayIOError) -> RelayIOError {
            for socket in sockets {
                socket.close()
            }
            return error
        }
        if let problem = configuration.validate() {
            throw refuse(RelayIOError(code: .invalidArgument, operation: "RelayWorker.init", message: problem))
        }
        guard !sockets.isEmpty else {
            throw RelayIOError(
                code: .invalidArgument,
                operation: "RelayWorker.init",
                message: "no socket: pass at least one open, bound RelaySocket"
            )
        }
        guard sockets.allSatisfy(\.isOpen) else {
            throw refuse(
                RelayIOError(
                    code: .badDescriptor,
                    operation: "RelayWorker.init",
                    message: "a socket is closed: pass only sockets that were not closed"
                )
            )
        }
        let epoll = crelay_epoll_create()
        guard epoll >= 0 else {
            throw refuse(.fromErrno("epoll_create1"))
        }
        let event = crelay_eventfd_create()
        guard event >= 0 else {
            let error = RelayIOError.fromErrno("eventfd")
            Glibc.close(epoll)
            throw refuse(error)
        }
        func fail(_ error: RelayIOError) -> RelayIOError {
            Glibc.close(event)
            Glibc.close(epoll)
            return refuse(error)
        }
        for (index, socket) in sockets.enumerated() {
            guard crelay_epoll_add(epoll, socket.descriptor, UInt64(index)) == 0 else {
                throw fail(.fromErrno("epoll_ctl"))
            }
        }
        guard crelay_epoll_add(epoll, event, RelayWorkerLoop.eventToken) == 0 else {
            throw fail(.fromErrno("epoll_ctl"))
        }

        let inbox = RelayWorkerInbox<Handler.Command>(eventDescriptor: event)
        let counters = RelayWorkerCounters()
        self.localAddresses = sockets.map(\.localAddress)
        self.ownedDescriptors = sockets.map(\.descriptor) + [epoll, event]
        self.configuration = configuration
        self.inbox = inbox
        self.counters = counters

        let start = RelayWorkerThreadStart {
            RelayWorkerLoop.run(
                handler: handler,
                sockets: sockets,
                epollDescriptor: epoll,
                eventDescriptor: event,
                inbox: inbox,
                counters: counters,
                configuration: configuration
            )
        }
        // The thread takes over the retained start object (and through it the sockets and the
        // handler) and releases it when the loop returns.
        let context = Unmanaged.passRetained(start).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                if let context {
                    Unmanaged<RelayWorkerThreadStart>.fromOpaque(context).takeRetainedValue().body()
                }
                return nil
            },
            context
        )
        guard status == 0 else {
            // The thread never ran: release the start object (and the handler with it).
            Unmanaged<RelayWorkerThreadStart>.fromOpaque(context).release()
            throw fail(RelayIOError(errno: status, operation: "pthread_create"))
        }
        self.thread = Mutex(thread)
    }

    deinit {
        self.stop()
    }

    /// Queues a command for the handler; the worker applies it on its thread before its next
    /// read batch, in submission order.
    ///
    /// - Returns: false (and the command is dropped) once the worker is stopping or stopped.
    @discardableResult
    public func submit(_ command: Handler.Command) -> Bool {
        self.inbox.submit(command)
    }

    /// The worker's counters, as last published by its thread.
    public var statistics: RelayWorkerStatistics {
        self.counters.snapshot()
    }

    /// Whether the loop is still running (false after ``stop()``, or if waiting for input failed
    /// for a reason other than a signal, which ends the loop).
    public var isRunning: Bool {
        self.counters.isRunning
    }

    /// Stops the worker: applies the commands already queued, ends the loop, joins the thread,
    /// and closes the sockets, the epoll descriptor and the eventfd. Returns once all that is
    /// done; calling it again (from any thread) does nothing more.
    ///
    /// - Precondition: not called from the worker's own thread (a handler has no reference to
    ///   its worker, so this takes some effort); that would wait for itself forever.
    public func stop() {
        self.thread.withLock { thread in
            guard let running = thread else { return }
            precondition(pthread_equal(running, pthread_self()) == 0, "RelayWorker.stop() called on the worker thread")
            self.inbox.requestStop()
            _ = pthread_join(running, nil)
            thread = nil
            self.inbox.closeEvent()
        }
    }

    /// The descriptors the worker owns (its sockets, then epoll, then eventfd), for tests that
    /// check ``stop()`` closed them.
    package var fileDescriptors: [Int32] {
        self.ownedDescriptors
    }
}

/// What a new worker thread runs. An object so that it can travel through pthread_create's
/// `void *`; it carries the handler and the sockets, which only the new thread touches from then
/// on (the creating thread gave them up with `sending`).
private final class RelayWorkerThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }
}
