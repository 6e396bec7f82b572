import MediaRelay
import RTCWire
import Testing

/// A subscriber's sequence numbers and timestamps across the events that change what feeds it.
/// Audio at 48 kHz: 960 ticks per 20 ms packet, 48 ticks per millisecond.
@Suite("Routing sequence continuity")
struct RoutingContinuityTests {
    static let alice: RoutingParticipantID = 1
    static let bob: RoutingParticipantID = 2
    static let carol: RoutingParticipantID = 3
    static let aliceSSRC: UInt32 = 0xA
    static let bobSSRC: UInt32 = 0xB
    static let carolSees: UInt32 = 0x30

    static func table(
        carolReceives track: RoutingTrackID = 1,
        paused: Bool = false,
        aliceGeneration: UInt32 = 0
    ) throws -> RoutingTable {
        try RoutingTable(
            tracks: [
                RoutingFixtures.audioTrack(
                    id: 1,
                    publisher: Self.alice,
                    ssrc: Self.aliceSSRC,
                    generation: aliceGeneration
                ),
                RoutingFixtures.audioTrack(id: 2, publisher: Self.bob, ssrc: Self.bobSSRC),
            ],
            subscriptions: [
                RoutingFixtures.plainSubscription(Self.carol, to: track, ssrc: Self.carolSees, isPaused: paused)
            ]
        )
    }

    /// Sends one packet and returns Carol's copy's (sequence number, timestamp), or the drop.
    static func send(
        _ forwarder: Forwarder,
        from publisher: RoutingParticipantID = Self.alice,
        ssrc: UInt32 = Self.aliceSSRC,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        at milliseconds: UInt64
    ) throws -> Result {
        let packet = try RoutingFixtures.packet(ssrc: ssrc, sequenceNumber: sequenceNumber, timestamp: timestamp)
        let (_, delivered) = try RoutingFixtures.send(
            packet,
            from: publisher,
            to: forwarder,
            now: RoutingFixtures.at(milliseconds)
        )
        guard let copy = delivered.first else { return .none }
        switch copy.output {
        case .written:
            let header = try #require(copy.header)
            #expect(header.ssrc == Self.carolSees, "Carol always sees the SSRC negotiated with her")
            return .sent(header.sequenceNumber, header.timestamp)
        case .dropped(let reason):
            return .dropped(reason)
        }
    }

    enum Result: Equatable {
        case sent(UInt16, UInt32)
        case dropped(RoutingDropReason)
        case none
    }

    @Test("publisher mute: 5 s without packets, then the sequence continues; timestamps follow the publisher's")
    func publisherMute() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<5 {
            let result = try Self.send(
                forwarder,
                sequenceNumber: 1000 + UInt16(i),
                timestamp: 50_000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
            #expect(result == .sent(1000 + UInt16(i), 50_000 + UInt32(i) * 960))
        }
        // 5 s of silence: the publisher's clock moved 240000 ticks, its sequence did not.
        let resumed = try Self.send(
            forwarder,
            sequenceNumber: 1005,
            timestamp: 50_000 + 4 * 960 + 240_000,
            at: 80 + 5000
        )
        #expect(resumed == .sent(1005, 293_840))
        #expect(forwarder.rewriter(forDelivery: 0).sequenceOffset == 0)
    }

