internal import CRelaySocket
internal import Glibc

/// Preallocated slots for the datagrams a handler sends, flushed with `sendmmsg`.
///
/// A handler appends a datagram by writing into a slot (``append(to:_:)``) or by copying bytes
/// (``append(to:copying:)``). The worker flushes the batch once per read batch, after timers and
/// after commands; when the batch fills up during a read batch, it is flushed at once and the
/// append goes on. All memory is one allocation made in `init`; appending and flushing allocate
/// nothing.
///
/// In a worker, each datagram leaves through a socket that can carry its destination's family:
/// the socket the datagram being handled arrived on when it can, else the worker's first socket
/// that can. A destination no socket can carry is dropped and counted in
/// ``Counters/unroutable``. A batch made with ``init(slotCount:slotSize:)`` outside a worker
/// sends nothing: it keeps what was appended for inspection (``withDatagram(at:_:)``), which is
/// how handlers are tested without sockets.
public struct SendBatch: ~Copyable {
    /// What a batch has done since it was created (cumulative).
    public struct Counters: Sendable, Hashable {
        /// Datagrams the kernel accepted.
        public var sent: Int = 0
        /// Bytes of those datagrams.
        public var sentBytes: Int = 0
        /// Datagrams dropped because the socket's send buffer stayed full (`EAGAIN` or `ENOBUFS`
        /// after one retry).
        public var droppedWouldBlock: Int = 0
        /// Datagrams the kernel refused with another error (the errno is in ``lastError``).
        public var failed: Int = 0
        /// Datagrams to a destination no socket of the worker can carry.
        public var unroutable: Int = 0
        /// Appends refused: a length outside 0...slotSize returned by the writer, or a full batch
        /// that cannot be flushed (no socket).
        public var rejected: Int = 0
        /// The last `errno` counted in ``failed``, or nil.
        public var lastError: RelayIOError.Code?

        /// All zero.
        public init() {}
    }

    /// How the batch reaches one socket.
    struct Route {
        var descriptor: Int32
        var socketFamily: Int32
        var carriesIPv4: Bool
        var carriesIPv6: Bool
    }

    /// Datagrams the batch holds before it must be flushed (1...64).
    public let slotCount: Int
    /// Bytes per slot: the largest datagram that can be appended.
    public let slotSize: Int
    /// Datagrams appended and not yet flushed.
    public private(set) var count: Int = 0
    /// What the batch has done so far.
    public private(set) var counters = Counters()

    // The sockets a worker bound this batch to (empty: inspection only), and the index of the one
    // the datagram being handled came in on (-1 outside handling).
    private var routes: [Route] = []
    var arrivalRoute: Int = -1
    // Whether the queued datagrams use more than one socket (the flush then groups them).
    private var mixedRoutes = false

    // Owned: one allocation (see BatchLayout), freed in deinit. Regions: message records whose
    // buffers point at the slots (set once here), the route index of each queued datagram, a
    // scratch copy of the records for grouping by socket, and the slots.
    private let base: UnsafeMutableRawPointer
    private let messages: UnsafeMutablePointer<crelay_message>
    private let routeIndices: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<crelay_message>
    private let slots: UnsafeMutablePointer<UInt8>

