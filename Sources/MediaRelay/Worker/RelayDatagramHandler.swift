/// What a ``RelayWorker`` runs: the per-datagram logic of one worker thread (a forwarder, or the
/// relay core with its ICE, DTLS, SRTP and routing state).
///
/// The worker owns its handler and calls it only from its own thread, so a handler needs no
/// locks and is not required to be `Sendable`. The control plane changes it only through
/// ``Command`` values, which the worker applies between read batches. No method may block: they
/// run on the packet path. Responses and forwarded datagrams go into the ``SendBatch``, which
/// the worker flushes once per read batch.
public protocol RelayDatagramHandler {
    /// A change the control plane asks for (add a transport, change subscriptions, ...).
    associatedtype Command: Sendable

    /// The earliest time ``timersFired(now:send:)`` should run, or nil when no timer is
    /// pending. Read after every loop iteration to choose how long to wait: keep it cheap.
    var nextDeadline: RelayTime? { get }

    /// Handles one received datagram.
    ///
    /// - Parameters:
    ///   - datagram: the datagram's whole slot: the datagram is its first `length` bytes, the
    ///     rest is scratch room (to rewrite or grow the datagram in place). Valid only during
    ///     the call.
    ///   - length: the datagram's length, at most the worker's maximum datagram size (larger
    ///     datagrams are dropped before any handler sees them).
    ///   - source: the peer that sent it (IPv4-mapped addresses are reported as IPv4).
    ///   - now: the monotonic time read once for the current read batch.
    ///   - send: where responses go.
    mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    )

    /// Runs due timers: called when ``nextDeadline`` is at or before `now`. It must move
    /// ``nextDeadline`` past `now` (or to nil): a deadline left in the past makes the worker
    /// call it again at once, spinning.
    mutating func timersFired(now: RelayTime, send: inout SendBatch)

    /// Applies one command from the control plane, in submission order, between read batches.
    mutating func apply(_ command: Command, now: RelayTime, send: inout SendBatch)
}

extension RelayDatagramHandler {
    /// No timers.
    public var nextDeadline: RelayTime? {
        nil
    }

    /// No timers: does nothing.
    public mutating func timersFired(now: RelayTime, send: inout SendBatch) {}
}
