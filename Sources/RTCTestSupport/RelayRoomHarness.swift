public import MediaRelay
import RTCSecurity
import RTCWire

/// A ``RelayCore`` with `N` clients connected to it in memory and a clock the test moves: for
/// tests of rooms (mixing, active speakers, recording) and of anything that needs time to pass.
///
/// `init` opens a transport per client (transport and participant `1...N`), runs ICE and DTLS
/// to completion as ``RelayCoreHarness`` does, and installs no routing table: the test gives the
/// core its commands with ``apply(_:)``. Then:
/// - ``send(_:from:)`` protects a plain RTP packet with the client's session and hands it to the
///   core as if it arrived from the client's address;
/// - ``advance(milliseconds:)`` moves the clock and runs the core's timers whenever its deadline
///   has come (the mixer ticks every 20 ms);
/// - every datagram the core produces goes to the client at its destination: RTP is decrypted
///   and kept in that client's inbox (``received(by:)``), anything else is counted in
///   ``otherDatagrams``.
///
/// Not thread-safe.
public final class RelayRoomHarness {
    /// The clients (participant and transport `n` is `clients[n - 1]`).
    public let clients: [RelayTestClient]
    /// The core's counters.
    public let counters: RelayCoreCounters
    /// The core's clock.
    public private(set) var now: RelayTime
    /// Datagrams the core sent to a client that were not RTP (RTCP, STUN, DTLS) after connecting.
    public private(set) var otherDatagrams = 0

    var core: RelayCore
    var batch: SendBatch
    private let clientsByAddress: [RelayAddress: RelayTestClient]
    private var inboxes: [TransportID: [[UInt8]]] = [:]

    // Owned: protected packets laid out by `prepare`, `preparedCapacity` slots of `stride` bytes,
    // freed in deinit (raw memory, so that lending a slot to the core needs no exclusivity
    // bookkeeping on an array property).
    private var arena: UnsafeMutablePointer<UInt8>
    private var preparedCapacity = 1
    private let stride = 1500
    private var preparedLengths: [Int] = []
    private var preparedSources: [RelayAddress] = []

    /// Builds the core (its events go to `events`) and connects `clientCount` clients.
    ///
    /// - Throws: ``RelayCoreHarnessError`` when a client does not connect; ``DTLSError``,
    ///   ``SRTPError`` or ``STUNIntegrityError`` when OpenSSL or libsrtp fail.
    /// - Precondition: `clientCount` is 1...60.
    public init(clientCount: Int, events: RelayEventSink = .discarding) throws {
        precondition((1...60).contains(clientCount), "RelayRoomHarness: 1...60 clients")
        let relayIdentity = try DTLSIdentity.generate(commonName: "relay")
        let clientIdentity = try DTLSIdentity.generate(commonName: "client")
        let clientContext = try DTLSContext(identity: clientIdentity)
        let counters = RelayCoreCounters()
        self.now = RelayTime(nanoseconds: 1_000_000_000)
        self.core = try RelayCore(
            dtlsContext: try DTLSContext(identity: relayIdentity),
            configuration: RelayCoreConfiguration(events: events),
            counters: counters
        )
        self.batch = SendBatch(slotCount: 64, slotSize: 2048)
        self.counters = counters
        self.arena = UnsafeMutablePointer<UInt8>.allocate(capacity: self.stride)
        self.arena.initialize(repeating: 0, count: self.stride)
        var clients: [RelayTestClient] = []
        for id in 1...UInt64(clientCount) {
            let address = RelayAddress(ipv4: 0x0A00_0000 | UInt32(id), port: 5000 + UInt16(id))
            clients.append(
                try RelayTestClient(
                    id: id,
                    address: address,
                    context: clientContext,
                    relayFingerprint: relayIdentity.fingerprint
                )
            )
        }
        self.clients = clients
        self.clientsByAddress = Dictionary(uniqueKeysWithValues: clients.map { ($0.address, $0) })
        for client in clients {
            self.apply(
                .addTransport(
                    id: client.id,
                    credentials: client.credentials,
                    fingerprints: [clientIdentity.fingerprint],
                    participant: client.participant
                )
            )
        }
        guard counters[.transportsAdded] == UInt64(clientCount) else {
            throw RelayCoreHarnessError("the core refused a transport")
        }
        try RelayTestClient.connect(
            self.clients,
            to: &self.core,
            counters: self.counters,
            batch: &self.batch,
            now: self.now
        )
    }

    deinit {
        self.arena.deallocate()
    }

    /// The core (for inspection).
    public var relayCore: RelayCore {
        self.core
    }

    /// Gives the core a command now; what it sends is delivered.
    public func apply(_ command: RelayCore.Command) {
        self.batch.removeAll()
        self.core.apply(command, now: self.now, send: &self.batch)
        try? self.deliver()
    }

    /// Protects `packet` (plain RTP) with `client`'s session and hands it to the core from the
    /// client's address; what the core sends is delivered.
    ///
    /// - Throws: ``SRTPError`` when protection fails, ``RelayCoreHarnessError`` when the core sent
    ///   something a client cannot decrypt.
    public func send(_ packet: [UInt8], from client: RelayTestClient) throws {
        var protected = try client.protectRTP(packet)
        let length = protected.count
        protected.append(contentsOf: [UInt8](repeating: 0, count: 64))
        var span = protected.mutableSpan
        self.batch.removeAll()
        self.core.handle(datagram: &span, length: length, from: client.address, now: self.now, send: &self.batch)
        try self.deliver()
    }

