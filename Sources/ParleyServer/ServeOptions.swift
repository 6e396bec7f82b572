import ArgumentParser
import Foundation

/// The flags of `parley serve`; each overrides the configuration file and the environment.
struct ServeOptions: ParsableArguments {
    @Option(help: "A JSON configuration file (also PARLEY_CONFIG); flags and PARLEY_* variables override it.")
    var config: String?

    @Option(help: "Signaling bind address (default 127.0.0.1).")
    var host: String?

    @Option(help: "Signaling HTTP/WebSocket port (default 7880; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("media-ip"), help: "Address the relay's UDP sockets bind to (default 127.0.0.1).")
    var mediaIP: String?

    @Option(name: .customLong("advertised-ip"), help: "Address given to clients in SDP candidates (behind NAT).")
    var advertisedIP: String?

    @Option(
        name: .customLong("media-ports"),
        help: "UDP port range for relay workers, e.g. 40000-40100 (default: ephemeral)."
    )
    var mediaPorts: String?

    @Option(help: "Relay worker threads (default: one per core).")
    var workers: Int?

    @Option(help: "HS256 token secret, at least 32 characters (default: a generated development secret).")
    var secret: String?

    @Option(help: "Token issuer (default parley).")
    var issuer: String?

    @Option(name: .customLong("admin-key"), help: "Admin API bearer key (default: generated and printed).")
    var adminKey: String?

    @Option(help: "Recording directory (default ./recordings).")
    var recordings: String?

    @Option(name: .customLong("max-rooms"), help: "Rooms held at once (default 1000).")
    var maxRooms: Int?

    @Option(
        name: .customLong("max-participants"),
        help: "Participants per room unless the room says otherwise (default 100)."
    )
    var maxParticipants: Int?

    @Option(help: "Speakers mixed in mixed rooms unless the room says otherwise (default 3).")
    var speakers: Int?

    @Option(name: .customLong("joins-per-second"), help: "Joins accepted per second from one address (default 20).")
    var joinsPerSecond: Int?

    @Option(name: .customLong("max-frame-size"), help: "Largest WebSocket frame in bytes (default 262144).")
    var maxFrameSize: Int?

    @Option(name: .customLong("drain-timeout"), help: "Seconds SIGTERM waits for rooms to empty (default 30).")
    var drainTimeout: Int?

    @Option(
        name: .customLong("connect-timeout"),
        help: "Seconds a participant has to complete ICE and DTLS before it is removed (default 30)."
    )
    var connectTimeout: Int?

    @Option(
        name: .customLong("page-directory"),
        help: "Serve the meeting page from this directory instead of the bundled copy."
    )
    var pageDirectory: String?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical (default info)."
    )
    var logLevel: String?

    @Option(
        name: .customLong("tls-certificate"),
        help: "PEM certificate (chain) for https and wss; needs --tls-key (default: plain http and ws)."
    )
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-certificate.")
    var tlsKey: String?

    /// Defaults, then the file, then the environment, then these flags.
    func resolve(environment: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let file = self.config ?? environment["PARLEY_CONFIG"] {
            try configuration.apply(file: file)
        }
        try configuration.apply(environment: environment)
        let flags: [(String, String?)] = [
            ("host", self.host), ("port", self.port.map(String.init)), ("mediaIP", self.mediaIP),
            ("advertisedIP", self.advertisedIP), ("mediaPorts", self.mediaPorts),
            ("workers", self.workers.map(String.init)), ("secret", self.secret), ("issuer", self.issuer),
            ("adminKey", self.adminKey), ("recordings", self.recordings),
            ("maxRooms", self.maxRooms.map(String.init)), ("maxParticipants", self.maxParticipants.map(String.init)),
            ("speakers", self.speakers.map(String.init)), ("joinsPerSecond", self.joinsPerSecond.map(String.init)),
            ("maxFrameSize", self.maxFrameSize.map(String.init)), ("drainTimeout", self.drainTimeout.map(String.init)),
            ("connectTimeout", self.connectTimeout.map(String.init)),
            ("pageDirectory", self.pageDirectory), ("logLevel", self.logLevel),
            ("tlsCertificate", self.tlsCertificate), ("tlsKey", self.tlsKey),
        ]
        for (key, value) in flags {
            if let value {
                try configuration.set(key, to: value, from: "flag for \(key)")
            }
        }
        try configuration.validate()
        return configuration
    }
}
