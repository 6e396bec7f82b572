import Foundation
import HummingbirdWSClient
import MediaRelay
import NIOWebSocket
import Testing

@testable import ParleyServer

/// SECURITY.md "exhaustion": a participant that never completes ICE and DTLS is removed when the
/// relay's connect timeout (`connectTimeout`, 2 s here) passes; its transport is freed, the others
/// see `participant_left` with reason `timeout`, and its signaling connection is closed.
@Suite("Server exhaustion: connect timeout", .timeLimit(.minutes(1)))
struct ConnectTimeoutTests {
    @Test("a participant silent on the media path is removed after connectTimeout")
    func silentParticipantIsRemoved() async throws {
        try await TestServer.with(
            configuredBy: { $0.connectTimeout = 2 },
            run: { server in
                let observerToken = try await server.token(room: "ice", identity: "observer")
                let silentToken = try await server.token(room: "ice", identity: "silent")
                let offer = try TestOffers.aiortcAudio()
                try await server.connect { observer in
                    // The observer never offers, so it has no transport and no timeout of its own.
                    try await observer.joinOrThrow(observerToken)
                    let silentClose = try await server.connect { silent in
                        // The relay's clock starts when the transport is added, after the join
                        // reaches the server: so after this instant, and before the answer arrives.
                        let joining = ContinuousClock.now
                        try await silent.joinOrThrow(silentToken)
                        _ = try await silent.negotiateOrThrow(offer)
                        #expect(server.assembly.relay.loads[0].transports == 1)
                        let left = await observer.inbox.next(type: "participant_left", 20)
                        let waited = ContinuousClock.now - joining
                        #expect(left?.reason == "timeout")
                        #expect(waited > .milliseconds(1900), "removed after \(waited)")
                        #expect(waited < .seconds(15), "removed after \(waited) (2 s plus a loaded machine)")
                        #expect(await silent.inbox.waitEnded(), "the server closes the silent participant's connection")
                    }
                    #expect(silentClose?.closeCode == .normalClosure)
                    let sizes = await server.assembly.meeting.tableSizes
                    #expect(sizes.participants == 1)
                    #expect(sizes.transports == 0)
                    #expect(server.assembly.relay.loads[0].transports == 0)
                    let counters = server.assembly.relay.coreCounters(worker: 0)
                    #expect(counters[.transportsClosed] == 1)
                    #expect(counters[.transportsConnected] == 0)
                }
            }
        )
    }
}
