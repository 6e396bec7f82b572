import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import Signaling
import Testing

/// The `/v1/rtc` endpoint over real loopback WebSockets, against ``FakeBackend``.
@Suite("Signaling endpoint", .serialized)
struct EndpointTests {
    @Test func joinOfferAnswerAndEvents() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let aliceToken = try await Fixtures.token(identity: "alice", name: "Alice")
        let bobToken = try await Fixtures.token(identity: "bob")
        try await app.test(.live) { client in
            let close = try await client.signaling { alice in
                try await alice.join(aliceToken, id: 1)
                let joined = try #require(await alice.inbox.next())
                #expect(joined.type == "joined")
                #expect(joined.id == .integer(1))
                #expect(joined.participant?.name == "Alice")
                #expect(joined.participant?.identity == "alice")
                #expect(joined.room?.name == "r")
                #expect(joined.participants == [])

                try await alice.send(#"{"type":"offer","sdp":"v=0\r\na=sendrecv\r\n","id":"o1"}"#)
                let answer = try #require(await alice.inbox.next())
                #expect(answer.type == "answer")
                #expect(answer.id == .string("o1"))
                #expect(answer.sdp == "v=0\r\ns=answer\r\n")

                try await alice.send(#"{"type":"ping","id":9}"#)
                let pong = try #require(await alice.inbox.next())
                #expect(pong.type == "pong")
                #expect(pong.id == .integer(9))

                // Bob joins: Alice gets participant_joined; Bob mutes: Alice gets track_muted;
                // Bob leaves: Alice gets participant_left.
                try await client.signaling { bob in
                    try await bob.join(bobToken, name: "Bobby")
                    let bobJoined = try #require(await bob.inbox.next())
                    #expect(bobJoined.type == "joined")
                    #expect(bobJoined.participants?.map(\.identity) == ["alice"])
                    #expect(bobJoined.tracks?.count == 1)
                    let event = try #require(await alice.inbox.next())
                    #expect(event.type == "participant_joined")
                    #expect(event.participant?.name == "Bobby")

                    try await bob.send(#"{"type":"mute","kind":"audio","muted":true}"#)
                    let muted = try #require(await alice.inbox.next())
                    #expect(muted.type == "track_muted")
                    #expect(muted.muted == true)

                    try await bob.send(
                        #"{"type":"candidate","candidate":"candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host","sdpMid":"0"}"#
                    )
                    try await bob.send(#"{"type":"candidate","candidate":""}"#)
                    try await bob.send(#"{"type":"leave"}"#)
                    #expect(await bob.inbox.waitEnded())
                }
                let left = try #require(await alice.inbox.next())
                #expect(left.type == "participant_left")
                #expect(left.reason == "left")
            }
            #expect(close?.closeCode == .normalClosure)
        }
        #expect(await Fixtures.eventually { await backend.leaves.count == 2 })
        let candidates = await backend.candidates
        #expect(candidates.count == 2)
        #expect(candidates.last?.isEndOfCandidates == true)
        #expect(await backend.offers.count == 1)
        #expect(await backend.leaves.map(\.reason) == [.left, .disconnected])
    }

    @Test func leaveClosesWith1000AndCallsLeaveOnce() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                try await connection.send(#"{"type":"leave"}"#)
                // Anything after leave is ignored.
                try? await connection.send(#"{"type":"ping"}"#)
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == .normalClosure)
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await backend.leaves.map(\.reason) == [.left])
    }

    @Test func disconnectWithoutLeaveCallsLeaveOnce() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            _ = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
            }
        }
        #expect(await Fixtures.eventually { await backend.leaves.count == 1 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(await backend.leaves.map(\.reason) == [.disconnected])
    }

