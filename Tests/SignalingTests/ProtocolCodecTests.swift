import Foundation
import Testing

@testable import Signaling

/// The JSON codec and the limits' building blocks, without sockets.
@Suite("Signaling protocol codec")
struct ProtocolCodecTests {
    let limits = SignalingLimits()

    func decode(_ text: String) -> Result<(ClientMessage, MessageID?), ClientMessage.DecodeFailure> {
        ClientMessage.decode(Array(text.utf8), limits: self.limits)
    }

    @Test func everyClientMessageDecodes() throws {
        let cases: [(String, ClientMessage, MessageID?)] = [
            (#"{"type":"join","token":"t","name":"Al","id":1}"#, .join(token: "t", name: "Al"), .integer(1)),
            (#"{"type":"join","token":"t"}"#, .join(token: "t", name: nil), nil),
            (#"{"type":"offer","sdp":"v=0","id":"a"}"#, .offer(sdp: "v=0"), .string("a")),
            (
                #"{"type":"candidate","candidate":"candidate:1","sdpMid":"0","sdpMLineIndex":0}"#,
                .candidate(candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0), nil
            ),
            (#"{"type":"mute","kind":"video","muted":false}"#, .mute(kind: .video, muted: false), nil),
            (#"{"type":"start_recording"}"#, .startRecording, nil),
            (#"{"type":"stop_recording"}"#, .stopRecording, nil),
            (#"{"type":"ping","id":2.5}"#, .ping, .number(2.5)),
            (#" {"type":"leave","unknown":{"a":[1,2,3]}} "#, .leave, nil),
        ]
        for (text, message, id) in cases {
            let (decoded, decodedID) = try self.decode(text).get()
            #expect(decoded == message, "\(text)")
            #expect(decodedID == id, "\(text)")
        }
    }

    @Test func malformedAndInvalidAreDistinguished() {
        for text in ["", "   ", "null", "[]", "1", #""s""#, "{", #"{"type":"join""#, "{]"] {
            guard case .failure(.malformed) = self.decode(text) else {
                Issue.record("not malformed: \(text)")
                continue
            }
        }
        for text in [
            #"{}"#, #"{"type":"x"}"#, #"{"type":1}"#, #"{"type":"offer"}"#,
            #"{"type":"mute","kind":"audio","muted":"yes"}"#,
        ] {
            guard case .failure(.invalid) = self.decode(text) else {
                Issue.record("not invalid: \(text)")
                continue
            }
        }
    }

    @Test func depthIsCheckedBeforeParsing() {
        let deep = #"{"a":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        guard case .failure(.malformed(let text)) = self.decode(deep) else {
            Issue.record("deep JSON accepted")
            return
        }
        #expect(text.contains("nested"))
        // Brackets inside strings do not count.
        let quoted = #"{"type":"ping","x":"# + "\"" + String(repeating: "[", count: 1000) + #"\"\\"# + "\"}"
        #expect((try? self.decode(quoted).get().0) == .ping)
        #expect(JSONShape.check(Array(#"{"a":[[[]]]}"#.utf8), maxDepth: 4) == .ok)
        #expect(JSONShape.check(Array(#"{"a":[[[[]]]]}"#.utf8), maxDepth: 4) == .tooDeep)
    }

    @Test func megabyteStringDecodesWithoutTrouble() throws {
        let sdp = String(repeating: "a", count: 1 << 20)
        let (message, _) = try self.decode(#"{"type":"offer","sdp":""# + sdp + #""}"#).get()
        #expect(message == .offer(sdp: sdp))
    }

    /// `text` parsed and written again with sorted keys, so two spellings of one object compare equal.
    func canonical(_ text: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self
        )
    }

    func expectEncoding(
        _ message: ServerMessage,
        _ expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(try self.canonical(message.jsonText()) == self.canonical(expected), sourceLocation: sourceLocation)
    }

    @Test func serverMessagesEncodeAsDocumented() throws {
        let participant = ParticipantInfo(id: "p7", identity: "alice", name: "Alice")
        let track = TrackInfo(id: "t12", participantId: "p7", kind: .audio, muted: false)
        let joined = JoinedPayload(
            participant: participant,
            room: RoomInfo(name: "r", audioMode: .both, recording: false),
            participants: [],
            tracks: [track]
        )
        try self.expectEncoding(
            .joined(joined, id: .integer(1)),
            #"{"type":"joined","id":1,"participant":{"id":"p7","identity":"alice","name":"Alice"},"room":{"name":"r","audioMode":"both","recording":false},"participants":[],"tracks":[{"id":"t12","participantId":"p7","kind":"audio","muted":false}]}"#
        )
        try self.expectEncoding(
            .error(SignalingError(.roomFull, "Full."), fatal: true, id: nil),
            #"{"type":"error","code":"room_full","message":"Full.","fatal":true}"#
        )
        try self.expectEncoding(.pong(id: .string("z")), #"{"type":"pong","id":"z"}"#)
        try self.expectEncoding(.answer(sdp: "v=0", id: nil), #"{"type":"answer","sdp":"v=0"}"#)
        let events: [(SignalingEvent, String)] = [
            (
                .participantJoined(participant),
                #"{"type":"participant_joined","participant":{"id":"p7","identity":"alice","name":"Alice"}}"#
            ),
            (
                .participantLeft(participantId: "p7", reason: .timeout),
                #"{"type":"participant_left","participantId":"p7","reason":"timeout"}"#
            ),
            (
                .tracks([track]),
                #"{"type":"tracks","tracks":[{"id":"t12","participantId":"p7","kind":"audio","muted":false}]}"#
            ),
            (.trackMuted(trackId: "t12", muted: true), #"{"type":"track_muted","trackId":"t12","muted":true}"#),
            (
                .activeSpeakers(participantIds: ["p7", "p9"]),
                #"{"type":"active_speakers","participantIds":["p7","p9"]}"#
            ),
            (.recordingStarted(file: "f.opus"), #"{"type":"recording_started","file":"f.opus"}"#),
            (.recordingStopped(file: "f.opus"), #"{"type":"recording_stopped","file":"f.opus"}"#),
            (.roomClosed, #"{"type":"room_closed"}"#),
            (.draining, #"{"type":"draining"}"#),
        ]
        for (event, expected) in events {
            try self.expectEncoding(.event(event), expected)
        }
    }

    @Test func fatalErrorsAndTheirCloseCodes() {
        let table: [(SignalingError.Code, Bool, UInt16?)] = [
            (.invalidToken, true, 1008), (.tokenExpired, true, 1008), (.forbidden, true, 1008),
            (.forbidden, false, nil),
            (.draining, true, 1013), (.roomFull, true, 1013), (.rateLimited, true, 1013), (.tooLarge, false, 1009),
            (.roomNotFound, true, nil), (.badOffer, false, nil), (.unsupportedOffer, false, nil),
            (.internal, false, nil),
            (.badRequest, false, nil), (.notJoined, false, nil), (.alreadyJoined, true, nil),
        ]
        for (code, duringJoin, close) in table {
            #expect(
                SignalingEndpoint.closeCode(for: SignalingError(code, ""), duringJoin: duringJoin)?.rawValue == close,
                "\(code)"
            )
        }
    }

    @Test func rateLimiterRefillsPerAddress() {
        let limiter = JoinRateLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.allow("a", now: start) })
        #expect(!limiter.allow("a", now: start))
        #expect(limiter.allow("b", now: start))
        #expect(!limiter.allow("a", now: start + .milliseconds(400)))
        #expect(limiter.allow("a", now: start + .milliseconds(600)))
        #expect(!limiter.allow("a", now: start + .milliseconds(600)))
        #expect((0..<3).allSatisfy { _ in limiter.allow("a", now: start + .seconds(100)) })
    }

    @Test func rateLimiterTableStaysBounded() {
        let limiter = JoinRateLimiter(rate: 1, burst: 1, maxAddresses: 100)
        let start = ContinuousClock.now
        for index in 0..<1000 {
            #expect(limiter.allow("10.0.0.\(index)", now: start + .seconds(index)))
        }
        #expect(limiter.count <= 100)
    }

    @Test func constantTimeComparison() {
        typealias Auth = AdminAuthMiddleware<SignalingRequestContext>
        #expect(Auth.constantTimeEqual(Array("key".utf8), Array("key".utf8)))
        #expect(!Auth.constantTimeEqual(Array("kez".utf8), Array("key".utf8)))
        #expect(!Auth.constantTimeEqual(Array("ke".utf8), Array("key".utf8)))
        #expect(!Auth.constantTimeEqual(Array("keyy".utf8), Array("key".utf8)))
        #expect(!Auth.constantTimeEqual([], Array("key".utf8)))
        #expect(!Auth.constantTimeEqual(Array("key".utf8), []))
    }
}
