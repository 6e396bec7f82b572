/// Writes offers in Chromium 156's shape for any list of transceivers, for tests that need
/// several participants, recvonly m-lines and renegotiation.
struct OfferBuilder {
    struct Transceiver {
        var kind: String
        var direction: String
        var ssrc: UInt32?
        var rtxSSRC: UInt32?
        /// Video codecs to offer: "vp8", "h264".
        var videoCodecs: [String] = ["vp8", "h264"]
    }

    var ufrag = "Qev+"
    var sessionVersion = 2
    var transceivers: [Transceiver] = []
    var bundle = true
    var rtcpMux = true

    static func audio(_ direction: String, ssrc: UInt32? = nil) -> Transceiver {
        Transceiver(kind: "audio", direction: direction, ssrc: ssrc)
    }

    static func video(
        _ direction: String,
        ssrc: UInt32? = nil,
        rtx: UInt32? = nil,
        codecs: [String] = ["vp8", "h264"]
    ) -> Transceiver {
        Transceiver(kind: "video", direction: direction, ssrc: ssrc, rtxSSRC: rtx, videoCodecs: codecs)
    }

    var text: String {
        var lines = [
            "v=0", "o=- 4215775240449105457 \(self.sessionVersion) IN IP4 127.0.0.1", "s=-", "t=0 0",
        ]
        if self.bundle {
            lines.append("a=group:BUNDLE " + self.transceivers.indices.map(String.init).joined(separator: " "))
        }
        lines += ["a=extmap-allow-mixed", "a=msid-semantic: WMS stream"]
        for (index, transceiver) in self.transceivers.enumerated() {
            let audio = transceiver.kind == "audio"
            var formats: [String]
            var codecLines: [String]
            if audio {
                formats = ["111", "63", "0"]
                codecLines = [
                    "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
                    "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111", "a=rtpmap:0 PCMU/8000",
                ]
            } else {
                formats = []
                codecLines = []
                if transceiver.videoCodecs.contains("vp8") {
                    formats += ["96", "97"]
                    codecLines += [
                        "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 transport-cc",
                        "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
                        "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                    ]
                }
                if transceiver.videoCodecs.contains("h264") {
                    formats += ["102", "103"]
                    codecLines += [
                        "a=rtpmap:102 H264/90000", "a=rtcp-fb:102 nack", "a=rtcp-fb:102 nack pli",
                        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                        "a=rtpmap:103 rtx/90000", "a=fmtp:103 apt=102",
                    ]
                }
            }
            lines.append("m=\(transceiver.kind) 9 UDP/TLS/RTP/SAVPF " + formats.joined(separator: " "))
            lines += [
                "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0", "a=ice-ufrag:\(self.ufrag)",
                "a=ice-pwd:Vt9ExZP3VOmCjq3i48Q2EvqB", "a=ice-options:trickle",
                "a=fingerprint:sha-256 \(OfferFixtures.chromiumFingerprint)", "a=setup:actpass", "a=mid:\(index)",
            ]
            if audio {
                lines += [
                    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                ]
            } else {
                lines += [
                    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                ]
            }
            lines.append("a=\(transceiver.direction)")
            if self.rtcpMux {
                lines.append("a=rtcp-mux")
            }
            lines.append("a=rtcp-rsize")
            lines += codecLines
            if let ssrc = transceiver.ssrc {
                if let rtx = transceiver.rtxSSRC {
                    lines.append("a=ssrc-group:FID \(ssrc) \(rtx)")
                    lines.append("a=ssrc:\(rtx) cname:test")
                }
                lines.append("a=ssrc:\(ssrc) cname:test")
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
