public import MediaRelay
import RTCSecurity
import RTCWire

/// A ``RelayCore`` with one publisher and `K` subscribers connected to it entirely in memory: no
/// sockets, no worker, no threads. For tests and benchmarks of the forwarding path.
///
/// `init` opens a transport per client, installs a routing table that sends the publisher's
/// audio track (SSRC ``publisherSSRC``, payload type 111) to every subscriber (subscriber `n`
/// sees SSRC `0x5EED_1000 + n`), and runs ICE and the DTLS handshake by handing each datagram to
/// ``RelayCore/handle(datagram:length:from:now:send:)`` and the datagrams the core appended to a
/// socketless ``SendBatch`` to the client at their destination, until every transport is
/// connected.
///
/// Then the publisher's packets go through the core: ``preparePackets(_:)`` protects a run of
/// Opus-like RTP packets (fresh sequence numbers) into a preallocated arena, outside any
/// measurement, and ``forwardPrepared(_:)`` feeds one to the core and leaves the protected copies
/// it produced in the batch (``outputCount``, ``output(at:)``). Forwarding allocates nothing in
/// the harness: the arena and the batch are reused. ``forward(packetCount:)`` does both for tests.
///
/// The clock stands still at ``now``: nothing here waits, and no timer fires. Not thread-safe.
public final class RelayCoreHarness {
    /// The SSRC of the publisher's audio track.
    public static let publisherSSRC: UInt32 = 0x5EED_0001
    /// The SSRC subscriber `n` (its participant number) receives the track as.
    public static func subscriberSSRC(_ participant: RoutingParticipantID) -> UInt32 {
        0x5EED_1000 &+ UInt32(truncatingIfNeeded: participant.rawValue)
    }

    /// Bytes of each RTP packet the publisher sends (header included, before protection).
    public let packetSize: Int
    /// The client that publishes (participant and transport 1).
    public let publisher: RelayTestClient
    /// The clients that subscribe (participants and transports 2...K+1).
    public let subscribers: [RelayTestClient]
    /// The core's counters.
    public let counters: RelayCoreCounters
    /// The time every call gives the core.
    public let now: RelayTime

    var core: RelayCore
    var batch: SendBatch
    private let clientsByAddress: [RelayAddress: RelayTestClient]
    private var sequence: UInt16 = 0

    // Owned: the prepared packets, `arenaCapacity` slots of `stride` bytes, freed in deinit (a
    // raw allocation rather than an array, so that lending a slot to the core needs no
    // exclusivity bookkeeping on an array property).
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private let stride: Int
    private var protectedLength = 0
    /// How many packets ``preparePackets(_:)`` laid out last.
    public private(set) var preparedCount = 0

    /// Builds the core and connects the clients.
    ///
    /// - Parameters:
    ///   - subscriberCount: subscribers, 1...63 (a send batch holds 64 datagrams).
    ///   - packetSize: bytes of each RTP packet, 12...1200 (an Opus-like 200 by default).
    /// - Throws: ``RelayCoreHarnessError`` when a client does not connect; ``DTLSError``,
    ///   ``SRTPError`` or ``STUNIntegrityError`` when OpenSSL or libsrtp fail.
    /// - Precondition: the sizes are as described.
    public init(subscriberCount: Int, packetSize: Int = 200) throws {
        precondition((1...63).contains(subscriberCount), "RelayCoreHarness: 1...63 subscribers")
        precondition((12...1200).contains(packetSize), "RelayCoreHarness: packets of 12...1200 bytes")
        let relayIdentity = try DTLSIdentity.generate(commonName: "relay")
        let clientIdentity = try DTLSIdentity.generate(commonName: "client")
        let clientContext = try DTLSContext(identity: clientIdentity)
        let counters = RelayCoreCounters()
        let now = RelayTime(nanoseconds: 1_000_000_000)
        var core = try RelayCore(dtlsContext: try DTLSContext(identity: relayIdentity), counters: counters)
        var batch = SendBatch(slotCount: 64, slotSize: 2048)

        var clients: [RelayTestClient] = []
        for id in 1...UInt64(subscriberCount + 1) {
            // 10.0.0.id:5000+id: any distinct addresses do; nothing is sent to them.
            let address = RelayAddress(ipv4: 0x0A00_0000 | UInt32(id), port: 5000 + UInt16(id))
            let client = try RelayTestClient(
                id: id,
                address: address,
                context: clientContext,
                relayFingerprint: relayIdentity.fingerprint
            )
            clients.append(client)
            core.apply(
                .addTransport(
                    id: client.id,
                    credentials: client.credentials,
                    fingerprints: [clientIdentity.fingerprint],
                    participant: client.participant
                ),
                now: now,
                send: &batch
            )
        }
        let publisher = clients[0]
        let subscribers = Array(clients.dropFirst())
        let table = try RoutingTable(
            tracks: [
                PublishedTrack(
                    id: 1,
                    publisher: publisher.participant,
                    kind: .audio,
                    mediaSSRC: Self.publisherSSRC,
                    payloadTypes: [111]
                )
            ],
            subscriptions: subscribers.map {
                TrackSubscription(
                    subscriber: $0.participant,
                    track: 1,
                    mediaSSRC: Self.subscriberSSRC($0.participant),
                    payloadTypes: [111: 111]
                )
            }
        )
        core.apply(.installRouting(table), now: now, send: &batch)

        self.packetSize = packetSize
        self.publisher = publisher
        self.subscribers = subscribers
        self.counters = counters
        self.now = now
        self.core = core
        self.batch = batch
        self.clientsByAddress = Dictionary(uniqueKeysWithValues: clients.map { ($0.address, $0) })
        self.stride = packetSize + SRTPProfile.maximumRTPTrailerLength
        self.arenaCapacity = 1
        self.arena = UnsafeMutablePointer<UInt8>.allocate(capacity: self.stride)
        self.arena.initialize(repeating: 0, count: self.stride)

        guard self.counters[.transportsAdded] == UInt64(clients.count) else {
            throw RelayCoreHarnessError("the core refused a transport")
        }
        try RelayTestClient.connect(clients, to: &self.core, counters: self.counters, batch: &self.batch, now: self.now)
    }

