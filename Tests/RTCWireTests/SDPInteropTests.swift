import Foundation
import RTCWire
import Testing

/// Offers reconstructed from the abridged Chromium 156 and aiortc 1.16 offers in the project's
/// INTEROP notes, completed with the lines those stacks write around them. Kept in
/// `Tests/Fixtures/SDP` (shared with the Conference tests) with `\n` endings and joined with CRLF by
/// ``crlf(_:)``, as the browsers send them.
enum SDPFixtures {
    static let chromiumFingerprint =
        "DD:F8:D3:10:D2:16:93:30:8B:1E:D6:55:3E:49:72:C3:80:73:53:7B:65:6B:6E:8B:95:F6:35:B2:B1:29:AA:56"

    /// Chromium 156, audio only, after ICE gathering (a UDP and a TCP host candidate).
    static let chromiumAudio = load("chromium-audio.sdp")

    /// Chromium 156 with a microphone, a camera (VP8, H.264 and RTX, one SSRC pair grouped by FID)
    /// and a simulcast video track (three RIDs), bundled.
    static let chromiumAudioVideo = load("chromium-audio-video.sdp")

    static let aiortcFingerprints = [
        ("sha-256", "8B:9E:3D:73:71:EC:6D:CD:4B:46:84:35:47:C1:06:D6:E0:7E:5E:5E:38:05:E6:8B:6E:7A:CE:F6:3B:24:DE:88"),
        (
            "sha-384",
            "13:7B:91:78:2B:FB:54:09:29:2A:1B:57:0D:9A:29:01:88:80:EF:C5:BB:0A:04:97:17:4D:57:9C:53:BF:AA:32:"
                + "B8:5A:37:F8:1C:08:FC:FC:78:D9:25:E5:87:57:81:47"
        ),
        (
            "sha-512",
            "D7:2F:9C:B0:34:08:16:51:79:FD:89:44:D6:50:19:66:BB:1E:27:B1:51:7C:33:BD:2F:E4:4D:B9:35:DC:80:54:"
                + "66:65:06:EA:A0:3E:34:18:D0:62:6E:33:EE:93:65:D2:34:B0:B2:1E:95:EB:FE:E0:91:56:0A:2C:6C:9D:A3:72"
        ),
    ]

    /// aiortc 1.16.0 (aioice 0.13.0), audio only, in its own line order: no trickle, so one host
    /// candidate and `a=end-of-candidates`; three fingerprints.
    static let aiortcAudio = load("aiortc-audio.sdp")

    static let all = [chromiumAudio, chromiumAudioVideo, aiortcAudio]

    /// The fixtures by name, for parameterised tests.
    static let named = [
        "chromiumAudio": chromiumAudio, "chromiumAudioVideo": chromiumAudioVideo, "aiortcAudio": aiortcAudio,
    ]

    /// An offer from `Tests/Fixtures/SDP` (shared by the RTCWire and Conference tests), its LF line
    /// endings turned into CRLF as the browsers send them.
    static func load(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/SDP")
            .appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the SDP fixture \(url.path) cannot be read")
        }
        return crlf(text)
    }

    /// The text with every LF turned into CRLF.
    static func crlf(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }

    /// The lines of a CRLF fixture, without endings.
    static func lines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" {
            lines.removeLast()
        }
        return lines
    }
}

extension Array where Element == UInt8 {
    /// Bytes from colon-separated hex pairs, as fingerprints are written.
    init(fingerprint: String) {
        self = fingerprint.split(separator: ":").map { UInt8($0, radix: 16) ?? 0 }
    }
}

