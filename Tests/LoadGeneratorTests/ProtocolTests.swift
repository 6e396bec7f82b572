import Foundation
import RTCSecurity
import RTCWire
import Testing

@testable import LoadGeneratorCore

@Suite("Tokens, SDP and signaling messages")
struct ProtocolTests {
    @Test("a minted token carries the protocol's claims and verifies with its secret only")
    func token() throws {
        let minter = try TokenMinter(secret: Array("s3cret".utf8), issuer: "parley", lifetime: 600)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = minter.mint(identity: "load-7", room: "room-1", name: "Load 7", now: now)
        let claims = try minter.verify(token)
        #expect(claims.iss == "parley")
        #expect(claims.sub == "load-7")
        #expect(claims.room == "room-1")
        #expect(claims.name == "Load 7")
        #expect(claims.grants == ["join", "publish", "subscribe", "create"])
        #expect(claims.iat == 1_800_000_000)
        #expect(claims.exp == 1_800_000_600)
        // The header is the fixed HS256 one; no padding anywhere.
        #expect(token.hasPrefix(TokenMinter.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "."))
        #expect(!token.contains("="))
        let other = try TokenMinter(secret: Array("other".utf8))
        #expect(throws: LoadGeneratorError(.token, "")) { try other.verify(token) }
        #expect(throws: LoadGeneratorError(.token, "")) { try TokenMinter(secret: []) }
    }

