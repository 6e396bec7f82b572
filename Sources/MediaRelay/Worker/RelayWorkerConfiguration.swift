/// How a ``RelayWorker`` runs: its batch sizes, datagram limit, fairness bound, thread name and
/// CPU.
public struct RelayWorkerConfiguration: Sendable, Hashable {
    /// The thread's name as tools show it (`top -H`, `perf`); the kernel keeps 15 bytes.
    public var name: String
    /// Datagrams larger than `limits.maximumDatagramSize` are dropped and counted before any
    /// handler sees them.
    public var limits: RelayLimits
    /// Datagrams per `recvmmsg`, 1...64.
    public var receiveBatchSize: Int
    /// Datagrams queued per `sendmmsg`, 1...64 (a full batch is flushed and refilled).
    public var sendBatchSize: Int
    /// Bytes per slot of both batches: at least `limits.maximumDatagramSize`; the room above
    /// it lets a handler grow a datagram in place.
    public var slotSize: Int
    /// Read batches per socket per loop iteration before commands, timers and the other
    /// sockets get their turn (at least 1).
    public var maximumBatchesPerIteration: Int
    /// The CPU to pin the thread to, or nil to let the scheduler choose. A CPU the process may
    /// not use leaves the thread unpinned.
    public var cpu: Int?

    /// The defaults: 64-datagram batches of 2048-byte slots, a 1500-byte datagram limit,
    /// 16 read batches per socket per iteration, no pinning.
    public init(
        name: String = "parley-worker",
        limits: RelayLimits = RelayLimits(),
        receiveBatchSize: Int = 64,
        sendBatchSize: Int = 64,
        slotSize: Int = 2048,
        maximumBatchesPerIteration: Int = 16,
        cpu: Int? = nil
    ) {
        self.name = name
        self.limits = limits
        self.receiveBatchSize = receiveBatchSize
        self.sendBatchSize = sendBatchSize
        self.slotSize = slotSize
        self.maximumBatchesPerIteration = maximumBatchesPerIteration
        self.cpu = cpu
    }

    /// Names the first setting that cannot work, or returns nil when all can.
    public func validate() -> String? {
        if let problem = self.limits.validate() {
            return problem
        }
        if !(1...BatchLayout.maximumSlotCount).contains(self.receiveBatchSize) {
            return
                "receiveBatchSize must be between 1 and \(BatchLayout.maximumSlotCount) (got \(self.receiveBatchSize))"
        }
        if !(1...BatchLayout.maximumSlotCount).contains(self.sendBatchSize) {
            return "sendBatchSize must be between 1 and \(BatchLayout.maximumSlotCount) (got \(self.sendBatchSize))"
        }
        if self.slotSize < self.limits.maximumDatagramSize {
            return
                "slotSize must be at least maximumDatagramSize (\(self.limits.maximumDatagramSize), got \(self.slotSize))"
        }
        if self.maximumBatchesPerIteration < 1 {
            return "maximumBatchesPerIteration must be at least 1 (got \(self.maximumBatchesPerIteration))"
        }
        return nil
    }
}
