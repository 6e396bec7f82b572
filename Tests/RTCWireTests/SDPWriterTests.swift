import RTCWire
import Testing

@Suite("SDP writer and answers built in code")
struct SDPWriterTests {
    /// An ICE-lite answer to a one-track audio offer, as Conference will build one.
    static func answer() -> SessionDescription {
        var audio = MediaDescription(
            kind: "audio",
            port: 40000,
            connection: SDPConnection(address: "127.0.0.1"),
            candidates: [SDPCandidate(foundation: "1", priority: 2_130_706_431, address: "127.0.0.1", port: 40000)],
            endOfCandidates: true,
            iceUfrag: "pRly",
            icePwd: "Z8k2Lq7Wm3Xv9Rt4Ns6Bc1Hd",
            fingerprints: [SDPFingerprint(hashFunction: "sha-256", value: Array(0..<32))],
            setup: .passive,
            mid: "0",
            extensions: [
                SDPExtensionMap(id: 1, uri: SDPExtensionMap.audioLevelURI),
                SDPExtensionMap(id: 4, uri: SDPExtensionMap.midURI),
            ],
            direction: .recvonly,
            rtcpMux: true
        )
        audio.appendCodec(
            SDPCodec(
                payloadType: 111,
                encodingName: "opus",
                clockRate: 48_000,
                channels: 2,
                formatParameters: SDPFormatParameters(
                    payloadType: 0,
                    parameters: [
                        SDPParameter(name: "minptime", value: "10"), SDPParameter(name: "useinbandfec", value: "1"),
                    ]
                ),
                feedback: [SDPRTCPFeedback(payloadType: nil, type: "transport-cc")]
            )
        )
        return SessionDescription(
            origin: SDPOrigin(sessionID: 4_611_731_400_430_051_336, sessionVersion: 1),
            groups: [SDPGroup(semantics: SDPGroup.bundle, mids: ["0"])],
            msidSemantic: SDPMsidSemantic(),
            iceLite: true,
            media: [audio]
        )
    }

    static let expectedAnswer = SDPFixtures.crlf(
        """
        v=0
        o=- 4611731400430051336 1 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=msid-semantic:WMS *
        a=ice-lite
        m=audio 40000 UDP/TLS/RTP/SAVPF 111
        c=IN IP4 127.0.0.1
        a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host
        a=end-of-candidates
        a=ice-ufrag:pRly
        a=ice-pwd:Z8k2Lq7Wm3Xv9Rt4Ns6Bc1Hd
        a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F
        a=setup:passive
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=recvonly
        a=rtcp-mux
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1

        """
    )

    @Test("a hand-built ICE-lite answer writes the exact expected text")
    func handBuiltAnswer() throws {
        let answer = Self.answer()
        #expect(answer.text == Self.expectedAnswer)
        var bytes: [UInt8] = []
        answer.write(into: &bytes)
        #expect(bytes == Array(Self.expectedAnswer.utf8))
        // Built in canonical form, it parses back to the same value.
        #expect(try SessionDescription(parsing: answer.text) == answer)
    }

    @Test("an answer built from a parsed offer echoes its payload types and extension IDs")
    func answerFromOffer() throws {
        for fixture in [SDPFixtures.chromiumAudio, SDPFixtures.aiortcAudio] {
            let offer = try SessionDescription(parsing: fixture)
            let offered = try #require(offer.media.first)
            let opus = try #require(offered.codecs(named: "opus").first)
            var audio = MediaDescription(
                kind: offered.kind,
                mid: offered.mid,
                extensions: [SDPExtensionMap.audioLevelURI, SDPExtensionMap.midURI].compactMap { uri in
                    offered.extensionID(for: uri).map { SDPExtensionMap(id: $0, uri: uri) }
                },
                direction: offer.direction(of: offered).reversed,
                rtcpMux: true
            )
            audio.appendCodec(opus)
            let answer = SessionDescription(origin: SDPOrigin(sessionID: 1), iceLite: true, media: [audio])
            let parsed = try SessionDescription(parsing: answer.text)
            let answered = try #require(parsed.media.first)
            #expect(answered.payloadTypes == [opus.payloadType])
            #expect(answered.codecs == [opus])
            #expect(
                answered.extensionID(for: SDPExtensionMap.midURI) == offered.extensionID(for: SDPExtensionMap.midURI)
            )
            #expect(answered.extensions.count == 2)
        }
    }

    @Test("control characters in values built in code cannot inject lines")
    func noInjection() throws {
        var session = SessionDescription(origin: SDPOrigin(sessionID: 1))
        session.sessionName = "Board\r\na=ice-lite\r\nm=audio 1 RTP/AVP 0"
        session.otherAttributes = [SDPAttribute(name: "x-note", value: "one\ntwo\u{0}")]
        let text = session.text
        #expect(text.contains("s=Boarda=ice-litem=audio 1 RTP/AVP 0\r\n"))
        #expect(text.contains("a=x-note:onetwo\r\n"))
        let parsed = try SessionDescription(parsing: text)
        #expect(!parsed.iceLite)
        #expect(parsed.media.isEmpty)
        #expect(parsed.otherAttributes == [SDPAttribute(name: "x-note", value: "onetwo")])
    }

    @Test("typed attributes write their canonical forms")
    func canonicalForms() throws {
        var media = MediaDescription(kind: "video", port: 0, portCount: 2, proto: "RTP/AVPF", formats: ["96"])
        media.rids = [
            SDPRid(
                id: "h",
                direction: .send,
                payloadTypes: [96, 97],
                restrictions: [SDPParameter(name: "max-width", value: "1280")]
            ),
            SDPRid(id: "l", direction: .recv, restrictions: [SDPParameter(name: "max-fps", value: "15")]),
        ]
        media.simulcast = SDPSimulcast(
            send: [[.init(rid: "h"), .init(rid: "m", paused: true)]],
            receive: [[.init(rid: "l")]]
        )
        media.rtcp = SDPRTCPAddress(port: 9)
        media.bandwidths = [SDPBandwidth(type: "TIAS", value: 64_000)]
        media.extensions = [SDPExtensionMap(id: 3, direction: .sendonly, uri: "urn:x", attributes: "a b")]
        media.ssrcGroups = [SDPSSRCGroup(semantics: SDPSSRCGroup.flowIdentification, ssrcs: [1, 4_294_967_295])]
        media.ssrcs = [SDPSSRCAttribute(ssrc: 1, attribute: "cname", value: "c c")]
        media.msids = [SDPMsid(streamID: "-", trackID: nil)]
        let session = SessionDescription(origin: SDPOrigin(sessionID: 0), timings: [], media: [media])
        let text = session.text
        for line in [
            "t=0 0", "m=video 0/2 RTP/AVPF 96", "b=TIAS:64000", "a=rtcp:9", "a=extmap:3/sendonly urn:x a b",
            "a=msid:-", "a=ssrc-group:FID 1 4294967295", "a=ssrc:1 cname:c c", "a=rid:h send pt=96,97;max-width=1280",
            "a=rid:l recv max-fps=15", "a=simulcast:send h,~m recv l",
        ] {
            #expect(text.contains("\r\n\(line)\r\n"), "\(line)")
        }
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed.media == [media])
    }
}
