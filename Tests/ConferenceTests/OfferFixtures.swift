import Foundation

/// Real offers: Chromium 156 and aiortc 1.16 from `Tests/Fixtures/SDP` (the files RTCWire's
/// SDPInteropTests read too), plus a Chromium 156 camera offer without simulcast.
enum OfferFixtures {
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

    /// Chromium 156 with a microphone and a camera (VP8, H.264 packetization modes 1 and 0, each
    /// with RTX; one SSRC pair grouped by FID), no simulcast, in the shape of ``chromiumAudioVideo``.
    static let chromiumCamera = load("chromium-camera.sdp")

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

    /// The offer with every line for which `drop` is true removed.
    static func removingLines(_ offer: String, where drop: (String) -> Bool) -> String {
        offer.components(separatedBy: "\r\n").filter { !drop($0) }.joined(separator: "\r\n")
    }
}