    /// Allocates a batch that is not bound to any socket: what is appended stays until
    /// ``removeAll()`` (for tests and tools). A worker makes its own bound batch.
    ///
    /// - Parameters:
    ///   - slotCount: datagrams held, 1...64 (the C layer's batch limit).
    ///   - slotSize: bytes per slot, at least 1.
    /// - Precondition: the sizes are as described (a programming error, checked on creation).
    public init(slotCount: Int = 64, slotSize: Int = 2048) {
        precondition((1...BatchLayout.maximumSlotCount).contains(slotCount), "SendBatch: slotCount must be 1...64")
        precondition(slotSize >= 1, "SendBatch: slotSize must be positive")
        self.slotCount = slotCount
        self.slotSize = slotSize
        let layout = BatchLayout(slotCount: slotCount, slotSize: slotSize, withScratch: true)
        let base = UnsafeMutableRawPointer.allocate(byteCount: layout.byteCount, alignment: BatchLayout.alignment)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: layout.byteCount)
        self.base = base
        self.messages = (base + layout.messages).bindMemory(to: crelay_message.self, capacity: slotCount)
        self.routeIndices = (base + layout.integers).bindMemory(to: Int32.self, capacity: slotCount)
        self.scratch = (base + layout.scratch).bindMemory(to: crelay_message.self, capacity: slotCount)
        self.slots = (base + layout.slots).bindMemory(to: UInt8.self, capacity: slotCount * slotSize)
        for index in 0..<slotCount {
            self.messages[index].buffer = UnsafeMutableRawPointer(self.slots + index * slotSize)
        }
    }

    /// A batch bound to the worker's sockets.
    init(slotCount: Int, slotSize: Int, routes: [Route]) {
        self.init(slotCount: slotCount, slotSize: slotSize)
        self.routes = routes
    }

    deinit {
        self.base.deallocate()
    }

    /// Appends a datagram to `destination`, written by `write` into a fresh slot.
    ///
    /// `write` gets the whole slot (``slotSize`` bytes, holding leftovers of an earlier datagram)
    /// and returns the datagram's length: 0 appends nothing. A length outside 0...slotSize is a
    /// bug in the writer: the datagram is dropped and counted in ``Counters/rejected``. When
    /// `write` throws, nothing is appended and the error propagates.
    public mutating func append<Failure: Error>(
        to destination: RelayAddress,
        _ write: (_ slot: inout MutableSpan<UInt8>) throws(Failure) -> Int
    ) throws(Failure) {
        guard let route = self.route(for: destination) else {
            self.counters.unroutable += 1
            return
        }
        guard self.makeRoom() else {
            self.counters.rejected += 1
            return
        }
        let index = self.count
        let buffer = UnsafeMutableBufferPointer(start: self.slots + index * self.slotSize, count: self.slotSize)
        var span = buffer.mutableSpan
        let length = try write(&span)
        guard length > 0 else {
            if length < 0 {
                self.counters.rejected += 1
            }
            return
        }
        guard length <= self.slotSize else {
            self.counters.rejected += 1
            return
        }
        self.commit(index: index, length: length, destination: destination, route: route)
    }

    /// Appends a copy of `bytes` as a datagram to `destination`.
    ///
    /// Empty `bytes` append nothing; more than ``slotSize`` bytes are dropped and counted in
    /// ``Counters/rejected``.
    public mutating func append(to destination: RelayAddress, copying bytes: Span<UInt8>) {
        let length = bytes.count
        guard length > 0 else { return }
        guard length <= self.slotSize else {
            self.counters.rejected += 1
            return
        }
        guard let route = self.route(for: destination) else {
            self.counters.unroutable += 1
            return
        }
        guard self.makeRoom() else {
            self.counters.rejected += 1
            return
        }
        let index = self.count
        let slot = UnsafeMutableRawPointer(self.slots + index * self.slotSize)
        bytes.withUnsafeBytes { source in
            // length > 0, so the span has a base address.
            if let start = source.baseAddress {
                slot.copyMemory(from: start, byteCount: length)
            }
        }
        self.commit(index: index, length: length, destination: destination, route: route)
    }

    /// Lends the queued datagram at `index` (0..<``count``): its bytes and destination (decoded
    /// back from the kernel address record the batch will send to).
    ///
    /// - Precondition: `index` is in 0..<``count``.
    public func withDatagram<Result: ~Copyable, Failure: Error>(
        at index: Int,
        _ body: (_ bytes: Span<UInt8>, _ destination: RelayAddress) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(index >= 0 && index < self.count, "SendBatch: datagram index out of range")
        let message = self.messages + index
        let buffer = UnsafeBufferPointer(start: self.slots + index * self.slotSize, count: message.pointee.capacity)
        // The record was written from a RelayAddress, so it always decodes.
        let destination = RelayAddress(source: message) ?? RelayAddress(ipv4: 0, port: 0)
        return try body(buffer.span, destination)
    }

    /// Forgets the queued datagrams without sending them (a batch not bound to sockets keeps
    /// them until this is called).
    public mutating func removeAll() {
        self.count = 0
        self.mixedRoutes = false
    }

    // MARK: - Internals

    /// The route of a destination: the arrival socket when it carries the family, else the
    /// first that does; an unbound batch encodes for the destination's own family.
    private func route(for destination: RelayAddress) -> Int32? {
        if self.routes.isEmpty {
            return -1
        }
        let ipv4 = destination.family == .ipv4
        if self.arrivalRoute >= 0 && self.arrivalRoute < self.routes.count {
            let route = self.routes[self.arrivalRoute]
            if ipv4 ? route.carriesIPv4 : route.carriesIPv6 {
                return Int32(truncatingIfNeeded: self.arrivalRoute)
            }
        }
        for index in self.routes.indices {
            let route = self.routes[index]
            if ipv4 ? route.carriesIPv4 : route.carriesIPv6 {
                return Int32(truncatingIfNeeded: index)
            }
        }
        return nil
    }

    /// Makes sure a slot is free: flushes a full bound batch; false for a full unbound one.
    private mutating func makeRoom() -> Bool {
        guard self.count == self.slotCount else { return true }
        guard !self.routes.isEmpty else { return false }
        self.flush()
        return self.count < self.slotCount
    }

    private mutating func commit(index: Int, length: Int, destination: RelayAddress, route: Int32) {
        let message = self.messages + index
        let family = route >= 0 ? self.routes[Int(route)].socketFamily : destination.socketFamily
        // route() chose a socket that carries the family, so encoding cannot fail.
        guard destination.write(destinationOf: message, socketFamily: family) else {
            self.counters.unroutable += 1
            return
        }
        message.pointee.capacity = length
        self.routeIndices[index] = route
        if index > 0 && self.routeIndices[0] != route {
            self.mixedRoutes = true
        }
        self.count = index + 1
    }

    /// Sends every queued datagram (one `sendmmsg` per socket used, more when the kernel takes
    /// part of a batch) and empties the batch. A batch with no socket is left as it is.
    mutating func flush() {
        guard self.count > 0, !self.routes.isEmpty else { return }
        if !self.mixedRoutes {
            let route = Int(self.routeIndices[0])
            self.send(self.messages, count: self.count, descriptor: self.routes[route].descriptor)
        } else {
            for route in self.routes.indices {
                var grouped = 0
                for index in 0..<self.count where Int(self.routeIndices[index]) == route {
                    self.scratch[grouped] = self.messages[index]
                    grouped += 1
                }
                if grouped > 0 {
                    self.send(self.scratch, count: grouped, descriptor: self.routes[route].descriptor)
                }
            }
        }
        self.count = 0
        self.mixedRoutes = false
    }

    /// Sends `count` records through one socket: the rest again after a partial send, one
    /// retry when the buffer is full before dropping the rest, and a record the kernel refuses
    /// dropped alone.
    private mutating func send(_ records: UnsafeMutablePointer<crelay_message>, count: Int, descriptor: Int32) {
        var offset = 0
        var retried = false
        var interrupted = 0
        // Each pass sends at least one record, or uses the single retry, or drops at least one:
        // the loop ends within 2 * count + 8 passes.
        while offset < count {
            let result = crelay_send_batch(descriptor, records + offset, UInt32(min(count - offset, self.slotCount)))
            if result > 0 {
                for index in offset..<(offset + Int(result)) {
                    self.counters.sentBytes += records[index].capacity
                }
                offset += Int(result)
                self.counters.sent += Int(result)
                retried = false
                continue
            }
            let code = result == 0 ? EAGAIN : errno
            if code == EINTR && interrupted < 8 {
                interrupted += 1
                continue
            }
            if code == EAGAIN || code == EWOULDBLOCK || code == ENOBUFS {
                if !retried {
                    retried = true
                    continue
                }
                self.counters.droppedWouldBlock += count - offset
                return
            }
            // sendmmsg fails only for its first record: drop that one and go on with the rest.
            self.counters.failed += 1
            self.counters.lastError = RelayIOError.Code(rawValue: code)
            offset += 1
        }
    }
}

@available(*, unavailable)
extension SendBatch: Sendable {}
