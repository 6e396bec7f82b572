import Foundation

/// Real offers: Chromium 156 and aiortc 1.16 as in Tests/RTCWireTests/SDPInteropTests.swift (copied:
/// test targets cannot share sources), plus a Chromium 156 camera offer without simulcast.
enum OfferFixtures {
    static let chromiumFingerprint =
        "DD:F8:D3:10:D2:16:93:30:8B:1E:D6:55:3E:49:72:C3:80:73:53:7B:65:6B:6E:8B:95:F6:35:B2:B1:29:AA:56"

    /// Chromium 156, audio only, after ICE gathering (a UDP and a TCP host candidate).
    static let chromiumAudio = crlf(
        """
        v=0
        o=- 4215775240449105457 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=extmap-allow-mixed
        a=msid-semantic: WMS 5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40
        m=audio 47631 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 127.0.0.1
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation 0 network-id 1 network-cost 50
        a=candidate:1495853435 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 50
        a=ice-ufrag:Qev+
        a=ice-pwd:Vt9ExZP3VOmCjq3i48Q2EvqB
        a=ice-options:trickle
        a=fingerprint:sha-256 \(chromiumFingerprint)
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:2029537776 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:2029537776 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b

        """
    )

    /// The five feedback lines Chromium writes for each video codec.
    private static func videoFeedback(_ payloadType: Int) -> String {
        """
        a=rtcp-fb:\(payloadType) goog-remb
        a=rtcp-fb:\(payloadType) transport-cc
        a=rtcp-fb:\(payloadType) ccm fir
        a=rtcp-fb:\(payloadType) nack
        a=rtcp-fb:\(payloadType) nack pli
        """
    }

    private static let transport = """
        a=ice-ufrag:Qev+
        a=ice-pwd:Vt9ExZP3VOmCjq3i48Q2EvqB
        a=ice-options:trickle
        a=fingerprint:sha-256 \(chromiumFingerprint)
        a=setup:actpass
        """

    /// Chromium 156 with a microphone, a camera (VP8, H.264 and RTX, one SSRC pair grouped by FID)
    /// and a simulcast video track (three RIDs), bundled.
    static let chromiumAudioVideo = crlf(
        """
        v=0
        o=- 8514367839014371934 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1 2
        a=extmap-allow-mixed
        a=msid-semantic: WMS 5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40
        m=audio 47631 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 127.0.0.1
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation 0 network-id 1 network-cost 50
        a=candidate:1495853435 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 50
        \(transport)
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:2029537776 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:2029537776 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        \(transport)
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
        a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
        a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=sendrecv
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        \(videoFeedback(96))
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:102 H264/90000
        \(videoFeedback(102))
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:104 H264/90000
        \(videoFeedback(104))
        a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
        a=rtpmap:105 rtx/90000
        a=fmtp:105 apt=104
        a=ssrc-group:FID 3346428101 1887423532
        a=ssrc:3346428101 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:3346428101 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c
        a=ssrc:1887423532 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:1887423532 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        \(transport)
        a=mid:2
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=sendonly
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        \(videoFeedback(96))
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:102 H264/90000
        \(videoFeedback(102))
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rid:q send
        a=rid:h send
        a=rid:f send
        a=simulcast:send q;h;f

        """
    )

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
    static let aiortcAudio = crlf(
        """
        v=0
        o=- 3953615522 3953615522 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=group:BUNDLE 0
        a=msid-semantic:WMS *
        m=audio 50123 UDP/TLS/RTP/SAVPF 96 9 0 8
        c=IN IP4 127.0.0.1
        a=sendrecv
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=mid:0
        a=msid:0b8f3c6e-6d5a-4f2b-a1c3-9e8d7f6a5b4c 2f4e6a8c-1b3d-4f5a-8c7e-9d0b1a2c3e4f
        a=rtcp:9 IN IP4 0.0.0.0
        a=rtcp-mux
        a=ssrc:3054137286 cname:7d1c7e63-d1b6-4d8c-9a9f-0d5b1f0c7a11
        a=rtpmap:96 opus/48000/2
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=candidate:6d3e3d1e0c0b3c9a8f2e1d4c5b6a7980 1 udp 2130706431 127.0.0.1 50123 typ host
        a=end-of-candidates
        a=ice-ufrag:Xk3b
        a=ice-pwd:Qm7vR2pLw9sT4nB8cY1dZe
        a=fingerprint:\(aiortcFingerprints[0].0) \(aiortcFingerprints[0].1)
        a=fingerprint:\(aiortcFingerprints[1].0) \(aiortcFingerprints[1].1)
        a=fingerprint:\(aiortcFingerprints[2].0) \(aiortcFingerprints[2].1)
        a=setup:actpass

        """
    )

    /// Chromium 156 with a microphone and a camera (VP8, H.264 packetization modes 1 and 0, each
    /// with RTX; one SSRC pair grouped by FID), no simulcast, in the shape of ``chromiumAudioVideo``.
    static let chromiumCamera = crlf(
        """
        v=0
        o=- 2718281828459045235 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=extmap-allow-mixed
        a=msid-semantic: WMS 5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40
        m=audio 47631 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 127.0.0.1
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation 0 network-id 1 network-cost 50
        \(transport)
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:1111111111 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:1111111111 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 0a8f3c1e-2b4d-4e6f-8a9b-1c2d3e4f5a6b
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 45
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        \(transport)
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=sendrecv
        a=msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        \(videoFeedback(96))
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:102 H264/90000
        \(videoFeedback(102))
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:104 H264/90000
        \(videoFeedback(104))
        a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
        a=rtpmap:105 rtx/90000
        a=fmtp:105 apt=104
        a=rtpmap:45 AV1/90000
        \(videoFeedback(45))
        a=ssrc-group:FID 2222222222 3333333333
        a=ssrc:2222222222 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:2222222222 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c
        a=ssrc:3333333333 cname:k1c3PqRe8yJ3CPUC
        a=ssrc:3333333333 msid:5d7c7b3e-6a2f-4e3b-9b55-0c6c2a1d9f40 7c4e2a90-3f1b-4d5e-9c8a-2b1d0e3f4a5c

        """
    )

    /// The text with every LF turned into CRLF.
    static func crlf(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }

    /// The offer with every line for which `drop` is true removed.
    static func removingLines(_ offer: String, where drop: (String) -> Bool) -> String {
        offer.components(separatedBy: "\r\n").filter { !drop($0) }.joined(separator: "\r\n")
    }
}
