import Foundation

/// Everything `parley serve` runs with, resolved from (lowest to highest precedence) built-in
/// defaults, a JSON configuration file, `PARLEY_*` environment variables and command-line flags.
///
/// The defaults are the embedded deployment of DESIGN.md: signaling on 127.0.0.1:7880, media on
/// loopback UDP, a development token secret generated at start, recordings in `./recordings`.
struct ServerConfiguration: Sendable, Equatable {
    /// The address the HTTP/WebSocket server binds to.
    var host = "127.0.0.1"
    /// The HTTP/WebSocket port (0: any free port).
    var port = 7880
    /// The address the relay's UDP sockets bind to.
    var mediaIP = "127.0.0.1"
    /// The address put in SDP candidates (the public address behind NAT); `mediaIP` when nil.
    var advertisedIP: String?
    /// The first and last UDP port the relay's workers may bind (one each); nil: ephemeral ports.
    var mediaPorts: ClosedRange<Int>?
    /// Relay workers (threads, one UDP socket each); nil: one per core.
    var workers: Int?
    /// The HS256 token secret; nil: a development secret is generated and development mode is on.
    var secret: String?
    /// The `iss` every token must carry.
    var issuer = "parley"
    /// The admin API's bearer key; nil: one is generated and printed.
    var adminKey: String?
    /// Where recordings are written.
    var recordings = "recordings"
    /// Rooms the server holds at once.
    var maxRooms = 1000
    /// Participants a room holds unless the room says otherwise.
    var maxParticipants = 100
    /// Speakers mixed in a mixed room unless the room says otherwise.
    var speakers = 3
    /// Joins accepted per second from one remote address.
    var joinsPerSecond = 20
    /// The largest WebSocket frame accepted (bytes); larger closes the connection with 1009.
    var maxFrameSize = 256 * 1024
    /// How long SIGTERM waits for rooms to empty before closing them (seconds).
    var drainTimeout = 30
    /// How long a participant's media may take from its answer to completed ICE and DTLS
    /// (seconds); one that does not connect in time is removed (leave reason `timeout`) and its
    /// transport freed.
    var connectTimeout = 30
    /// Where the meeting page's files are; nil: the copy bundled with the executable.
    var pageDirectory: String?
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    var logLevel = "info"
    /// A PEM certificate (chain, leaf first) for https and wss; nil: plain http and ws. Goes
    /// with ``tlsKey``.
    var tlsCertificate: String?
    /// The PEM private key of ``tlsCertificate``.
    var tlsKey: String?

    /// Whether signaling is served over TLS (https and wss).
    var usesTLS: Bool {
        self.tlsCertificate != nil
    }

    /// Whether this deployment runs on a generated development secret (and so offers the
    /// development token endpoint to the meeting page).
    var isDevelopment: Bool {
        self.secret == nil
    }

    /// The keys of the configuration file and of `PARLEY_*` variables, with what they set.
    static let keys: [(file: String, environment: String, help: String)] = [
        ("host", "PARLEY_HOST", "signaling bind address"),
        ("port", "PARLEY_PORT", "signaling port"),
        ("mediaIP", "PARLEY_MEDIA_IP", "relay UDP bind address"),
        ("advertisedIP", "PARLEY_ADVERTISED_IP", "address in SDP candidates (NAT)"),
        ("mediaPorts", "PARLEY_MEDIA_PORTS", "UDP port range, e.g. 40000-40100"),
        ("workers", "PARLEY_WORKERS", "relay worker threads"),
        ("secret", "PARLEY_SECRET", "HS256 token secret"),
        ("issuer", "PARLEY_ISSUER", "token issuer"),
        ("adminKey", "PARLEY_ADMIN_KEY", "admin API bearer key"),
        ("recordings", "PARLEY_RECORDINGS", "recording directory"),
        ("maxRooms", "PARLEY_MAX_ROOMS", "rooms at once"),
        ("maxParticipants", "PARLEY_MAX_PARTICIPANTS", "participants per room"),
        ("speakers", "PARLEY_SPEAKERS", "speakers mixed"),
        ("joinsPerSecond", "PARLEY_JOINS_PER_SECOND", "joins per second per address"),
        ("maxFrameSize", "PARLEY_MAX_FRAME_SIZE", "largest WebSocket frame"),
        ("drainTimeout", "PARLEY_DRAIN_TIMEOUT", "seconds SIGTERM waits"),
        ("connectTimeout", "PARLEY_CONNECT_TIMEOUT", "seconds a participant has to complete ICE and DTLS"),
        ("pageDirectory", "PARLEY_PAGE_DIRECTORY", "meeting page files"),
        ("logLevel", "PARLEY_LOG_LEVEL", "log level"),
        ("tlsCertificate", "PARLEY_TLS_CERTIFICATE", "PEM certificate for https/wss"),
        ("tlsKey", "PARLEY_TLS_KEY", "PEM private key of the certificate"),
    ]