    @Test("delivery paused by the relay: skipped packets leave no gap; the timestamp advances by the wall-clock gap")
    func relayPause() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<3 {
            let result = try Self.send(
                forwarder,
                sequenceNumber: 10 + UInt16(i),
                timestamp: 1000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
            #expect(result == .sent(10 + UInt16(i), 1000 + UInt32(i) * 960))
        }
        forwarder.install(try Self.table(paused: true))
        for i in 3..<53 {
            let result = try Self.send(
                forwarder,
                sequenceNumber: 10 + UInt16(i),
                timestamp: 1000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
            #expect(result == .dropped(.paused))
        }
        #expect(forwarder.dropCount(.paused) == 50)
        forwarder.install(try Self.table(paused: false))
        // Source packet 63 at 1060 ms, 480 ticks late against its own clock: Carol gets the number
        // after 12 and her last timestamp (2920) plus 1020 ms (48960 ticks).
        let first = try Self.send(forwarder, sequenceNumber: 63, timestamp: 1000 + 53 * 960 + 480, at: 1060)
        #expect(first == .sent(13, 51_880))
        let second = try Self.send(forwarder, sequenceNumber: 64, timestamp: 1000 + 54 * 960 + 480, at: 1080)
        #expect(second == .sent(14, 52_840))
    }

    @Test("switch of source: a slot moves from Alice to Bob; Carol's sequence and timestamps continue")
    func switchOfSource() throws {
        let forwarder = Forwarder(table: try Self.table(carolReceives: 1))
        for i in 0..<3 {
            let result = try Self.send(
                forwarder,
                sequenceNumber: 5000 + UInt16(i),
                timestamp: 7000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
            #expect(result == .sent(5000 + UInt16(i), 7000 + UInt32(i) * 960))
        }
        forwarder.install(try Self.table(carolReceives: 2))
        // Alice's packets no longer reach Carol.
        #expect(try Self.send(forwarder, sequenceNumber: 5003, timestamp: 9880, at: 60) == .none)
        // Bob's random bases: 40000 and 123456. Carol gets 5003, and 8920 + 20 ms = 9880.
        let first = try Self.send(
            forwarder,
            from: Self.bob,
            ssrc: Self.bobSSRC,
            sequenceNumber: 40_000,
            timestamp: 123_456,
            at: 60
        )
        #expect(first == .sent(5003, 9880))
        let second = try Self.send(
            forwarder,
            from: Self.bob,
            ssrc: Self.bobSSRC,
            sequenceNumber: 40_001,
            timestamp: 124_416,
            at: 80
        )
        #expect(second == .sent(5004, 10_840))
        // A late packet of Bob's from before the switch would reuse Carol's 5002: dropped.
        let late = try Self.send(
            forwarder,
            from: Self.bob,
            ssrc: Self.bobSSRC,
            sequenceNumber: 39_999,
            timestamp: 122_496,
            at: 90
        )
        #expect(late == .dropped(.stale))
        #expect(forwarder.rewriter(forDelivery: 0).sequenceOffset == 5003 &- 40_000)
        #expect(forwarder.rewriter(forDelivery: 0).timestampOffset == 9880 &- 123_456)
    }

    @Test("publisher restart with the same SSRC and a new random base: confirmed by the next packet, then continuous")
    func publisherRestart() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<3 {
            _ = try Self.send(
                forwarder,
                sequenceNumber: 100 + UInt16(i),
                timestamp: 9000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
        }
        let stray = try Self.send(forwarder, sequenceNumber: 50_000, timestamp: 0x7777_0000, at: 60)
        #expect(stray == .dropped(.unconfirmedRestart))
        // Confirmed: 103, and 10920 + 40 ms since the last packet sent = 12840.
        let confirmed = try Self.send(forwarder, sequenceNumber: 50_001, timestamp: 0x7777_0000 + 960, at: 80)
        #expect(confirmed == .sent(103, 12_840))
        let next = try Self.send(forwarder, sequenceNumber: 50_002, timestamp: 0x7777_0000 + 1920, at: 100)
        #expect(next == .sent(104, 13_800))
    }

    @Test("a single stray packet far away does not move the stream")
    func strayPacket() throws {
        let forwarder = Forwarder(table: try Self.table())
        _ = try Self.send(forwarder, sequenceNumber: 100, timestamp: 9000, at: 0)
        #expect(
            try Self.send(forwarder, sequenceNumber: 30_000, timestamp: 9960, at: 20) == .dropped(.unconfirmedRestart)
        )
        #expect(try Self.send(forwarder, sequenceNumber: 101, timestamp: 9960, at: 20) == .sent(101, 9960))
        #expect(forwarder.rewriter(forDelivery: 0).sequenceOffset == 0)
    }

    @Test("restart whose new sequence lands inside the window is caught by its timestamp")
    func restartInsideSequenceWindow() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<3 {
            _ = try Self.send(
                forwarder,
                sequenceNumber: 100 + UInt16(i),
                timestamp: 9000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
        }
        #expect(
            try Self.send(forwarder, sequenceNumber: 112, timestamp: 0x9000_0000, at: 60)
                == .dropped(.unconfirmedRestart)
        )
        #expect(try Self.send(forwarder, sequenceNumber: 113, timestamp: 0x9000_03C0, at: 80) == .sent(103, 12_840))
    }