    @Test("the signature primitive matches RFC 4231 test case 2, and signs header.payload")
    func hmacVector() throws {
        // RFC 4231 4.3: key "Jefe", data "what do ya want for nothing?".
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        let mac = TokenMinter.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == expected)
        let minter = try TokenMinter(secret: Array("Jefe".utf8))
        let parts = minter.mint(identity: "a", room: "r").split(separator: ".")
        let signature = TokenMinter.hmacSHA256(key: Array("Jefe".utf8), data: Array("\(parts[0]).\(parts[1])".utf8))
        #expect(TokenMinter.base64URL(Data(signature)) == String(parts[2]))
    }

    @Test("the offer is a browser-like BUNDLE offer that parses back with every required attribute")
    func offer() throws {
        var generator = SplitMix64(seed: 1)
        let plan = ParticipantPlan(
            number: 3,
            room: 0,
            identity: "u3",
            isTalker: true,
            toneFrequency: 300,
            using: &generator
        )
        let identity = try DTLSIdentity.generate(commonName: "t")
        let text = OfferBuilder.offer(for: plan, fingerprint: identity.fingerprint, recvonlyCount: 2, version: 4).text
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed.groups == [SDPGroup(semantics: "BUNDLE", mids: ["0", "1", "2"])])
        #expect(parsed.origin.sessionVersion == 4)
        #expect(parsed.media.count == 3)
        let first = parsed.media[0]
        #expect(first.direction == .sendrecv)
        #expect(first.rtcpMux)
        #expect(first.setup == .actpass)
        #expect(first.iceUfrag == plan.iceUfrag)
        #expect(first.icePwd == plan.icePassword)
        #expect(first.fingerprints.first?.value == identity.fingerprint.bytes)
        #expect(first.ssrcIDs == [plan.ssrc])
        #expect(first.codecs(named: "opus").first?.payloadType == 111)
        #expect(first.extensionID(for: SDPExtensionMap.audioLevelURI) == 1)
        #expect(first.extensionID(for: SDPExtensionMap.absSendTimeURI) == 2)
        #expect(parsed.media[1].direction == .recvonly)
        #expect(parsed.media[2].ssrcIDs.isEmpty)
        #expect(plan.iceUfrag.count == 8 && plan.icePassword.count == 24)
    }

    @Test("a listener's offer receives on every m-line and publishes nothing")
    func listenerOffer() throws {
        var generator = SplitMix64(seed: 2)
        var plan = ParticipantPlan(
            number: 4,
            room: 0,
            identity: "u4",
            isTalker: false,
            toneFrequency: nil,
            using: &generator
        )
        plan.sends = false
        let identity = try DTLSIdentity.generate(commonName: "t")
        let text = OfferBuilder.offer(for: plan, fingerprint: identity.fingerprint, recvonlyCount: 1, version: 1).text
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed.media.count == 2)
        let first = parsed.media[0]
        #expect(first.direction == .recvonly)
        #expect(first.ssrcIDs.isEmpty)
        #expect(first.msids.isEmpty)
        #expect(first.extensionID(for: SDPExtensionMap.absSendTimeURI) == 2)
        #expect(parsed.media[1].direction == .recvonly)
    }

    @Test("the answer's credentials, fingerprint, candidate, payload type and extension ids are read")
    func answer() throws {
        let identity = try DTLSIdentity.generate(commonName: "relay")
        let answer = """
            v=0\r
            o=- 1 1 IN IP4 127.0.0.1\r
            s=-\r
            t=0 0\r
            a=group:BUNDLE 0\r
            a=ice-lite\r
            m=audio 9 UDP/TLS/RTP/SAVPF 109\r
            c=IN IP4 0.0.0.0\r
            a=ice-ufrag:relayU\r
            a=ice-pwd:relayPassword0123456789abc\r
            a=fingerprint:\(identity.fingerprint.sdpValue)\r
            a=setup:passive\r
            a=mid:0\r
            a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r
            a=sendrecv\r
            a=rtcp-mux\r
            a=rtpmap:109 opus/48000/2\r
            a=candidate:1 1 udp 2130706431 127.0.0.2 40000 typ host\r
            a=end-of-candidates\r

            """
        let parameters = try AnswerParameters(parsing: answer, fallbackAddress: nil)
        #expect(parameters.remoteUfrag == "relayU")
        #expect(parameters.remotePassword == "relayPassword0123456789abc")
        #expect(parameters.fingerprints == [identity.fingerprint])
        #expect(parameters.address == 0x7F00_0002)
        #expect(parameters.port == 40000)
        #expect(parameters.payloadType == 109)
        #expect(parameters.absSendTimeID == 4)
        #expect(parameters.audioLevelID == nil)
        let unspecified = answer.replacingOccurrences(of: "127.0.0.2", with: "0.0.0.0")
        #expect(try AnswerParameters(parsing: unspecified, fallbackAddress: 0x7F00_0001).address == 0x7F00_0001)
        let noFingerprint = answer.replacingOccurrences(
            of: "a=fingerprint:\(identity.fingerprint.sdpValue)\r\n",
            with: ""
        )
        #expect(throws: LoadGeneratorError(.badAnswer, "")) {
            try AnswerParameters(parsing: noFingerprint, fallbackAddress: nil)
        }
        #expect(IPv4Address.parse("256.1.1.1") == nil)
        #expect(IPv4Address.format(0x7F00_0001) == "127.0.0.1")
    }

    @Test("client messages encode and server messages decode as protocol v1 says")
    func messages() throws {
        let join = ClientMessage.join(token: "t.k.n", name: "Load").json(id: 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(join.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "join")
        #expect(object["token"] as? String == "t.k.n")
        #expect(object["name"] as? String == "Load")
        #expect(object["id"] as? Int == 1)
        #expect(ClientMessage.leave.json() == #"{"type":"leave"}"#)

        let joined = try ServerMessage(
            json:
                #"{"type":"joined","participant":{"id":"p7","identity":"a"},"room":{"name":"r","audioMode":"mixed"},"participants":[],"tracks":[{"id":"t1","participantId":"p2","kind":"audio","muted":false}]}"#
        )
        #expect(
            joined
                == .joined(
                    participantID: "p7",
                    audioMode: "mixed",
                    tracks: [SignalingTrack(id: "t1", participantID: "p2", kind: "audio", muted: false)]
                )
        )
        #expect(try ServerMessage(json: #"{"type":"answer","sdp":"v=0"}"#) == .answer(sdp: "v=0"))
        #expect(
            try ServerMessage(json: #"{"type":"error","code":"room_full","message":"m","fatal":true}"#)
                == .error(code: "room_full", message: "m", fatal: true)
        )
        #expect(
            try ServerMessage(json: #"{"type":"active_speakers","participantIds":[]}"#)
                == .other(type: "active_speakers")
        )
        #expect(throws: LoadGeneratorError(.signaling, "")) { try ServerMessage(json: "[1]") }
    }
}

@Suite("HMAC-SHA256 vectors")
struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test("RFC 4231 test cases 1 and 6 (a key longer than a block)")
    func hmac() {
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(
            Self.hex(TokenMinter.hmacSHA256(key: key1, data: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        )
        let key6 = [UInt8](repeating: 0xaa, count: 131)
        #expect(
            Self.hex(
                TokenMinter.hmacSHA256(
                    key: key6,
                    data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
                )
            )
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        )
    }
}
