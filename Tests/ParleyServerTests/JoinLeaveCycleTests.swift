import Foundation
import HummingbirdWSClient
import MediaRelay
import NIOWebSocket
import Testing

@testable import ParleyServer

/// SECURITY.md "exhaustion": join/leave cycles through the whole server (WebSocket, token,
/// conference, relay transport) give back sockets, file descriptors, rooms and memory.
///
/// Each cycle connects, joins room `cycle` (created by the join: rooms created by a join close
/// when they empty, so the room count returns to 0), offers aiortc's audio offer, takes the
/// answer (the relay gets a transport), then either sends `leave` and waits for the server's
/// close (even cycles) or closes the WebSocket without a leave (odd cycles).
@Suite("Server exhaustion: join/leave cycles", .serialized, .timeLimit(.minutes(10)))
struct JoinLeaveCycleTests {
    /// Cycles measured after the warm-up: 300 by default (about a minute in a debug build);
    /// PARLEY_CYCLES=1000 runs the full count by hand.
    static var cycles: Int {
        ProcessInfo.processInfo.environment["PARLEY_CYCLES"].flatMap { Int($0) } ?? 300
    }

    /// Cycles before the baseline: lazily made things (NIO's event loops, the client's TLS-free
    /// channel pipeline types, the relay's first transport, the allocator's arenas) exist by then.
    static let warmUp = 20

    /// Open descriptors allowed above the baseline: other suites run in the same process and
    /// open sockets of their own for a moment. A leak of one descriptor per cycle is hundreds.
    static let descriptorTolerance = 12

    /// Resident memory growth allowed (KiB). A cycle allocates a session, a participant, a
    /// transport with its DTLS state and an answer: tens of KiB that must all go back. 16 MiB
    /// over 300 cycles is under 55 KiB per cycle, so a leak of one transport or one session per
    /// cycle fails it; the rest is allocator slack and other suites running in the same process.
    static let residentToleranceKiB = 16 * 1024

    @Test("cycles return rooms, participants, transports, descriptors and memory to the baseline")
    func cyclesReturnToBaseline() async throws {
        try await TestServer.with { server in
            let token = try await server.token(room: "cycle", identity: "cycler")
            for index in 0..<Self.warmUp {
                try await Self.cycle(server, token: token, leaves: index % 2 == 0)
            }
            try await Self.expectEmpty(server)
            let descriptorsBefore = ProcessProbe.openDescriptors()
            let residentBefore = ProcessProbe.residentKiB()
            let addedBefore = server.assembly.relay.coreCounters(worker: 0)[.transportsAdded]

            let started = ContinuousClock.now
            for index in 0..<Self.cycles {
                try await Self.cycle(server, token: token, leaves: index % 2 == 0)
            }
            let elapsed = ContinuousClock.now - started

            try await Self.expectEmpty(server)
            let added = server.assembly.relay.coreCounters(worker: 0)[.transportsAdded] - addedBefore
            #expect(added == UInt64(Self.cycles), "every cycle gave the relay one transport")
            let descriptorsSettled = await ProcessProbe.eventually(10) {
                ProcessProbe.openDescriptors() <= descriptorsBefore + Self.descriptorTolerance
            }
            let descriptorsAfter = ProcessProbe.openDescriptors()
            let residentAfter = ProcessProbe.residentKiB()
            let milliseconds = Double(elapsed.components.seconds) * 1000
                + Double(elapsed.components.attoseconds) / 1e15
            print(
                "exhaustion: \(Self.cycles) join/leave cycles in \(Int(milliseconds)) ms "
                    + "(\(String(format: "%.1f", milliseconds / Double(Self.cycles))) ms each); "
                    + "descriptors \(descriptorsBefore) -> \(descriptorsAfter); "
                    + "RSS \(residentBefore) KiB -> \(residentAfter) KiB"
            )
            #expect(descriptorsSettled, "open descriptors \(descriptorsBefore) -> \(descriptorsAfter)")
            #expect(
                residentAfter - residentBefore < Self.residentToleranceKiB,
                "RSS \(residentBefore) KiB -> \(residentAfter) KiB"
            )
        }
    }

    /// Nothing left: no room, participant, session, transport or plan in the meeting, no
    /// transport in the relay's books or in its worker's core.
    static func expectEmpty(_ server: TestServer) async throws {
        let meeting = server.assembly.meeting
        let empty = await ProcessProbe.eventually { await meeting.tableSizes == MeetingTableSizes() }
        let sizes = await meeting.tableSizes
        #expect(empty, "meeting tables: \(sizes)")
        let relay = server.assembly.relay
        let closed = await ProcessProbe.eventually {
            let counters = relay.coreCounters(worker: 0)
            return counters[.transportsAdded] == counters[.transportsClosed] && relay.loads[0].transports == 0
        }
        let counters = relay.coreCounters(worker: 0)
        #expect(
            closed,
            "relay: \(counters[.transportsAdded]) transports added, \(counters[.transportsClosed]) closed, load \(relay.loads[0])"
        )
    }

    /// One cycle: connect, join, offer, answer, then leave (server closes 1000) or close.
    static func cycle(_ server: TestServer, token: String, leaves: Bool) async throws {
        let offer = try TestOffers.aiortcAudio()
        let close = try await server.connect { connection in
            try await connection.joinOrThrow(token)
            let answer = try await connection.negotiateOrThrow(offer)
            guard answer.contains("a=fingerprint:sha-256 ") else {
                throw TestServerError("the answer has no fingerprint: \(answer.prefix(120))")
            }
            if leaves {
                try await connection.send(#"{"type":"leave"}"#)
                guard await connection.inbox.waitEnded() else {
                    throw TestServerError("the server did not close after leave")
                }
            }
        }
        guard close?.closeCode == .normalClosure else {
            throw TestServerError("close: \(close.map { "\($0.closeCode)" } ?? "none")")
        }
    }
}