@Suite("SDP interop offers")
struct SDPInteropTests {
    @Test("Chromium audio offer: session, transport and ICE attributes")
    func chromiumAudioTransport() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.chromiumAudio)
        #expect(offer.origin.sessionID == 4_215_775_240_449_105_457)
        #expect(offer.origin.sessionVersion == 2)
        #expect(offer.sessionName == "-")
        #expect(offer.timings == [SDPTiming(start: 0, stop: 0)])
        #expect(offer.bundleMIDs == ["0"])
        #expect(offer.extmapAllowMixed)
        #expect(!offer.iceLite)
        #expect(offer.msidSemantic == SDPMsidSemantic(identifiers: ["5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40"]))
        #expect(offer.otherAttributes.isEmpty)
        try #require(offer.media.count == 1)

        let audio = offer.media[0]
        #expect(audio.kind == "audio")
        #expect(audio.port == 47631)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.connection == SDPConnection(address: "127.0.0.1"))
        #expect(audio.rtcp == SDPRTCPAddress(port: 9, connection: SDPConnection(address: "0.0.0.0")))
        #expect(audio.mid == "0")
        #expect(audio.iceUfrag == "Qev+")
        #expect(audio.icePwd == "Vt9ExZP3VOmCjq3i48Q2EvqB")
        #expect(offer.iceUfrag(of: audio) == "Qev+")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.setup == .actpass)
        #expect(audio.direction == .sendrecv)
        #expect(audio.rtcpMux)
        #expect(audio.rtcpReducedSize)
        #expect(!audio.endOfCandidates)
        #expect(
            audio.fingerprints == [
                SDPFingerprint(hashFunction: "sha-256", value: [UInt8](fingerprint: SDPFixtures.chromiumFingerprint))
            ]
        )
        #expect(audio.fingerprints.first?.hexValue == SDPFixtures.chromiumFingerprint)
        #expect(audio.otherAttributes.isEmpty)
    }

    @Test("Chromium audio offer: UDP and TCP candidates with their extensions in order")
    func chromiumCandidates() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.chromiumAudio)
        let candidates = offer.media[0].candidates
        try #require(candidates.count == 2)
        let extensions = [
            SDPCandidate.Extension(name: "generation", value: "0"),
            SDPCandidate.Extension(name: "network-id", value: "1"),
            SDPCandidate.Extension(name: "network-cost", value: "50"),
        ]
        #expect(
            candidates[0]
                == SDPCandidate(
                    foundation: "2999745851",
                    component: 1,
                    transport: .udp,
                    priority: 2_122_260_223,
                    address: "127.0.0.1",
                    port: 47631,
                    type: .host,
                    extensions: extensions
                )
        )
        #expect(candidates[1].transport == .tcp)
        #expect(candidates[1].tcpType == .active)
        #expect(candidates[1].port == 9)
        #expect(candidates[1].priority == 1_518_280_447)
        #expect(candidates[1].relatedAddress == nil)
        #expect(candidates[1].extensions == extensions)
        #expect(candidates[1].extensionValue("network-cost") == "50")
    }

    @Test("Chromium audio offer: codecs join rtpmap, fmtp and rtcp-fb; extension IDs by URI")
    func chromiumAudioCodecs() throws {
        let audio = try SessionDescription(parsing: SDPFixtures.chromiumAudio).media[0]
        let codecs = audio.codecs
        #expect(codecs.map(\.payloadType) == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(
            codecs.map(\.encodingName) == [
                "opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event",
            ]
        )

        let opus = try #require(audio.codecs(named: "OPUS").first)
        #expect(opus.payloadType == 111)
        #expect(opus.clockRate == 48_000)
        #expect(opus.channels == 2)
        #expect(opus.feedback == [SDPRTCPFeedback(payloadType: 111, type: "transport-cc")])
        #expect(opus.formatParameters?.raw == "minptime=10;useinbandfec=1")
        #expect(
            opus.formatParameters?.parameters == [
                SDPParameter(name: "minptime", value: "10"), SDPParameter(name: "useinbandfec", value: "1"),
            ]
        )
        #expect(opus.parameter("useinbandfec") == "1")
        #expect(opus.parameter("stereo") == nil)

        let red = try #require(audio.codec(payloadType: 63))
        #expect(red.formatParameters?.parameters == [SDPParameter(name: "111/111")])
        #expect(red.parameter("111/111") == "")
        #expect(audio.codec(payloadType: 126)?.clockRate == 8_000)
        #expect(audio.codec(payloadType: 100) == nil)

        #expect(audio.extensionID(for: SDPExtensionMap.audioLevelURI) == 1)
        #expect(audio.extensionID(for: SDPExtensionMap.absSendTimeURI) == 2)
        #expect(audio.extensionID(for: SDPExtensionMap.transportWideCCURI) == 3)
        #expect(audio.extensionID(for: SDPExtensionMap.midURI) == 4)
        #expect(audio.extensionID(for: SDPExtensionMap.ridURI) == nil)
        #expect(audio.extensionURI(for: 4) == SDPExtensionMap.midURI)

        #expect(audio.ssrcIDs == [2_029_537_776])
        #expect(audio.ssrcAttribute("cname", of: 2_029_537_776) == "k1c3PqRe8yJ3CPUC")
        #expect(
            audio.msids == [
                SDPMsid(
                    streamID: "5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40",
                    trackID: "0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b"
                )
            ]
        )
    }

    @Test("Chromium audio+video offer: VP8, H.264, RTX, FID group, rids and simulcast")
    func chromiumVideo() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.chromiumAudioVideo)
        #expect(offer.bundleMIDs == ["0", "1", "2"])
        #expect(offer.media.map(\.mid) == ["0", "1", "2"])
        #expect(offer.media.map(\.kind) == ["audio", "video", "video"])

        let camera = try #require(offer.media(mid: "1"))
        #expect(camera.port == 9)
        #expect(camera.candidates.isEmpty)
        #expect(offer.icePwd(of: camera) == "Vt9ExZP3VOmCjq3i48Q2EvqB")
        #expect(camera.payloadTypes == [96, 97, 102, 103, 104, 105])
        let vp8 = try #require(camera.codec(payloadType: 96))
        #expect(vp8.isNamed("vp8"))
        #expect(vp8.clockRate == 90_000)
        #expect(vp8.channels == nil)
        #expect(
            vp8.feedback == [
                SDPRTCPFeedback(payloadType: 96, type: "goog-remb"),
                SDPRTCPFeedback(payloadType: 96, type: "transport-cc"),
                SDPRTCPFeedback(payloadType: 96, type: "ccm", subtype: "fir"),
                SDPRTCPFeedback(payloadType: 96, type: "nack"),
                SDPRTCPFeedback(payloadType: 96, type: "nack", subtype: "pli"),
            ]
        )
        #expect(camera.codec(payloadType: 97)?.associatedPayloadType == 96)
        #expect(camera.codec(payloadType: 105)?.associatedPayloadType == 104)
        let h264 = camera.codecs(named: "H264")
        #expect(h264.map(\.payloadType) == [102, 104])
        #expect(h264.map { $0.parameter("packetization-mode") } == ["1", "0"])
        #expect(h264.first?.parameter("profile-level-id") == "42001f")
        #expect(camera.codecs(named: "rtx").map(\.payloadType) == [97, 103, 105])

        #expect(camera.extensionID(for: SDPExtensionMap.midURI) == 4)
        #expect(camera.extensionID(for: "urn:3gpp:video-orientation") == 13)
        #expect(camera.extensionID(for: SDPExtensionMap.repairedRIDURI) == 11)
        #expect(camera.extensions.count == 11)
        #expect(camera.ssrcGroups == [SDPSSRCGroup(semantics: "FID", ssrcs: [3_346_428_101, 1_887_423_532])])
        #expect(camera.ssrcIDs == [3_346_428_101, 1_887_423_532])
        #expect(camera.ssrcs.count == 4)
        #expect(
            camera.ssrcAttribute("msid", of: 1_887_423_532)
                == "5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c"
        )
        #expect(camera.rids.isEmpty)
        #expect(camera.simulcast == nil)

        let simulcast = try #require(offer.media(mid: "2"))
        #expect(simulcast.direction == .sendonly)
        #expect(offer.direction(of: simulcast) == .sendonly)
        #expect(simulcast.rids.map(\.id) == ["q", "h", "f"])
        #expect(simulcast.rids.allSatisfy { $0.direction == .send && $0.payloadTypes.isEmpty })
        #expect(
            simulcast.simulcast
                == SDPSimulcast(send: [[.init(rid: "q")], [.init(rid: "h")], [.init(rid: "f")]])
        )
        #expect(simulcast.ssrcs.isEmpty)
        #expect(simulcast.codec(payloadType: 102)?.parameter("profile-level-id") == "42e01f")
    }

    @Test("aiortc audio offer: three fingerprints, one candidate, end-of-candidates, its extmap numbering")
    func aiortcAudio() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.aiortcAudio)
        #expect(offer.origin.sessionID == 3_953_615_522)
        #expect(offer.origin.address == "0.0.0.0")
        #expect(offer.msidSemantic == SDPMsidSemantic(semantic: "WMS", identifiers: ["*"]))
        #expect(!offer.extmapAllowMixed)
        let audio = try #require(offer.media.first)
        #expect(audio.port == 50123)
        #expect(audio.payloadTypes == [96, 9, 0, 8])
        #expect(audio.iceUfrag?.utf8.count == 4)
        #expect(audio.icePwd?.utf8.count == 22)
        #expect(audio.iceOptions.isEmpty)
        #expect(audio.setup == .actpass)
        #expect(audio.rtcpMux)
        #expect(!audio.rtcpReducedSize)
        #expect(audio.endOfCandidates)
        #expect(audio.candidates.count == 1)
        #expect(audio.candidates.first?.priority == 2_130_706_431)
        #expect(audio.candidates.first?.extensions == [])
        #expect(audio.fingerprints.map(\.hashFunction) == ["sha-256", "sha-384", "sha-512"])
        #expect(audio.fingerprints.map(\.value.count) == [32, 48, 64])
        #expect(audio.fingerprints.map(\.hexValue) == SDPFixtures.aiortcFingerprints.map(\.1))

        let opus = try #require(audio.codecs(named: "opus").first)
        #expect(opus.payloadType == 96)
        #expect(opus.formatParameters == nil)
        #expect(opus.feedback.isEmpty)
        #expect(audio.codecs.map(\.encodingName) == ["opus", "G722", "PCMU", "PCMA"])
        // The opposite numbering from Chromium's.
        #expect(audio.extensionID(for: SDPExtensionMap.midURI) == 1)
        #expect(audio.extensionID(for: SDPExtensionMap.audioLevelURI) == 2)
        #expect(audio.ssrcIDs == [3_054_137_286])
    }

    @Test(
        "every offer: parse, write, parse gives an equal value and the same text",
        arguments: SDPFixtures.named.keys.sorted()
    )
    func roundTrip(name: String) throws {
        let fixture = try #require(SDPFixtures.named[name])
        let first = try SessionDescription(parsing: fixture)
        let written = first.text
        let second = try SessionDescription(parsing: written)
        #expect(second == first)
        #expect(second.text == written)
        #expect(written.hasSuffix("\r\n"))
        #expect(!written.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("Chromium's offers already follow the canonical order: written back unchanged but for msid-semantic")
    func chromiumWrittenUnchanged() throws {
        for fixture in [SDPFixtures.chromiumAudio, SDPFixtures.chromiumAudioVideo] {
            let written = try SessionDescription(parsing: fixture).text
            #expect(written == fixture.replacingOccurrences(of: "a=msid-semantic: WMS", with: "a=msid-semantic:WMS"))
        }
    }

    @Test("aiortc's offer is rewritten in the canonical order with the same lines")
    func aiortcReordered() throws {
        let written = try SessionDescription(parsing: SDPFixtures.aiortcAudio).text
        #expect(written != SDPFixtures.aiortcAudio)
        #expect(SDPFixtures.lines(written).sorted() == SDPFixtures.lines(SDPFixtures.aiortcAudio).sorted())
    }

    @Test("LF line endings parse to the same value as CRLF")
    func lfEndings() throws {
        for fixture in SDPFixtures.all {
            let lf = fixture.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(try SessionDescription(parsing: lf) == SessionDescription(parsing: fixture))
            #expect(try SessionDescription(parsing: Array(lf.utf8)) == SessionDescription(parsing: fixture))
        }
    }

    @Test("bytes and spans parse like strings")
    func byteInputs() throws {
        let bytes = Array(SDPFixtures.chromiumAudioVideo.utf8)
        let expected = try SessionDescription(parsing: SDPFixtures.chromiumAudioVideo)
        #expect(try SessionDescription(parsing: bytes) == expected)
        #expect(try SessionDescription(parsing: bytes.span) == expected)
        var written: [UInt8] = [0xFF]
        expected.write(into: &written)
        #expect(written.first == 0xFF)
        #expect(Array(written.dropFirst()) == Array(expected.text.utf8))
    }
}