    /// Moves the clock forward by `milliseconds`, 1 ms at a time, running the core's timers each
    /// time its deadline has come.
    ///
    /// - Throws: ``RelayCoreHarnessError`` when the core sent something a client cannot decrypt.
    public func advance(milliseconds: Int) throws {
        for _ in 0..<max(milliseconds, 0) {
            self.now = self.now.adding(milliseconds: 1)
            if let deadline = self.core.nextDeadline, deadline <= self.now {
                self.batch.removeAll()
                self.core.timersFired(now: self.now, send: &self.batch)
                try self.deliver()
            }
        }
    }

    /// Protects plain RTP `packets`, each with its client's session, into preallocated memory,
    /// ready for ``feedPrepared(_:)`` (outside any measurement). Replaces what was prepared before.
    ///
    /// - Throws: ``SRTPError`` when protection fails; ``RelayCoreHarnessError`` for a packet
    ///   longer than 1400 bytes.
    public func prepare(_ packets: [(client: RelayTestClient, bytes: [UInt8])]) throws {
        if packets.count > self.preparedCapacity {
            self.arena.deallocate()
            self.arena = UnsafeMutablePointer<UInt8>.allocate(capacity: packets.count * self.stride)
            self.arena.initialize(repeating: 0, count: packets.count * self.stride)
            self.preparedCapacity = packets.count
        }
        self.preparedLengths.removeAll(keepingCapacity: true)
        self.preparedSources.removeAll(keepingCapacity: true)
        for (index, packet) in packets.enumerated() {
            guard packet.bytes.count <= 1400 else {
                throw RelayCoreHarnessError("a prepared packet is longer than 1400 bytes")
            }
            let protected = try packet.client.protectRTP(packet.bytes)
            let slot = self.arena + index * self.stride
            for offset in protected.indices {
                slot[offset] = protected[offset]
            }
            self.preparedLengths.append(protected.count)
            self.preparedSources.append(packet.client.address)
        }
    }

    /// How many packets ``prepare(_:)`` laid out.
    public var preparedCount: Int {
        self.preparedLengths.count
    }

    /// Hands prepared packet `index` to the core from its client's address; what the core sends
    /// is dropped, not delivered. Allocates nothing in the harness; each prepared packet can be
    /// fed once (the core decrypts it in place).
    ///
    /// - Precondition: `index` is in 0..<``preparedCount``.
    public func feedPrepared(_ index: Int) {
        precondition(index >= 0 && index < self.preparedLengths.count, "RelayRoomHarness: no such prepared packet")
        self.batch.removeAll()
        var span = UnsafeMutableBufferPointer(start: self.arena + index * self.stride, count: self.stride).mutableSpan
        self.core.handle(
            datagram: &span,
            length: self.preparedLengths[index],
            from: self.preparedSources[index],
            now: self.now,
            send: &self.batch
        )
        self.batch.removeAll()
    }

    /// Moves the clock `milliseconds` in one step and runs the core's timers if due; what the core
    /// sends stays in the batch, undelivered, until the next call. Allocates nothing in the harness.
    ///
    /// - Returns: how many datagrams the core produced.
    @discardableResult
    public func advanceWithoutDelivery(milliseconds: Int) -> Int {
        self.batch.removeAll()
        self.now = self.now.adding(milliseconds: UInt64(max(milliseconds, 0)))
        if let deadline = self.core.nextDeadline, deadline <= self.now {
            self.core.timersFired(now: self.now, send: &self.batch)
        }
        return self.batch.count
    }

    /// The plain RTP packets `client` received, oldest first.
    public func received(by client: RelayTestClient) -> [[UInt8]] {
        self.inboxes[client.id] ?? []
    }

    /// Empties every client's inbox.
    public func removeAllReceived() {
        self.inboxes.removeAll()
    }

    /// A copy of datagram `index` of the batch and its destination.
    private func datagram(at index: Int) -> ([UInt8], RelayAddress) {
        self.batch.withDatagram(at: index) { bytes, destination in
            var copy: [UInt8] = []
            copy.reserveCapacity(bytes.count)
            for offset in bytes.indices {
                copy.append(bytes[offset])
            }
            return (copy, destination)
        }
    }

    /// Hands every datagram in the batch to its client.
    private func deliver() throws {
        for index in 0..<self.batch.count {
            let (bytes, destination) = self.datagram(at: index)
            guard let client = self.clientsByAddress[destination] else {
                throw RelayCoreHarnessError("the core sent to \(destination), which is no client")
            }
            guard PacketClass(classifying: bytes.span) == .rtp else {
                self.otherDatagrams += 1
                continue
            }
            do {
                self.inboxes[client.id, default: []].append(try client.unprotectRTP(bytes))
            } catch {
                throw RelayCoreHarnessError("client \(client.id) could not decrypt an RTP packet: \(error)")
            }
        }
        self.batch.removeAll()
    }

}

@available(*, unavailable)
extension RelayRoomHarness: Sendable {}