    @Test("restart announced by a new generation re-bases at once, without losing a packet")
    func restartWithGeneration() throws {
        let forwarder = Forwarder(table: try Self.table())
        for i in 0..<3 {
            _ = try Self.send(
                forwarder,
                sequenceNumber: 100 + UInt16(i),
                timestamp: 9000 + UInt32(i) * 960,
                at: UInt64(i) * 20
            )
        }
        forwarder.install(try Self.table(aliceGeneration: 1))
        #expect(try Self.send(forwarder, sequenceNumber: 7, timestamp: 77, at: 60) == .sent(103, 11_880))
        #expect(try Self.send(forwarder, sequenceNumber: 8, timestamp: 77 + 960, at: 80) == .sent(104, 12_840))
    }

    @Test("sequence numbers wrap from 65535 to 0, with and without a re-base")
    func wrap() throws {
        let forwarder = Forwarder(table: try Self.table())
        let numbers: [UInt16] = [65_533, 65_534, 65_535, 0, 1]
        for (i, number) in numbers.enumerated() {
            let result = try Self.send(
                forwarder,
                sequenceNumber: number,
                timestamp: 0xFFFF_FC40 &+ UInt32(i) * 960,
                at: UInt64(i) * 20
            )
            #expect(result == .sent(number, 0xFFFF_FC40 &+ UInt32(i) * 960))
        }
        // The timestamp wrapped too (0xFFFFFC40 + 960 = 0).
        #expect(
            try Self.send(forwarder, sequenceNumber: 2, timestamp: 0xFFFF_FC40 &+ 5 * 960, at: 100) == .sent(2, 3840)
        )

        // Carol at 65535 when the slot switches to Bob: she continues at 0.
        let switching = Forwarder(table: try Self.table(carolReceives: 1))
        _ = try Self.send(switching, sequenceNumber: 65_534, timestamp: 100, at: 0)
        _ = try Self.send(switching, sequenceNumber: 65_535, timestamp: 1060, at: 20)
        switching.install(try Self.table(carolReceives: 2))
        let first = try Self.send(
            switching,
            from: Self.bob,
            ssrc: Self.bobSSRC,
            sequenceNumber: 300,
            timestamp: 5,
            at: 40
        )
        #expect(first == .sent(0, 2020))
        let second = try Self.send(
            switching,
            from: Self.bob,
            ssrc: Self.bobSSRC,
            sequenceNumber: 301,
            timestamp: 965,
            at: 60
        )
        #expect(second == .sent(1, 2980))
        #expect(switching.rewriter(forDelivery: 0).sourceSequenceNumber(forOutgoing: 65_535) == nil)
        #expect(switching.rewriter(forDelivery: 0).sourceSequenceNumber(forOutgoing: 1) == 301)
    }

    @Test("reordered packets pass once; duplicates and packets beyond the window do not")
    func reorderingAndDuplicates() throws {
        let forwarder = Forwarder(table: try Self.table())
        #expect(try Self.send(forwarder, sequenceNumber: 10, timestamp: 0, at: 0) == .sent(10, 0))
        #expect(try Self.send(forwarder, sequenceNumber: 12, timestamp: 1920, at: 40) == .sent(12, 1920))
        #expect(try Self.send(forwarder, sequenceNumber: 11, timestamp: 960, at: 41) == .sent(11, 960))
        #expect(try Self.send(forwarder, sequenceNumber: 11, timestamp: 960, at: 42) == .dropped(.duplicate))
        #expect(try Self.send(forwarder, sequenceNumber: 12, timestamp: 1920, at: 43) == .dropped(.duplicate))
        #expect(try Self.send(forwarder, sequenceNumber: 100, timestamp: 90 * 960, at: 1800) == .sent(100, 86_400))
        #expect(try Self.send(forwarder, sequenceNumber: 20, timestamp: 10 * 960, at: 1801) == .dropped(.tooOld))
        #expect(try Self.send(forwarder, sequenceNumber: 40, timestamp: 30 * 960, at: 1802) == .sent(40, 28_800))
        #expect(forwarder.rewriter(forDelivery: 0).highestSequenceNumber == 100)
    }
}
