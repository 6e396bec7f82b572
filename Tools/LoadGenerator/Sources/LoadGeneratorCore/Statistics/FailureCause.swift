/// Why a simulated participant failed, as a stable snake_case name for reports and JSON.
///
/// A struct rather than an enum so that causes can be added without breaking readers; compare
/// with the static members.
public struct FailureCause: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The snake_case name.
    public let rawValue: String

    /// A cause by name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The WebSocket connection could not be opened or closed early.
    public static let signalingConnect = FailureCause(rawValue: "signaling_connect")
    /// The server answered a signaling message with an error (the code is appended: `server_error:room_full`).
    public static func serverError(_ code: String) -> FailureCause {
        FailureCause(rawValue: "server_error:\(code)")
    }
    /// The server did not answer in time.
    public static let signalingTimeout = FailureCause(rawValue: "signaling_timeout")
    /// The answer SDP could not be used (no ICE credentials, fingerprint, candidate or Opus).
    public static let badAnswer = FailureCause(rawValue: "bad_answer")
    /// The UDP socket could not be opened or connected.
    public static let socket = FailureCause(rawValue: "socket")
    /// No authenticated Binding response arrived in time.
    public static let iceTimeout = FailureCause(rawValue: "ice_timeout")
    /// The DTLS handshake failed (alert, fingerprint mismatch, retransmissions exhausted).
    public static let dtlsFailed = FailureCause(rawValue: "dtls_failed")
    /// The DTLS handshake did not complete in time.
    public static let dtlsTimeout = FailureCause(rawValue: "dtls_timeout")
    /// The server closed DTLS (close_notify) during the run.
    public static let dtlsClosed = FailureCause(rawValue: "dtls_closed")
    /// SRTP sessions could not be created from the exported keys.
    public static let srtp = FailureCause(rawValue: "srtp")
    /// Connected, but no media arrived although others were sending.
    public static let noMedia = FailureCause(rawValue: "no_media")
    /// A mixed-room participant did not hear another talker's frequency tag.
    public static let mixMissingOther = FailureCause(rawValue: "mix_missing_other")
    /// A mixed-room participant heard its own frequency tag in its mix.
    public static let mixContainsSelf = FailureCause(rawValue: "mix_contains_self")

    /// The name.
    public var description: String {
        self.rawValue
    }

    /// Decodes the name.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}
