internal import CRelaySocket
internal import Glibc

/// Preallocated buffers for receiving up to 64 datagrams with one `recvmmsg` call.
///
/// All memory (the slots and the kernel's message records) is one allocation made in `init`
/// and freed in `deinit`; receiving allocates nothing. Slot bytes are lent out only through
/// ``withDatagram(at:_:)`` as a `MutableSpan`, so no pointer escapes the batch.
///
/// Datagrams larger than ``maximumDatagramSize`` (longer than the limit, or truncated by the
/// kernel because they did not fit a slot) are dropped and counted by ``receive(from:)``: they
/// never appear among the ``count`` datagrams a handler sees.
///
/// ```swift
/// var batch = RecvBatch(slotCount: 64, slotSize: 2048, maximumDatagramSize: 1500)
/// let outcome = batch.receive(from: socket)
/// for index in 0..<batch.count {
///     batch.withDatagram(at: index) { bytes, length, source in /* bytes[0..<length] */ }
/// }
/// ```
public struct RecvBatch: ~Copyable {
    /// What one ``RecvBatch/receive(from:)`` call did.
    public struct Outcome: Sendable, Hashable {
        /// Datagrams the kernel returned, including those dropped.
        public var received: Int = 0
        /// Datagrams dropped for being larger than ``RecvBatch/maximumDatagramSize``.
        public var droppedOversize: Int = 0
        /// Datagrams dropped because their source was neither IPv4 nor IPv6 (never seen on a UDP
        /// socket; counted rather than trusted).
        public var droppedUnreadableSource: Int = 0
        /// Bytes of the datagrams kept.
        public var acceptedBytes: Int = 0
        /// The `errno` of a failed call; nil after success and when nothing was waiting.
        public var error: RelayIOError.Code?

        /// Nothing received, nothing dropped, no error.
        public init() {}

        /// Whether the kernel returned fewer datagrams than the batch holds: the socket was
        /// (very probably) drained, and reading again would only return `EAGAIN`.
        public func drained(slotCount: Int) -> Bool {
            self.received < slotCount
        }
    }

    /// How many datagrams one ``receive(from:)`` reads at most (1...64).
    public let slotCount: Int
    /// Bytes per slot: the most a handler may write into a datagram's span.
    public let slotSize: Int
    /// The largest datagram kept; larger ones are dropped and counted.
    public let maximumDatagramSize: Int
    /// Datagrams kept by the last ``receive(from:)``, readable with ``withDatagram(at:_:)``.
    public private(set) var count: Int = 0

    // Owned: one allocation (see BatchLayout), freed in deinit. Regions: message records whose
    // buffers point at the slots (set once here), the kept datagrams' sources, and the slot
    // index of each kept datagram.
    private let base: UnsafeMutableRawPointer
    private let messages: UnsafeMutablePointer<crelay_message>
    private let sources: UnsafeMutablePointer<RelayAddress>
    private let order: UnsafeMutablePointer<Int32>
    private let slots: UnsafeMutablePointer<UInt8>
    private let byteCount: Int

