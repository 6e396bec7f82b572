import Foundation

/// Real browser offers from `Tests/Fixtures/SDP`, as a client sends them (CRLF line endings).
enum TestOffers {
    /// aiortc 1.16, one sendrecv Opus m-line; each call gets its own ICE username fragment, as
    /// every real peer connection has.
    static func aiortcAudio() throws -> String {
        let text = try Self.load("aiortc-audio.sdp")
        let ufrag = "u" + String(UUID().uuidString.prefix(8))
        return text.replacingOccurrences(of: "a=ice-ufrag:Xk3b", with: "a=ice-ufrag:\(ufrag)")
    }

    static func load(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/SDP/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }
}