    /// Sets `key` (a file key) from its text form.
    ///
    /// - Throws: ``ConfigurationError`` naming the key, where it came from and what is expected.
    mutating func set(_ key: String, to value: String, from source: String) throws(ConfigurationError) {
        func integer(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
                throw ConfigurationError("\(source): \(key) must be a whole number in \(range), not '\(value)'")
            }
            return number
        }
        switch key {
        case "host": self.host = value
        case "port": self.port = try integer(0...65535)
        case "mediaIP": self.mediaIP = value
        case "advertisedIP": self.advertisedIP = value.isEmpty ? nil : value
        case "mediaPorts":
            if value.isEmpty || value == "0" {
                self.mediaPorts = nil
            } else {
                let parts = value.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, let low = parts[0], let high = parts[1], 1 <= low, low <= high, high <= 65535
                else {
                    throw ConfigurationError("\(source): mediaPorts must be 'LOW-HIGH' (1-65535), not '\(value)'")
                }
                self.mediaPorts = low...high
            }
        case "workers": self.workers = try integer(1...256)
        case "secret":
            guard value.utf8.count >= 32 else {
                throw ConfigurationError(
                    "\(source): the token secret must be at least 32 characters (HS256 keys shorter than the hash are weak); generate one with `openssl rand -base64 32`"
                )
            }
            self.secret = value
        case "issuer": self.issuer = value
        case "adminKey":
            guard value.utf8.count >= 16 else {
                throw ConfigurationError("\(source): the admin key must be at least 16 characters")
            }
            self.adminKey = value
        case "recordings": self.recordings = value
        case "maxRooms": self.maxRooms = try integer(1...1_000_000)
        case "maxParticipants": self.maxParticipants = try integer(1...10_000)
        case "speakers": self.speakers = try integer(1...32)
        case "joinsPerSecond": self.joinsPerSecond = try integer(1...100_000)
        case "maxFrameSize": self.maxFrameSize = try integer(1024...(16 * 1024 * 1024))
        case "drainTimeout": self.drainTimeout = try integer(0...86_400)
        case "connectTimeout": self.connectTimeout = try integer(1...3600)
        case "pageDirectory": self.pageDirectory = value.isEmpty ? nil : value
        case "logLevel":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else {
                throw ConfigurationError("\(source): logLevel must be one of \(levels.joined(separator: ", "))")
            }
            self.logLevel = value
        case "tlsCertificate": self.tlsCertificate = value.isEmpty ? nil : value
        case "tlsKey": self.tlsKey = value.isEmpty ? nil : value
        default:
            let known = Self.keys.map(\.file).joined(separator: ", ")
            throw ConfigurationError("\(source): unknown setting '\(key)'; the settings are: \(known)")
        }
    }

    /// Applies a JSON configuration file: one object whose keys are those of ``keys``, with
    /// strings or numbers as values.
    mutating func apply(file path: String) throws(ConfigurationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigurationError("the configuration file \(path) is not valid JSON: \(error.localizedDescription)")
        }
        guard let settings = object as? [String: Any] else {
            throw ConfigurationError("the configuration file \(path) must hold one JSON object of settings")
        }
        for key in settings.keys.sorted() {
            let value: String
            switch settings[key] {
            case let text as String: value = text
            case let number as NSNumber: value = number.stringValue
            default:
                throw ConfigurationError("\(path): \(key) must be a string or a number")
            }
            try self.set(key, to: value, from: path)
        }
    }

    /// Checks the settings that only make sense together, once every source has been applied.
    ///
    /// - Throws: ``ConfigurationError`` when a TLS certificate is given without its key or the
    ///   other way round.
    func validate() throws(ConfigurationError) {
        switch (self.tlsCertificate, self.tlsKey) {
        case (.some, nil):
            throw ConfigurationError(
                "a TLS certificate was given without its private key: add --tls-key (PARLEY_TLS_KEY, tlsKey) with the PEM key of the certificate"
            )
        case (nil, .some):
            throw ConfigurationError(
                "a TLS private key was given without its certificate: add --tls-certificate (PARLEY_TLS_CERTIFICATE, tlsCertificate) with the PEM certificate"
            )
        default:
            break
        }
    }

    /// Applies the `PARLEY_*` variables present in `environment`.
    mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        for key in Self.keys {
            if let value = environment[key.environment] {
                try self.set(key.file, to: value, from: "environment variable \(key.environment)")
            }
        }
    }
}

/// A setting that cannot be used, with a sentence saying which and what is expected.
struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// What was wrong and how to fix it.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
