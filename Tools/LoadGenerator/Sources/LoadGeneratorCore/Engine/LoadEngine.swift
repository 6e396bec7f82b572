internal import CLoadSocket
import Glibc
public import RTCSecurity
import Synchronization

/// The thread that drives every simulated participant of the process: one epoll loop over their
/// UDP sockets (one socket per participant: the relay tells participants apart by their
/// address and port), batched reads (`recvmmsg`), one timer heap for ICE, DTLS and the 20 ms
/// media pacing of all of them, and the send impairments.
///
/// The control plane ``add(_:answer:)``s a participant once signaling produced the server's
/// answer (the engine binds its socket, connects it to the answer's candidate and starts ICE),
/// ``remove(_:)``s it when it leaves, reads ``totals`` for progress, and ``stop()``s the engine to
/// get every participant's ``ParticipantReport``. All of these are safe from any thread.
///
/// The engine presents one DTLS identity for all participants (generated at init): put its
/// ``fingerprint`` in every offer.
public final class LoadEngine: Sendable {
    /// How the engine runs.
    public struct Configuration: Sendable {
        /// The IPv4 address participant sockets bind to (loopback by default).
        public var localAddress: UInt32
        /// Impairments on sent media.
        public var impairment: Impairment
        /// The CPU to pin the thread to, if any.
        public var cpu: Int?
        /// SO_RCVBUF per participant socket in bytes (0: the kernel's default).
        public var receiveBufferSize: Int
        /// How often ``totals`` is refreshed, in nanoseconds.
        public var publishInterval: UInt64

        /// Loopback, no impairment, no pinning, 256 KiB receive buffers, totals every 250 ms.
        public init(
            localAddress: UInt32 = IPv4Address.loopback,
            impairment: Impairment = .none,
            cpu: Int? = nil,
            receiveBufferSize: Int = 256 << 10,
            publishInterval: UInt64 = 250_000_000
        ) {
            self.localAddress = localAddress
            self.impairment = impairment
            self.cpu = cpu
            self.receiveBufferSize = receiveBufferSize
            self.publishInterval = publishInterval
        }
    }

    enum Command: Sendable {
        case add(ParticipantPlan, AnswerParameters)
        case remove(Int)
    }

    /// The fingerprint of the engine's DTLS certificate (for `a=fingerprint` in offers).
    public let fingerprint: DTLSFingerprint
    private let shared: EngineShared
    private let thread: Mutex<pthread_t?>

    /// Starts the engine thread.
    ///
    /// - Throws: ``LoadGeneratorError`` when the identity, epoll, eventfd or the thread cannot
    ///   be created.
    public init(configuration: Configuration = Configuration(), audio: AudioLibrary) throws(LoadGeneratorError) {
        let identity: DTLSIdentity
        do {
            identity = try DTLSIdentity.generate(commonName: "parley-load")
        } catch {
            throw LoadGeneratorError(.system, "cannot generate the DTLS identity: \(error)")
        }
        // DTLSIdentity is not Sendable: the thread rebuilds it from its PEM form.
        let certificatePEM = identity.certificatePEM
        let privateKeyPEM = identity.privateKeyPEM
        self.fingerprint = identity.fingerprint
        let epoll = cload_epoll_create()
        guard epoll >= 0 else {
            throw LoadGeneratorError(.system, "epoll_create1 failed (errno \(errno))")
        }
        let event = cload_eventfd_create()
        guard event >= 0, cload_epoll_add(epoll, event, EngineLoop.eventToken) == 0 else {
            _ = cload_close(epoll)
            throw LoadGeneratorError(.system, "eventfd failed (errno \(errno))")
        }
        let shared = EngineShared(eventDescriptor: event)
        self.shared = shared

        let start = EngineThreadStart {
            let loop = EngineLoop(
                configuration: configuration,
                audio: audio,
                certificatePEM: certificatePEM,
                privateKeyPEM: privateKeyPEM,
                epoll: epoll,
                shared: shared
            )
            let reports = loop.run()
            shared.reports.withLock { $0 = reports }
            _ = cload_close(epoll)
        }
        let context = Unmanaged.passRetained(start).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                if let context {
                    Unmanaged<EngineThreadStart>.fromOpaque(context).takeRetainedValue().body()
                }
                return nil
            },
            context
        )
        guard status == 0 else {
            Unmanaged<EngineThreadStart>.fromOpaque(context).release()
            _ = cload_close(event)
            _ = cload_close(epoll)
            throw LoadGeneratorError(.system, "pthread_create failed (\(status))")
        }
        self.thread = Mutex(thread)
    }

    deinit {
        _ = self.stop()
    }

    /// Adds a participant whose answer arrived: the engine opens its socket and starts ICE.
    public func add(_ plan: ParticipantPlan, answer: AnswerParameters) {
        self.submit(.add(plan, answer))
    }

    /// Removes a participant (it sends DTLS close_notify and closes its socket); its report is
    /// kept for the end.
    public func remove(_ number: Int) {
        self.submit(.remove(number))
    }

    private func submit(_ command: Command) {
        let accepted = self.shared.inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.commands.append(command)
            return true
        }
        if accepted {
            _ = cload_eventfd_signal(self.shared.eventDescriptor)
        }
    }

    /// The latest published totals.
    public var totals: EngineTotals {
        self.shared.totals.withLock { $0 }
    }

    /// Stops the thread (participants still connected send close_notify) and returns every
    /// participant's report, in the order they were added. Calling it again returns the same.
    @discardableResult
    public func stop() -> [ParticipantReport] {
        self.thread.withLock { thread in
            guard let running = thread else { return }
            self.shared.inbox.withLock { $0.stopping = true }
            _ = cload_eventfd_signal(self.shared.eventDescriptor)
            _ = pthread_join(running, nil)
            _ = cload_close(self.shared.eventDescriptor)
            thread = nil
        }
        return self.shared.reports.withLock { $0 }
    }
}

/// The state the engine and its thread share, each piece behind its own lock.
final class EngineShared: Sendable {
    struct Inbox {
        var commands: [LoadEngine.Command] = []
        var stopping = false
    }

    let inbox = Mutex(Inbox())
    let totals = Mutex(EngineTotals())
    let reports = Mutex<[ParticipantReport]>([])
    let eventDescriptor: Int32

    init(eventDescriptor: Int32) {
        self.eventDescriptor = eventDescriptor
    }
}

/// What the engine thread runs (an object so it can pass through pthread_create's `void *`).
private final class EngineThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }
}
