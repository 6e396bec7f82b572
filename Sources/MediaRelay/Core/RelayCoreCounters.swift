import Synchronization

/// What a ``RelayCore`` has done, readable from any thread while the worker runs: the numbers
/// behind its metrics until the control plane integration reports them itself.
///
/// The worker thread counts with relaxed atomic additions (no lock, no allocation); another
/// thread reads a ``Snapshot`` whose fields may be a few packets apart from each other. Make one,
/// keep a reference, and give it to ``RelayCore/init(dtlsContext:configuration:counters:)``.
///
/// `@unchecked Sendable`: the only state is a buffer of `Atomic` values fixed at init, and every
/// access after init goes through the atomics.
public final class RelayCoreCounters: @unchecked Sendable {
    /// One thing counted.
    public enum Counter: Int, CaseIterable, Sendable, CustomStringConvertible {
        /// Transports added by ``RelayCore/Command/addTransport(id:credentials:fingerprints:participant:)``.
        case transportsAdded
        /// Transports whose DTLS handshake completed (SRTP installed).
        case transportsConnected
        /// Transports closed (by the peer, a timeout, a failure or the control plane).
        case transportsClosed
        /// Commands refused (a duplicate id or participant, invalid credentials).
        case commandsRejected
        /// Authenticated Binding requests.
        case stunAuthenticated
        /// STUN messages the responder refused (or answered with a role conflict).
        case stunRejected
        /// STUN responses sent (success and error).
        case stunResponsesSent
        /// DTLS datagrams sent.
        case dtlsSent
        /// RTP packets that unprotected on a publisher's transport.
        case rtpReceived
        /// RTP packets written, protected and queued for a subscriber.
        case rtpForwarded
        /// RTCP compounds that unprotected.
        case rtcpReceived
        /// RTCP compounds protected and queued (feedback forwarded upstream, the relay's reports).
        case rtcpSent
        /// Datagrams the demultiplexer dropped (too large, unknown class, unbound tuple).
        case droppedByDemux
        /// RTP or RTCP the transport refused (not connected, unbound tuple, SRTP failure).
        case droppedByTransport
        /// RTP or RTCP that did not parse after unprotect.
        case droppedMalformed
        /// RTP the forwarder refused as a whole (unknown SSRC, someone else's SSRC, payload type).
        case droppedByRouting
        /// Deliveries skipped: the subscriber has no transport, or it is not connected or may
        /// not send, or the forwarder dropped this copy (paused, no payload type).
        case deliveriesSkipped
        /// Copies or RTCP packets whose SRTP protect failed.
        case protectFailed
        /// Sender reports the relay wrote to its subscribers (one per outgoing stream per
        /// report interval), in compounds queued with ``rtcpSent``.
        case senderReportsSent
        /// Receiver reports the relay wrote to its publishers (about the streams it receives).
        case receiverReportsSent
        /// Transport-cc feedback packets the relay wrote to its publishers (each in its own
        /// SRTCP packet, also counted in ``rtcpSent``).
        case transportFeedbackSent

        /// The case's name, as it appears in logs and metrics.
        public var description: String {
            switch self {
            case .transportsAdded: return "transportsAdded"
            case .transportsConnected: return "transportsConnected"
            case .transportsClosed: return "transportsClosed"
            case .commandsRejected: return "commandsRejected"
            case .stunAuthenticated: return "stunAuthenticated"
            case .stunRejected: return "stunRejected"
            case .stunResponsesSent: return "stunResponsesSent"
            case .dtlsSent: return "dtlsSent"
            case .rtpReceived: return "rtpReceived"
            case .rtpForwarded: return "rtpForwarded"
            case .rtcpReceived: return "rtcpReceived"
            case .rtcpSent: return "rtcpSent"
            case .droppedByDemux: return "droppedByDemux"
            case .droppedByTransport: return "droppedByTransport"
            case .droppedMalformed: return "droppedMalformed"
            case .droppedByRouting: return "droppedByRouting"
            case .deliveriesSkipped: return "deliveriesSkipped"
            case .protectFailed: return "protectFailed"
            case .senderReportsSent: return "senderReportsSent"
            case .receiverReportsSent: return "receiverReportsSent"
            case .transportFeedbackSent: return "transportFeedbackSent"
            }
        }
    }

    /// The counters' values at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// One value per ``Counter``, indexed by its raw value.
        public var values: [UInt64]

        /// The value of `counter`.
        public subscript(counter: Counter) -> UInt64 {
            self.values[counter.rawValue]
        }
    }

    // Atomic is not copyable, so it cannot live in an Array: one owned buffer of atomics,
    // initialised in init and deinitialised in deinit, never reallocated.
    private let storage: UnsafeMutablePointer<Atomic<UInt64>>

    /// All zero.
    public init() {
        let count = Counter.allCases.count
        self.storage = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: count)
        for index in 0..<count {
            (self.storage + index).initialize(to: Atomic<UInt64>(0))
        }
    }

    deinit {
        self.storage.deinitialize(count: Counter.allCases.count)
        self.storage.deallocate()
    }

    /// Adds `amount` to `counter` (wrapping). Called on the worker thread.
    public func add(_ counter: Counter, _ amount: UInt64 = 1) {
        self.storage[counter.rawValue].wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current value of `counter`.
    public subscript(counter: Counter) -> UInt64 {
        self.storage[counter.rawValue].load(ordering: .relaxed)
    }

    /// Every counter's current value.
    public func snapshot() -> Snapshot {
        Snapshot(values: Counter.allCases.map { self[$0] })
    }
}
