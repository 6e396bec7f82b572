import Synchronization

/// A snapshot of a worker's counters since it started, read from any thread with
/// ``RelayWorker/statistics``.
///
/// The worker publishes them once per read batch (receive side) and after each flush (send
/// side), so a snapshot may lag the packet path by one batch.
public struct RelayWorkerStatistics: Sendable, Hashable {
    /// Datagrams handed to the handler.
    public var received: UInt64 = 0
    /// Bytes of those datagrams.
    public var receivedBytes: UInt64 = 0
    /// Datagrams dropped before the handler for exceeding the maximum datagram size.
    public var droppedOversize: UInt64 = 0
    /// Datagrams dropped before the handler for an unreadable source address.
    public var droppedUnreadableSource: UInt64 = 0
    /// Failed receive calls (other than "nothing waiting").
    public var receiveErrors: UInt64 = 0
    /// Datagrams the kernel accepted for sending.
    public var sent: UInt64 = 0
    /// Bytes of those datagrams.
    public var sentBytes: UInt64 = 0
    /// Datagrams dropped because a socket's send buffer stayed full.
    public var sendDroppedWouldBlock: UInt64 = 0
    /// Datagrams not sent for any other reason: refused by the kernel, no socket for the
    /// destination's family, or refused by the batch (a writer's invalid length).
    public var sendErrors: UInt64 = 0
    /// Commands applied.
    public var commandsApplied: UInt64 = 0
    /// Calls of the handler's timer hook.
    public var timerRuns: UInt64 = 0
    /// Loop iterations (one wait for input each).
    public var iterations: UInt64 = 0
    /// Nanoseconds the loop spent working: from the end of each wait for input to the end of
    /// that iteration (commands, datagrams, timers, sends), the waits themselves excluded.
    /// Divided by the wall time it gives how busy the worker's thread is; divided by
    /// ``iterations``, the mean time an iteration takes.
    public var busyNanoseconds: UInt64 = 0

    /// All zero.
    public init() {}
}

/// The worker's live counters: written by the worker thread only (plain stores of its own
/// running totals), read by any thread. Relaxed ordering: each value is a monotonic count
/// and no reader infers anything about other memory from it.
final class RelayWorkerCounters: Sendable {
    let received = Atomic<UInt64>(0)
    let receivedBytes = Atomic<UInt64>(0)
    let droppedOversize = Atomic<UInt64>(0)
    let droppedUnreadableSource = Atomic<UInt64>(0)
    let receiveErrors = Atomic<UInt64>(0)
    let sent = Atomic<UInt64>(0)
    let sentBytes = Atomic<UInt64>(0)
    let sendDroppedWouldBlock = Atomic<UInt64>(0)
    let sendErrors = Atomic<UInt64>(0)
    let commandsApplied = Atomic<UInt64>(0)
    let timerRuns = Atomic<UInt64>(0)
    let iterations = Atomic<UInt64>(0)
    let busyNanoseconds = Atomic<UInt64>(0)
    /// True until the loop returns.
    let running = Atomic<Bool>(true)

    /// Whether the loop is still running.
    var isRunning: Bool {
        self.running.load(ordering: .acquiring)
    }

    /// Records that the loop returned (after its last publish).
    func markStopped() {
        self.running.store(false, ordering: .releasing)
    }

    /// Publishes the worker's running totals.
    func publish(_ totals: RelayWorkerStatistics) {
        self.received.store(totals.received, ordering: .relaxed)
        self.receivedBytes.store(totals.receivedBytes, ordering: .relaxed)
        self.droppedOversize.store(totals.droppedOversize, ordering: .relaxed)
        self.droppedUnreadableSource.store(totals.droppedUnreadableSource, ordering: .relaxed)
        self.receiveErrors.store(totals.receiveErrors, ordering: .relaxed)
        self.sent.store(totals.sent, ordering: .relaxed)
        self.sentBytes.store(totals.sentBytes, ordering: .relaxed)
        self.sendDroppedWouldBlock.store(totals.sendDroppedWouldBlock, ordering: .relaxed)
        self.sendErrors.store(totals.sendErrors, ordering: .relaxed)
        self.commandsApplied.store(totals.commandsApplied, ordering: .relaxed)
        self.timerRuns.store(totals.timerRuns, ordering: .relaxed)
        self.iterations.store(totals.iterations, ordering: .relaxed)
        self.busyNanoseconds.store(totals.busyNanoseconds, ordering: .relaxed)
    }

    /// Reads every counter (each individually atomic; the set is not one instant).
    func snapshot() -> RelayWorkerStatistics {
        var totals = RelayWorkerStatistics()
        totals.received = self.received.load(ordering: .relaxed)
        totals.receivedBytes = self.receivedBytes.load(ordering: .relaxed)
        totals.droppedOversize = self.droppedOversize.load(ordering: .relaxed)
        totals.droppedUnreadableSource = self.droppedUnreadableSource.load(ordering: .relaxed)
        totals.receiveErrors = self.receiveErrors.load(ordering: .relaxed)
        totals.sent = self.sent.load(ordering: .relaxed)
        totals.sentBytes = self.sentBytes.load(ordering: .relaxed)
        totals.sendDroppedWouldBlock = self.sendDroppedWouldBlock.load(ordering: .relaxed)
        totals.sendErrors = self.sendErrors.load(ordering: .relaxed)
        totals.commandsApplied = self.commandsApplied.load(ordering: .relaxed)
        totals.timerRuns = self.timerRuns.load(ordering: .relaxed)
        totals.iterations = self.iterations.load(ordering: .relaxed)
        totals.busyNanoseconds = self.busyNanoseconds.load(ordering: .relaxed)
        return totals
    }
}
