import Foundation
import RTCWire
import Testing

/// A deterministic generator for the garbage and mutation tests (SplitMix64).
struct SDPTestRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A malformed line put in place of the first fixture line starting with `prefix`.
struct SDPMalformedLine: Sendable, CustomTestStringConvertible {
    let prefix: String
    let replacement: String
    var code: WireError.Code = .syntax

    var testDescription: String { self.replacement }
}

/// The error parsing `text` throws, or nil when it parses.
func sdpParseError(_ text: String, limits: SDPLimits = .default) -> WireError? {
    do {
        _ = try SessionDescription(parsing: text, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `bytes` throws, or nil when they parse.
func sdpParseError(_ bytes: [UInt8], limits: SDPLimits = .default) -> WireError? {
    do {
        _ = try SessionDescription(parsing: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

@Suite("SDP parser errors, limits and robustness")
struct SDPParserTests {
    static let malformed: [SDPMalformedLine] = [
        // Lines that are not <letter>=<value>, or of an unknown or misplaced type.
        .init(prefix: "a=rtcp-rsize", replacement: "rtcp-rsize"),
        .init(prefix: "a=rtcp-rsize", replacement: "a"),
        .init(prefix: "a=rtcp-rsize", replacement: "A=rtcp-rsize"),
        .init(prefix: "a=rtcp-rsize", replacement: "a =rtcp-rsize"),
        .init(prefix: "a=rtcp-rsize", replacement: "x=unknown"),
        .init(prefix: "a=rtcp-rsize", replacement: "o=- 1 1 IN IP4 0.0.0.0"),
        .init(prefix: "a=rtcp-rsize", replacement: "a=rtcp-rsize\u{1}"),
        .init(prefix: "a=rtcp-rsize", replacement: "a=rtcp rsize"),
        .init(prefix: "a=extmap-allow-mixed", replacement: "w=1"),
        .init(prefix: "a=extmap-allow-mixed", replacement: "v=0"),
        .init(prefix: "v=0", replacement: "v=1"),
        .init(prefix: "v=0", replacement: "o=- 1 1 IN IP4 0.0.0.0", code: .missingField),
        // Session lines.
        .init(prefix: "o=", replacement: "o=- x 2 IN IP4 127.0.0.1"),
        .init(prefix: "o=", replacement: "o=- 1 2 IN IP4"),
        .init(prefix: "t=", replacement: "t=now"),
        .init(prefix: "a=group", replacement: "a=group:"),
        .init(prefix: "a=msid-semantic", replacement: "a=msid-semantic:"),
        .init(prefix: "a=extmap-allow-mixed", replacement: "a=ice-lite:yes"),
        .init(prefix: "a=extmap-allow-mixed", replacement: "b=AS"),
        .init(prefix: "a=extmap-allow-mixed", replacement: "b=AS:lots"),
        // m= lines.
        .init(prefix: "m=audio", replacement: "m=audio 47631"),
        .init(prefix: "m=audio", replacement: "m=audio 47631 UDP/TLS/RTP/SAVPF"),
        .init(prefix: "m=audio", replacement: "m=audio port UDP/TLS/RTP/SAVPF 111"),
        .init(prefix: "m=audio", replacement: "m=audio 70000 UDP/TLS/RTP/SAVPF 111"),
        .init(prefix: "m=audio", replacement: "m=audio -1 UDP/TLS/RTP/SAVPF 111"),
        .init(prefix: "m=audio", replacement: "m=audio 9/0 UDP/TLS/RTP/SAVPF 111"),
        .init(prefix: "m=audio", replacement: "m=audio 9 UDP/TLS/RTP/SAVPF 111 opus"),
        .init(prefix: "m=audio", replacement: "m=audio 9 UDP/TLS/RTP/SAVPF 128"),
        .init(prefix: "m=audio", replacement: "m=audio 9 UDP/TLS/RTP/SAVPF +111"),
        // Media lines.
        .init(prefix: "c=", replacement: "c=IN IP4"),
        .init(prefix: "a=rtcp:", replacement: "a=rtcp:nine IN IP4 0.0.0.0"),
        .init(prefix: "a=rtcp:", replacement: "a=rtcp:9 IN IP4"),
        .init(prefix: "a=rtcp-rsize", replacement: "a=rtcp-rsize:yes"),
        .init(prefix: "a=rtcp-mux", replacement: "a=rtcp-mux:"),
        .init(prefix: "a=sendrecv", replacement: "a=sendrecv:1"),
        .init(prefix: "a=sendrecv", replacement: "a=mid:1"),
        .init(prefix: "a=sendrecv", replacement: "a=ice-options:x"),
        .init(prefix: "a=mid", replacement: "a=mid:"),
        .init(prefix: "a=mid", replacement: "a=mid"),
        .init(prefix: "a=setup", replacement: "a=setup:maybe"),
        .init(prefix: "a=ice-ufrag", replacement: "a=ice-ufrag:abc"),
        .init(prefix: "a=ice-ufrag", replacement: "a=ice-ufrag:ab:cd"),
        .init(prefix: "a=ice-pwd", replacement: "a=ice-pwd:tooShort"),
        .init(prefix: "a=ice-options", replacement: "a=ice-options:"),
        .init(prefix: "a=msid:", replacement: "a=msid:a b c"),
        .init(prefix: "a=msid:", replacement: "a=msid:"),
        .init(prefix: "a=ssrc:", replacement: "a=ssrc:-5 cname:x"),
        .init(prefix: "a=ssrc:", replacement: "a=ssrc:4294967296 cname:x"),
        .init(prefix: "a=ssrc:", replacement: "a=ssrc:5"),
        .init(prefix: "a=sendrecv", replacement: "a=ssrc-group:FID 1 x"),
        // Extmap.
        .init(prefix: "a=extmap:1", replacement: "a=extmap:0 urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        .init(prefix: "a=extmap:1", replacement: "a=extmap:256 urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        .init(prefix: "a=extmap:1", replacement: "a=extmap:one urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        .init(prefix: "a=extmap:1", replacement: "a=extmap:1/sideways urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        .init(prefix: "a=extmap:1", replacement: "a=extmap:1"),
        .init(prefix: "a=extmap:2", replacement: "a=extmap:1 http://example.com/duplicate-id"),
        // Codec attributes.
        .init(prefix: "a=rtpmap:111", replacement: "a=rtpmap:opus opus/48000/2"),
        .init(prefix: "a=rtpmap:111", replacement: "a=rtpmap:111 opus/fast/2"),
        .init(prefix: "a=rtpmap:111", replacement: "a=rtpmap:111 opus"),
        .init(prefix: "a=rtpmap:111", replacement: "a=rtpmap:111 opus/48000/2/1"),
        .init(prefix: "a=rtpmap:111", replacement: "a=rtpmap:111 opus/48000/two"),
        .init(prefix: "a=rtpmap:9 ", replacement: "a=rtpmap:111 G722/8000"),
        .init(prefix: "a=fmtp:111", replacement: "a=fmtp:x minptime=10"),
        .init(prefix: "a=fmtp:63", replacement: "a=fmtp:111 111/111"),
        .init(prefix: "a=rtcp-fb:111", replacement: "a=rtcp-fb:1111 nack"),
        .init(prefix: "a=rtcp-fb:111", replacement: "a=rtcp-fb:111"),
        // Candidates.
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp high 127.0.0.1 47631 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ lan"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 type host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 sctp 2122260223 127.0.0.1 47631 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 0 udp 2122260223 127.0.0.1 47631 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 2122260223 127.0.0.1 99999 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 4294967296 127.0.0.1 47631 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:a_b 1 udp 2122260223 127.0.0.1 47631 typ host"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:1 1 udp 1 10.0.0.1 5 typ srflx raddr 1.1.1.1 rport x"
        ),
        .init(
            prefix: "a=candidate:2999745851",
            replacement: "a=candidate:1 1 udp 1 10.0.0.1 5 typ srflx raddr 1.1.1.1 raddr 2.2.2.2"
        ),
        .init(
            prefix: "a=candidate:1495853435",
            replacement: "a=candidate:1495853435 1 tcp 1518280447 127.0.0.1 9 typ host tcptype sideways"
        ),
        .init(prefix: "a=candidate:1495853435", replacement: "a=candidate:"),
        // Fingerprints.
        .init(prefix: "a=fingerprint", replacement: "a=fingerprint:sha-256"),
        .init(prefix: "a=fingerprint", replacement: "a=fingerprint:sha-256 DD:F8"),
        .init(
            prefix: "a=fingerprint",
            replacement:
                "a=fingerprint:sha-256 ZZ:F8:D3:10:D2:16:93:30:8B:1E:D6:55:3E:49:72:C3:80:73:53:7B:65:6B:6E:8B:95:F6:35:B2:B1:29:AA:56"
        ),
        .init(
            prefix: "a=fingerprint",
            replacement: "a=fingerprint:sha-256 DDF8D310D21693308B1ED6553E4972C38073537B656B6E8B95F635B2B129AA56"
        ),
        .init(
            prefix: "a=fingerprint",
            replacement:
                "a=fingerprint:sha-256 DD:F8:D3:10:D2:16:93:30:8B:1E:D6:55:3E:49:72:C3:80:73:53:7B:65:6B:6E:8B:95:F6:35:B2:B1:29:AA:5"
        ),
        .init(prefix: "a=fingerprint", replacement: "a=fingerprint:sha-256 DD::F8"),
        .init(prefix: "a=fingerprint", replacement: "a=fingerprint:DD:F8:D3:10"),
    ]

    @Test("a malformed line is a syntax error at its line number", arguments: Self.malformed)
    func malformedLine(_ malformed: SDPMalformedLine) throws {
        var lines = SDPFixtures.lines(SDPFixtures.chromiumAudio)
        let index = try #require(lines.firstIndex { $0.hasPrefix(malformed.prefix) })
        lines[index] = malformed.replacement
        let error = try #require(sdpParseError(lines.joined(separator: "\r\n")))
        #expect(error.code == malformed.code, "\(error)")
        #expect(error.offset == index + 1, "\(error)")
    }

    @Test(
        "single-valued lines and attributes may not repeat",
        arguments: [
            "o=- 1 1 IN IP4 0.0.0.0", "s=again", "a=msid-semantic:WMS", "a=ice-ufrag:abcd", "a=setup:active",
            "a=sendonly", "a=ice-options:ice2", "c=IN IP4 0.0.0.0", "v=0",
        ]
    )
    func repeatedSessionLine(_ line: String) throws {
        let text =
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nc=IN IP4 0.0.0.0\r\na=msid-semantic:WMS *\r\n"
            + "a=ice-ufrag:wxyz\r\na=setup:actpass\r\na=sendrecv\r\na=ice-options:trickle\r\n\(line)\r\n"
        let error = try #require(sdpParseError(text))
        #expect(error.code == .syntax)
        #expect(error.offset == 11)
    }

    @Test("a mid may not repeat across media descriptions")
    func repeatedMid() throws {
        let text = SDPFixtures.chromiumAudioVideo.replacingOccurrences(of: "a=mid:2", with: "a=mid:0")
        let error = try #require(sdpParseError(text))
        #expect(error.code == .syntax)
        let line = SDPFixtures.lines(text).lastIndex { $0 == "a=mid:0" }.map { $0 + 1 }
        #expect(error.offset == line)
    }

    @Test("missing v=, o=, s= or t= lines are missingField errors")
    func missingFields() throws {
        #expect(sdpParseError("")?.code == .missingField)
        #expect(sdpParseError("")?.offset == 1)
        #expect(sdpParseError("\r\n\r\n")?.code == .missingField)
        #expect(sdpParseError("v=0\r\n")?.code == .missingField)
        #expect(sdpParseError("v=0\r\n")?.offset == 2)
        #expect(sdpParseError("s=-\r\nv=0\r\n")?.offset == 1)
        let noTiming = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n"
        #expect(sdpParseError(noTiming)?.code == .missingField)
        #expect(sdpParseError(noTiming)?.offset == 4)
        #expect(sdpParseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n")?.code == .missingField)
        #expect(sdpParseError("v=0\r\ns=-\r\nt=0 0\r\n")?.code == .missingField)
        #expect(sdpParseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n") == nil)
    }

    @Test("10^5 lines are rejected quickly, before they are parsed")
    func hundredThousandLines() throws {
        let flood = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + String(repeating: "a=x\r\n", count: 100_000)
        let clock = ContinuousClock()
        var bySize: WireError?
        var byCount: WireError?
        var byCountFromBytes: WireError?
        let elapsed = clock.measure {
            bySize = sdpParseError(flood)
            byCount = sdpParseError(flood, limits: SDPLimits(maxBytes: 1 << 24))
            byCountFromBytes = sdpParseError(Array(flood.utf8), limits: SDPLimits(maxBytes: 1 << 24))
        }
        #expect(bySize?.code == .tooLarge)
        #expect(bySize?.offset == 0)
        #expect(byCount?.code == .tooMany)
        #expect(byCount?.offset == 2001)
        #expect(byCountFromBytes?.code == .tooMany)
        #expect(elapsed < .seconds(1), "took \(elapsed)")
        // The limits are what stops it: with room for every line it parses.
        let roomy = SDPLimits(maxBytes: 1 << 24, maxLines: 200_000)
        #expect(try SessionDescription(parsing: flood, limits: roomy).otherAttributes.count == 100_000)
    }

    @Test("line length and media count limits name the offending line")
    func lineAndMediaLimits() throws {
        var lines = SDPFixtures.lines(SDPFixtures.chromiumAudio)
        let index = try #require(lines.firstIndex { $0.hasPrefix("a=rtcp-rsize") })
        lines[index] = "a=x-long:" + String(repeating: "y", count: 5_000)
        let long = sdpParseError(lines.joined(separator: "\r\n"))
        #expect(long?.code == .tooLarge)
        #expect(long?.offset == index + 1)
        #expect(sdpParseError(lines.joined(separator: "\r\n"), limits: SDPLimits(maxLineLength: 8_192)) == nil)

        let media = try #require(SDPFixtures.lines(SDPFixtures.chromiumAudioVideo).lastIndex { $0.hasPrefix("m=") })
        let tooMany = sdpParseError(SDPFixtures.chromiumAudioVideo, limits: SDPLimits(maxMediaDescriptions: 2))
        #expect(tooMany?.code == .tooMany)
        #expect(tooMany?.offset == media + 1)
        #expect(sdpParseError(SDPFixtures.chromiumAudioVideo, limits: SDPLimits(maxMediaDescriptions: 3)) == nil)

        let small = SDPLimits(maxBytes: SDPFixtures.chromiumAudio.utf8.count - 1)
        #expect(sdpParseError(SDPFixtures.chromiumAudio, limits: small)?.code == .tooLarge)
        #expect(sdpParseError(Array(SDPFixtures.chromiumAudio.utf8), limits: small)?.code == .tooLarge)
        #expect(sdpParseError(SDPFixtures.chromiumAudio, limits: SDPLimits(maxLines: 20))?.code == .tooMany)
    }

    @Test("invalid UTF-8 in bytes is a syntax error at its line")
    func invalidUTF8() throws {
        var bytes = Array(SDPFixtures.chromiumAudio.utf8)
        let lines = SDPFixtures.lines(SDPFixtures.chromiumAudio)
        let index = try #require(lines.firstIndex { $0.hasPrefix("s=") })
        let offset = lines[..<index].reduce(0) { $0 + $1.utf8.count + 2 } + 2
        bytes[offset] = 0xC3  // a lead byte followed by CR
        let error = try #require(sdpParseError(bytes))
        #expect(error.code == .syntax)
        #expect(error.offset == index + 1)
        // Valid UTF-8 text is kept as written.
        bytes[offset] = 0x2D
        bytes.insert(contentsOf: Array("é".utf8), at: offset + 1)
        #expect(try SessionDescription(parsing: bytes).sessionName == "-é")
    }

    @Test("blank lines, trailing whitespace and k= lines are tolerated")
    func tolerated() throws {
        let messy = SDPFixtures.chromiumAudio
            .replacingOccurrences(of: "a=mid:0\r\n", with: "a=mid:0  \t\r\n\r\nk=prompt\r\n")
            .replacingOccurrences(of: "s=-\r\n", with: "s=-\r\nk=clear:secret\r\n")
        #expect(try SessionDescription(parsing: messy) == SessionDescription(parsing: SDPFixtures.chromiumAudio))
        // No final line ending.
        let unterminated = String(decoding: SDPFixtures.chromiumAudio.utf8.dropLast(2), as: UTF8.self)
        #expect(try SessionDescription(parsing: unterminated) == SessionDescription(parsing: SDPFixtures.chromiumAudio))
    }

    @Test("unknown attributes are kept in order with their raw values, at their level")
    func unknownAttributes() throws {
        let text = SDPFixtures.crlf(
            """
            v=0
            o=- 7 7 IN IP4 0.0.0.0
            s=Weekly meeting
            i=Minutes follow
            t=0 0
            a=x-session-flag
            a=group:BUNDLE 0 1
            a=x-session-value: spaced value
            a=mid:not-at-session-level
            a=tool:parley
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 0.0.0.0
            b=AS:64
            a=x-media:1
            a=mid:0
            a=ptime:20
            a=ice-lite
            a=rtpmap:111 opus/48000/2
            a=maxptime:120
            a=x-empty:
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=mid:1
            a=sctp-port:5000
            a=max-message-size:262144
            a=rtpmap:5000 not-rtp

            """
        )
        let session = try SessionDescription(parsing: text)
        #expect(session.sessionName == "Weekly meeting")
        #expect(session.information == "Minutes follow")
        #expect(
            session.otherAttributes == [
                SDPAttribute(name: "x-session-flag"),
                SDPAttribute(name: "x-session-value", value: " spaced value"),
                SDPAttribute(name: "mid", value: "not-at-session-level"),
                SDPAttribute(name: "tool", value: "parley"),
            ]
        )
        let audio = session.media[0]
        #expect(audio.bandwidths == [SDPBandwidth(type: "AS", value: 64)])
        #expect(
            audio.otherAttributes == [
                SDPAttribute(name: "x-media", value: "1"),
                SDPAttribute(name: "ptime", value: "20"),
                SDPAttribute(name: "ice-lite"),
                SDPAttribute(name: "maxptime", value: "120"),
                SDPAttribute(name: "x-empty", value: ""),
            ]
        )
        let data = session.media[1]
        #expect(!data.isRTP)
        #expect(data.formats == ["webrtc-datachannel"])
        #expect(data.payloadTypes.isEmpty)
        #expect(data.rtpMaps.isEmpty)
        #expect(
            data.otherAttributes == [
                SDPAttribute(name: "sctp-port", value: "5000"),
                SDPAttribute(name: "max-message-size", value: "262144"),
                SDPAttribute(name: "rtpmap", value: "5000 not-rtp"),
            ]
        )
        let written = session.text
        #expect(written.contains("a=x-session-value: spaced value\r\n"))
        #expect(written.contains("a=x-empty:\r\n"))
        #expect(written.contains("a=rtpmap:5000 not-rtp\r\n"))
        let again = try SessionDescription(parsing: written)
        #expect(again == session)
        #expect(again.text == written)
    }

    @Test("rtpmap, rtcp-fb and fmtp are ordered by the m= line, so parse-write-parse is stable")
    func payloadTypeOrder() throws {
        let text = SDPFixtures.crlf(
            """
            v=0
            o=- 7 7 IN IP4 0.0.0.0
            s=-
            t=0 0
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            a=rtcp-fb:* nack
            a=fmtp:97 apt=96
            a=rtpmap:120 H265/90000
            a=rtpmap:97 rtx/90000
            a=rtcp-fb:96 nack pli
            a=rtpmap:96 VP8/90000
            a=fmtp:120 x=1
            a=rtcp-fb:96 ccm  fir

            """
        )
        let video = try #require(SessionDescription(parsing: text).media.first)
        #expect(video.rtpMaps.map(\.payloadType) == [96, 97, 120])
        #expect(video.formatParameters.map(\.payloadType) == [97, 120])
        #expect(video.rtcpFeedback.map(\.payloadType) == [96, 96, nil])
        #expect(video.rtcpFeedback[1].subtype == "fir")
        #expect(video.codec(payloadType: 96)?.feedback.count == 3)
        #expect(video.codecs.map(\.payloadType) == [96, 97])
        let session = try SessionDescription(parsing: text)
        #expect(
            session.text.hasSuffix(
                SDPFixtures.crlf(
                    """
                    m=video 9 UDP/TLS/RTP/SAVPF 96 97
                    a=rtpmap:96 VP8/90000
                    a=rtcp-fb:96 nack pli
                    a=rtcp-fb:96 ccm fir
                    a=rtpmap:97 rtx/90000
                    a=fmtp:97 apt=96
                    a=rtpmap:120 H265/90000
                    a=rtcp-fb:* nack
                    a=fmtp:120 x=1

                    """
                )
            )
        )
        #expect(try SessionDescription(parsing: session.text) == session)
    }

    @Test("a trickled candidate parses with or without its prefix and writes canonically")
    func trickledCandidate() throws {
        let text =
            "candidate:842163049 1 UDP 1677729535 203.0.113.7 61665 typ srflx rport 50000 generation 0 "
            + "raddr 192.168.1.2 ufrag Qev+ network-cost 999"
        let candidate = try SDPCandidate(parsing: text)
        #expect(candidate.transport == .udp)
        #expect(candidate.type == .srflx)
        #expect(candidate.relatedAddress == "192.168.1.2")
        #expect(candidate.relatedPort == 50000)
        #expect(candidate.extensions.map(\.name) == ["generation", "ufrag", "network-cost"])
        #expect(candidate.extensionValue("ufrag") == "Qev+")
        #expect(
            candidate.candidateString
                == "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.2 rport 50000 "
                + "generation 0 ufrag Qev+ network-cost 999"
        )
        #expect(try SDPCandidate(parsing: candidate.candidateString) == candidate)
        #expect(try SDPCandidate(parsing: "a=" + text + "\r\n") == candidate)
        #expect(try SDPCandidate(parsing: String(text.dropFirst("candidate:".count))) == candidate)
        let relay = try SDPCandidate(parsing: "candidate:1 2 tcp 5 ::1 3478 typ relay tcptype passive")
        #expect(relay.component == 2)
        #expect(relay.address == "::1")
        #expect(relay.tcpType == .passive)
        #expect(throws: WireError(.syntax, "")) { try SDPCandidate(parsing: "candidate:1 1 udp 1 x 1 typ host\nfoo") }
        #expect(throws: WireError(.syntax, "")) { try SDPCandidate(parsing: "") }
        #expect(throws: WireError(.tooLarge, "")) {
            try SDPCandidate(parsing: "candidate:1 1 udp 1 x 1 typ host" + String(repeating: " a b", count: 2_000))
        }
    }

    @Test("random garbage never traps, and whatever parses round-trips")
    func garbage() {
        var random = SDPTestRandom(state: 0x5D9)
        let alphabet = Array("vosmcatbkir=:/ ;,~*-\r\n\n0123456789AQZaeqz.".utf8)
        let names = [
            "mid", "ssrc", "ssrc-group", "rid", "simulcast", "rtpmap", "fmtp", "rtcp-fb", "extmap", "group",
            "candidate", "fingerprint", "setup", "msid", "rtcp", "ice-ufrag", "ice-options", "sendonly", "x-y",
        ]
        let pieces = [
            "0", "1", "96", "128", "abcd", "q", "~h", "send", "recv", "typ", "host", "udp", "sha-1", "AB:CD", "*",
            "pt=96", "a=b", "IN", "IP4", "x/90000", "FID", ";", ",", "/", ":", "=", " ", "",
        ]
        var parsed = 0
        for iteration in 0..<3_000 {
            var bytes = Array("v=0\r\no=- 1 1 IN IP4 0\r\ns=-\r\nt=0 0\r\n".utf8)
            switch iteration % 3 {
            case 0:
                // Anything at all, including bytes that are not UTF-8.
                bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                for _ in 0..<Int.random(in: 0...300, using: &random) {
                    bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)])
                }
            default:
                // Lines shaped like attributes, with random values.
                if Bool.random(using: &random) {
                    bytes += Array("m=video 9 RTP/AVP 96 0\r\n".utf8)
                }
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    var line = "a=" + names[Int.random(in: 0..<names.count, using: &random)]
                    if Bool.random(using: &random) {
                        line += ":"
                        for _ in 0..<Int.random(in: 0...5, using: &random) {
                            line += pieces[Int.random(in: 0..<pieces.count, using: &random)]
                            line += Bool.random(using: &random) ? " " : ""
                        }
                    }
                    bytes += Array((line + "\r\n").utf8)
                }
            }
            guard let session = try? SessionDescription(parsing: bytes) else {
                continue
            }
            parsed += 1
            Self.expectStable(session)
        }
        // Some inputs must get through, or the round-trip half of the test checks nothing.
        #expect(parsed > 50, "\(parsed) parsed")
    }

    @Test("mutated offers never trap, and whatever parses round-trips", arguments: SDPFixtures.named.keys.sorted())
    func mutations(name: String) throws {
        let fixture = try #require(SDPFixtures.named[name])
        let tokens = [
            " ", ":", "/", "=", "a=", "\r\n", "\n", "0", "99999999999999999999", "typ", ";", ",", "~", "*", "-",
            "m=audio 9 RTP/AVP 0\r\n", "a=mid:0\r\n", "a=rtpmap:96 x/1\r\n", "\u{0}", "é",
        ]
        var random = SDPTestRandom(state: UInt64(fixture.utf8.count))
        var parsed = 0
        for _ in 0..<400 {
            var lines = SDPFixtures.lines(fixture)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0 where lines.count > 1:
                    lines.remove(at: index)
                case 1:
                    lines.insert(lines[index], at: Int.random(in: 0...lines.count, using: &random))
                case 2:
                    lines.swapAt(index, Int.random(in: 0..<lines.count, using: &random))
                case 3:
                    var bytes = Array(lines[index].utf8)
                    let token = tokens[Int.random(in: 0..<tokens.count, using: &random)]
                    bytes.insert(contentsOf: Array(token.utf8), at: Int.random(in: 0...bytes.count, using: &random))
                    lines[index] = String(decoding: bytes, as: UTF8.self)
                case 4:
                    var bytes = Array(lines[index].utf8)
                    if !bytes.isEmpty {
                        bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
                    }
                    lines[index] = String(decoding: bytes, as: UTF8.self)
                default:
                    let bytes = Array(lines[index].utf8)
                    lines[index] = String(
                        decoding: bytes.prefix(Int.random(in: 0...bytes.count, using: &random)),
                        as: UTF8.self
                    )
                }
            }
            guard let session = try? SessionDescription(parsing: lines.joined(separator: "\r\n")) else {
                continue
            }
            parsed += 1
            Self.expectStable(session)
        }
        #expect(parsed > 30)
    }

    /// Checks that a parsed session writes text that parses back to it, and writes the same again.
    static func expectStable(_ session: SessionDescription, sourceLocation: SourceLocation = #_sourceLocation) {
        let written = session.text
        do {
            let again = try SessionDescription(parsing: written)
            #expect(again == session, "\(written)", sourceLocation: sourceLocation)
            #expect(again.text == written, sourceLocation: sourceLocation)
        } catch {
            Issue.record("written text does not parse: \(error)\n\(written)", sourceLocation: sourceLocation)
        }
    }
}