    deinit {
        self.arena.deallocate()
    }

    /// The core (for inspection: its transports and routing table).
    public var relayCore: RelayCore {
        self.core
    }

    /// The client at `address`, if any.
    public func client(at address: RelayAddress) -> RelayTestClient? {
        self.clientsByAddress[address]
    }

    /// Lays out `count` publisher packets in the arena, each with the next sequence number and
    /// protected with the publisher's outbound session, ready for ``forwardPrepared(_:)``.
    /// Allocates only when the arena must grow; replaces the packets prepared before.
    ///
    /// - Throws: ``SRTPError`` if protection fails.
    public func preparePackets(_ count: Int) throws {
        precondition(count >= 0, "RelayCoreHarness: a negative packet count")
        guard let outbound = self.publisher.outbound else {
            throw RelayCoreHarnessError("the publisher is not connected")
        }
        if count > self.arenaCapacity {
            self.arena.deallocate()
            self.arena = UnsafeMutablePointer<UInt8>.allocate(capacity: count * self.stride)
            self.arena.initialize(repeating: 0, count: count * self.stride)
            self.arenaCapacity = count
        }
        for index in 0..<count {
            let packet = self.arena + index * self.stride
            self.sequence &+= 1
            Self.writePacket(into: packet, size: self.packetSize, sequence: self.sequence)
            var span = UnsafeMutableBufferPointer(start: packet, count: self.stride).mutableSpan
            self.protectedLength = try outbound.protectRTP(&span, length: self.packetSize)
        }
        self.preparedCount = count
    }

    /// An RTP header (V=2, payload type 111, `sequence`, timestamp `sequence * 960`, the
    /// publisher's SSRC) and a payload whose bytes follow from the sequence number.
    private static func writePacket(into packet: UnsafeMutablePointer<UInt8>, size: Int, sequence: UInt16) {
        let timestamp = UInt32(sequence) &* 960
        packet[0] = 0x80
        packet[1] = 111
        packet[2] = UInt8(sequence >> 8)
        packet[3] = UInt8(truncatingIfNeeded: sequence)
        for byte in 0..<4 {
            packet[4 + byte] = UInt8(truncatingIfNeeded: timestamp >> UInt32(24 - 8 * byte))
            packet[8 + byte] = UInt8(truncatingIfNeeded: Self.publisherSSRC >> UInt32(24 - 8 * byte))
        }
        for index in 12..<size {
            packet[index] = Self.payloadByte(sequence: sequence, index: index)
        }
    }

    /// The payload byte at `index` of the packet with `sequence` (what a subscriber should read).
    public static func payloadByte(sequence: UInt16, index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: Int(sequence) &* 31 &+ index)
    }

    /// Feeds prepared packet `index` to the core as if it arrived from the publisher, after
    /// forgetting what the batch held; the protected copies the core produced stay in the batch.
    /// Allocates nothing in the harness. Each prepared packet can be forwarded once (the core
    /// decrypts it in place, and SRTP refuses a replay).
    ///
    /// - Returns: how many datagrams the core produced (one per connected subscriber).
    /// - Precondition: `index` is in 0..<``preparedCount``.
    @discardableResult
    public func forwardPrepared(_ index: Int) -> Int {
        precondition(index >= 0 && index < self.preparedCount, "RelayCoreHarness: no such prepared packet")
        self.batch.removeAll()
        var span = UnsafeMutableBufferPointer(start: self.arena + index * self.stride, count: self.stride).mutableSpan
        self.core.handle(
            datagram: &span,
            length: self.protectedLength,
            from: self.publisher.address,
            now: self.now,
            send: &self.batch
        )
        return self.batch.count
    }

    /// Prepares and forwards `packetCount` packets; the batch keeps the last one's copies.
    ///
    /// - Returns: the datagrams produced in all.
    /// - Throws: ``SRTPError`` if the publisher's protection fails.
    public func forward(packetCount: Int) throws -> Int {
        try self.preparePackets(packetCount)
        var produced = 0
        for index in 0..<packetCount {
            produced += self.forwardPrepared(index)
        }
        return produced
    }

    /// Datagrams the last forwarded packet produced.
    public var outputCount: Int {
        self.batch.count
    }

    /// A copy of produced datagram `index` (0..<``outputCount``) and its destination (allocates;
    /// for tests).
    public func output(at index: Int) -> (bytes: [UInt8], destination: RelayAddress) {
        self.batch.withDatagram(at: index) { bytes, destination in
            var copy: [UInt8] = []
            copy.reserveCapacity(bytes.count)
            for offset in bytes.indices {
                copy.append(bytes[offset])
            }
            return (copy, destination)
        }
    }
}

@available(*, unavailable)
extension RelayCoreHarness: Sendable {}