    /// Allocates a batch.
    ///
    /// - Parameters:
    ///   - slotCount: datagrams per read, 1...64 (the C layer's batch limit).
    ///   - slotSize: bytes per slot; at least `maximumDatagramSize`. Room beyond the datagram
    ///     lets a handler grow it in place (an SRTP tag); 2048 suits a 1500-byte limit.
    ///   - maximumDatagramSize: the largest datagram kept (``RelayLimits/maximumDatagramSize``).
    /// - Precondition: the sizes are as described (a programming error, checked on creation).
    public init(slotCount: Int = 64, slotSize: Int = 2048, maximumDatagramSize: Int = 1500) {
        precondition((1...BatchLayout.maximumSlotCount).contains(slotCount), "RecvBatch: slotCount must be 1...64")
        precondition(maximumDatagramSize >= 1, "RecvBatch: maximumDatagramSize must be positive")
        precondition(slotSize >= maximumDatagramSize, "RecvBatch: slotSize must hold maximumDatagramSize")
        self.slotCount = slotCount
        self.slotSize = slotSize
        self.maximumDatagramSize = maximumDatagramSize
        let layout = BatchLayout(slotCount: slotCount, slotSize: slotSize, withScratch: false)
        let base = UnsafeMutableRawPointer.allocate(byteCount: layout.byteCount, alignment: BatchLayout.alignment)
        // Zeroed so that every message record starts in a defined state.
        base.initializeMemory(as: UInt8.self, repeating: 0, count: layout.byteCount)
        self.base = base
        self.byteCount = layout.byteCount
        self.messages = (base + layout.messages).bindMemory(to: crelay_message.self, capacity: slotCount)
        self.sources = (base + layout.addresses).bindMemory(to: RelayAddress.self, capacity: slotCount)
        self.order = (base + layout.integers).bindMemory(to: Int32.self, capacity: slotCount)
        self.slots = (base + layout.slots).bindMemory(to: UInt8.self, capacity: slotCount * slotSize)
        for index in 0..<slotCount {
            self.messages[index].buffer = UnsafeMutableRawPointer(self.slots + index * slotSize)
            self.messages[index].capacity = slotSize
        }
        for index in 0..<slotCount {
            (self.sources + index).initialize(to: RelayAddress(ipv4: 0, port: 0))
        }
    }

    deinit {
        self.base.deallocate()
    }

    /// Reads up to ``slotCount`` waiting datagrams from `socket` without blocking (one
    /// `recvmmsg`), keeping those within ``maximumDatagramSize``.
    ///
    /// Replaces what the previous call kept. Returns at once when nothing is waiting
    /// (``count`` 0, no error). A closed socket gives the error `EBADF`.
    @discardableResult
    public mutating func receive(from socket: RelaySocket) -> Outcome {
        self.receive(descriptor: socket.descriptor)
    }

    /// ``receive(from:)`` on a descriptor the caller keeps open.
    mutating func receive(descriptor: Int32) -> Outcome {
        self.count = 0
        var outcome = Outcome()
        guard descriptor >= 0 else {
            outcome.error = .badDescriptor
            return outcome
        }
        var result: Int32 = -1
        // EINTR (a signal during the call) is retried a few times; anything else is reported.
        for _ in 0..<4 {
            result = crelay_recv_batch(descriptor, self.messages, UInt32(self.slotCount))
            if result >= 0 || errno != EINTR {
                break
            }
        }
        guard result >= 0 else {
            let code = errno
            if code != EAGAIN && code != EWOULDBLOCK {
                outcome.error = RelayIOError.Code(rawValue: code)
            }
            return outcome
        }
        let received = min(Int(result), self.slotCount)
        outcome.received = received
        var kept = 0
        for index in 0..<received {
            let message = self.messages + index
            let length = message.pointee.length
            // MSG_TRUNC: the datagram did not fit its slot, so it is over the limit too.
            guard crelay_message_truncated(message) == 0, length <= self.maximumDatagramSize else {
                outcome.droppedOversize += 1
                continue
            }
            guard let source = RelayAddress(source: message) else {
                outcome.droppedUnreadableSource += 1
                continue
            }
            self.sources[kept] = source
            self.order[kept] = Int32(truncatingIfNeeded: index)
            outcome.acceptedBytes += length
            kept += 1
        }
        self.count = kept
        return outcome
    }

    /// Lends the datagram at `index` (0..<``count``): its whole slot as a `MutableSpan` of
    /// ``slotSize`` bytes (the datagram is the first `length` bytes; the rest is scratch a
    /// handler may use to grow it in place), its length, and its source.
    ///
    /// - Precondition: `index` is in 0..<``count``.
    public mutating func withDatagram<Result: ~Copyable, Failure: Error>(
        at index: Int,
        _ body: (_ bytes: inout MutableSpan<UInt8>, _ length: Int, _ source: RelayAddress) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(index >= 0 && index < self.count, "RecvBatch: datagram index out of range")
        let slot = Int(self.order[index])
        let buffer = UnsafeMutableBufferPointer(start: self.slots + slot * self.slotSize, count: self.slotSize)
        var span = buffer.mutableSpan
        return try body(&span, self.messages[slot].length, self.sources[index])
    }
}

@available(*, unavailable)
extension RecvBatch: Sendable {}