    @Test func failedJoinNeverCallsLeave() async throws {
        let backend = FakeBackend()
        await backend.setJoinError(SignalingError(.roomFull, "The room is full."))
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "room_full")
                #expect(error.fatal == true)
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1013))
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await backend.joins.count == 1)
        #expect(await backend.leaves.isEmpty)
    }

    @Test func messagesBeforeJoinGetNotJoined() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        try await app.test(.live) { client in
            _ = try await client.signaling { connection in
                for message in [
                    #"{"type":"offer","sdp":"v=0","id":1}"#, #"{"type":"candidate","candidate":""}"#,
                    #"{"type":"mute","kind":"audio","muted":true}"#, #"{"type":"start_recording"}"#,
                    #"{"type":"stop_recording"}"#, #"{"type":"leave"}"#,
                ] {
                    try await connection.send(message)
                    let error = try #require(await connection.inbox.next())
                    #expect(error.code == "not_joined", "\(message)")
                    #expect(error.fatal == false)
                }
                #expect(await connection.inbox.next(0.05)?.type == nil)
                try await connection.send(#"{"type":"ping"}"#)
                #expect(await connection.inbox.next()?.type == "pong")
            }
        }
        #expect(await backend.offers.isEmpty)
    }

    @Test func badRequestsAreNotFatal() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            _ = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                for message in [
                    #"{"type":"dance","id":"d"}"#, #"{"id":3}"#, #"{"type":"offer"}"#,
                    #"{"type":"offer","sdp":5,"id":4}"#,
                    #"{"type":"mute","kind":"smell","muted":true}"#, #"{"type":"mute","kind":"audio"}"#,
                    #"{"type":"candidate","candidate":"not a candidate"}"#, #"{"type":7}"#,
                ] {
                    try await connection.send(message)
                    let error = try #require(await connection.inbox.next())
                    #expect(error.type == "error", "\(message)")
                    #expect(error.code == "bad_request", "\(message)")
                    #expect(error.fatal == false, "\(message)")
                    #expect(error.message?.isEmpty == false)
                }
                // The ids of invalid messages are echoed.
                try await connection.send(#"{"type":"dance","id":"x1"}"#)
                #expect(await connection.inbox.next()?.id == .string("x1"))
                try await connection.send(#"{"type":"join","token":"t"}"#)
                let again = try #require(await connection.inbox.next())
                #expect(again.code == "already_joined")
                #expect(again.fatal == false)
                // Backend errors on offers are not fatal and are passed through.
                try await connection.send(#"{"type":"offer","sdp":"garbage","id":5}"#)
                let badOffer = try #require(await connection.inbox.next())
                #expect(badOffer.code == "bad_offer")
                #expect(badOffer.id == .integer(5))
                #expect(badOffer.fatal == false)
                try await connection.send(#"{"type":"ping"}"#)
                #expect(await connection.inbox.next()?.type == "pong")
            }
        }
    }

    @Test func malformedJSONIsFatalWith4400() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        for text in [#"{"type":"join","#, "hello", "[1,2]", #""just a string""#, "{}}"] {
            try await app.test(.live) { client in
                let close = try await client.signaling { connection in
                    try await connection.send(text)
                    let error = try #require(await connection.inbox.next())
                    #expect(error.code == "bad_request", "\(text)")
                    #expect(error.fatal == true)
                    #expect(await connection.inbox.waitEnded())
                }
                #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 4400), "\(text)")
            }
        }
    }

    @Test func deepJSONIsRejectedWithoutACrash() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let deep =
            #"{"type":"ping","x":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            + "}"
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.send(deep)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "bad_request")
                #expect(error.fatal == true)
                #expect(error.message?.contains("nested") == true)
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 4400))
        }
    }

    @Test func oversizedFrameClosesWith1009() async throws {
        let backend = FakeBackend()
        var limits = Fixtures.fastLimits()
        limits.maxFrameBytes = 64 * 1024
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        let token = try await Fixtures.token()
        let megabyte = #"{"type":"offer","sdp":""# + String(repeating: "a", count: 1 << 20) + #""}"#
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                try await connection.send(megabyte)
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
        #expect(await Fixtures.eventually { await backend.leaves.count == 1 })
        #expect(await backend.offers.isEmpty)
    }

    @Test func oversizedMessageGetsTooLargeAnd1009() async throws {
        let backend = FakeBackend()
        var limits = Fixtures.fastLimits()
        limits.maxMessageBytes = 4 * 1024
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.send(#"{"type":"offer","sdp":""# + String(repeating: "a", count: 5000) + #""}"#)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "too_large")
                #expect(error.fatal == true)
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test func tokenErrorsAreFatalWith1008() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let now = Date().timeIntervalSince1970
        let cases: [(String, String)] = [
            (try await Fixtures.token(ttl: .seconds(10), now: now - 3600), "token_expired"),
            ("not.a.token", "invalid_token"),
            (
                try await TokenIssuer(key: try TokenKey.hs256(secret: Fixtures.otherSecret)).issue(
                    identity: "a",
                    room: "r"
                ), "invalid_token"
            ),
            (String(repeating: "A", count: 9000), "invalid_token"),
            (try await Fixtures.token(grants: [.publish]), "forbidden"),
        ]
        for (token, code) in cases {
            try await app.test(.live) { client in
                let close = try await client.signaling { connection in
                    try await connection.join(token, id: 77)
                    let error = try #require(await connection.inbox.next())
                    #expect(error.type == "error")
                    #expect(error.code == code)
                    #expect(error.fatal == true)
                    #expect(error.id == .integer(77))
                }
                #expect(close?.closeCode == .policyViolation, "\(code)")
            }
        }
        #expect(await backend.joins.isEmpty)
        #expect(await backend.leaves.isEmpty)
    }

    @Test func backendForbiddenMapsToErrorsAndCloses() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        // Publishing without the publish grant: the backend refuses, the error is not fatal.
        let listener = try await Fixtures.token(grants: [.join, .subscribe, .create])
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(listener)
                #expect(await connection.inbox.next()?.type == "joined")
                try await connection.send(#"{"type":"offer","sdp":"v=0\r\na=sendrecv\r\n"}"#)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "forbidden")
                #expect(error.fatal == false)
                try await connection.send(#"{"type":"start_recording","id":2}"#)
                let recording = try #require(await connection.inbox.next())
                #expect(recording.code == "forbidden")
                #expect(recording.id == .integer(2))
                try await connection.send(#"{"type":"offer","sdp":"v=0\r\na=recvonly\r\n"}"#)
                #expect(await connection.inbox.next()?.type == "answer")
            }
            #expect(close?.closeCode == .normalClosure)
        }
        // A forbidden join (the backend refuses the room) is fatal with 1008.
        await backend.setJoinError(SignalingError(.forbidden, "Not your room."))
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(listener)
                #expect(await connection.inbox.next()?.code == "forbidden")
            }
            #expect(close?.closeCode == .policyViolation)
        }
    }

    @Test func recordingEventsReachTheClient() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token(grants: [.join, .create, .record])
        try await app.test(.live) { client in
            _ = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                try await connection.send(#"{"type":"start_recording"}"#)
                let started = try #require(await connection.inbox.next())
                #expect(started.type == "recording_started")
                #expect(started.file == "r.opus")
                try await connection.send(#"{"type":"stop_recording"}"#)
                #expect(await connection.inbox.next()?.type == "recording_stopped")
            }
        }
    }

    @Test func roomNotFoundIsNotFatalAndJoinCanBeRetried() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let noCreate = try await Fixtures.token(room: "nowhere", grants: [.join])
        try await app.test(.live) { client in
            _ = try await client.signaling { connection in
                try await connection.join(noCreate)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "room_not_found")
                #expect(error.fatal == false)
                await backend.addRoom("nowhere")
                try await connection.join(noCreate)
                #expect(await connection.inbox.next()?.type == "joined")
            }
        }
    }

    @Test func drainingRefusesJoinsWith1013() async throws {
        let backend = FakeBackend()
        await backend.setDraining(true)
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "draining")
                #expect(error.fatal == true)
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1013))
        }
        #expect(await backend.joins.isEmpty)
    }

    @Test func joinsAreRateLimitedPerAddress() async throws {
        let backend = FakeBackend()
        var limits = Fixtures.fastLimits()
        limits.joinBurst = 2
        limits.joinsPerSecond = 0.01
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            for _ in 0..<2 {
                try await client.signaling { connection in
                    try await connection.join(token)
                    #expect(await connection.inbox.next()?.type == "joined")
                }
            }
            let close = try await client.signaling { connection in
                try await connection.join(token)
                let error = try #require(await connection.inbox.next())
                #expect(error.code == "rate_limited")
                #expect(error.fatal == true)
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1013))
        }
        #expect(await backend.joins.count == 2)
    }

    @Test func removalByTheBackendClosesAndLeavesOnce() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                let joined = try #require(await connection.inbox.next())
                let id = try #require(joined.participant?.id)
                try await backend.removeParticipant(room: "r", participantId: id)
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == .normalClosure)
        }
        #expect(await Fixtures.eventually { await backend.leaves.count == 1 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(await backend.leaves.map(\.reason) == [.removed])
    }

    @Test func roomClosedEventThenClose() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                try await backend.closeRoom(name: "r")
                #expect(await connection.inbox.next()?.type == "room_closed")
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == .normalClosure)
        }
    }

    @Test func silentClientIsDisconnectedAfterTheTimeout() async throws {
        let backend = FakeBackend()
        var limits = Fixtures.fastLimits()
        limits.pingInterval = .milliseconds(50)
        limits.silenceTimeout = .milliseconds(300)
        limits.closeTimeout = .milliseconds(100)
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            // This client sends its join and then neither reads nor answers pings.
            _ = try? await client.ws("/v1/rtc") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"join","token":"\#(token)"}"#))
                _ = await Fixtures.eventually(5) { await backend.leaves.count == 1 }
                for try await _ in inbound {}
            }
        }
        #expect(await backend.leaves.map(\.reason) == [.timeout])
    }

    @Test func clientAnsweringPingsStaysConnected() async throws {
        let backend = FakeBackend()
        var limits = Fixtures.fastLimits()
        limits.pingInterval = .milliseconds(50)
        limits.silenceTimeout = .milliseconds(300)
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let close = try await client.signaling { connection in
                try await connection.join(token)
                #expect(await connection.inbox.next()?.type == "joined")
                // Silent at the application level for 4 timeouts; the reader answers pings.
                try await Task.sleep(for: .milliseconds(1200))
                #expect(await connection.inbox.ended == false)
                try await connection.send(#"{"type":"ping"}"#)
                #expect(await connection.inbox.next()?.type == "pong")
            }
            #expect(close?.closeCode == .normalClosure)
        }
        #expect(await backend.leaves.map(\.reason) == [.disconnected])
    }

    @Test func clientThatDoesNotReadIsDroppedWhenItsQueueOverflows() async throws {
        let backend = FakeBackend()
        await backend.setFloodOnMute(20_000)
        var limits = Fixtures.fastLimits()
        limits.outboundQueueCapacity = 4
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(limits: limits))
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            _ = try? await client.ws("/v1/rtc") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"join","token":"\#(token)"}"#))
                try await outbound.write(.text(#"{"type":"mute","kind":"audio","muted":true}"#))
                _ = await Fixtures.eventually(5) { await backend.leaves.count == 1 }
                for try await _ in inbound {}
            }
        }
        #expect(await backend.mutes.count == 1)
        #expect(await backend.leaves.map(\.reason) == [.disconnected])
    }
}
