import ArgumentParser
import Conference
import Dispatch
import Foundation
import HummingbirdTLS
import Logging
import MediaRelay
import Metrics
import Prometheus
import RTCSecurity
import ServiceLifecycle
import Signaling
import UnixSignals

/// `parley serve` (the default command): runs the server until SIGTERM or SIGINT.
///
/// One ServiceGroup holds the relay's workers, the consumer of the relay's events, the HTTP and
/// WebSocket server, and the drain coordinator. On the first SIGTERM the coordinator drains:
/// new joins get `draining`, calls go on until the rooms are empty or `drainTimeout` passes, then
/// rooms close (recordings end with their EOS page) and the process exits 0. A second SIGTERM
/// exits at once.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the meeting server (the default command).",
        discussion: """
            Settings come from built-in defaults, then a JSON configuration file (--config or \
            PARLEY_CONFIG, keys as the flags in camelCase: host, port, mediaIP, advertisedIP, \
            mediaPorts, workers, secret, issuer, adminKey, recordings, maxRooms, maxParticipants, \
            speakers, joinsPerSecond, maxFrameSize, drainTimeout, connectTimeout, pageDirectory, logLevel, \
            tlsCertificate, tlsKey), then PARLEY_* environment variables (PARLEY_HOST, \
            PARLEY_MEDIA_PORTS, PARLEY_TLS_CERTIFICATE, ...), then flags. With --tls-certificate \
            and --tls-key (PEM files) the page, the API and signaling are served as https and wss.
            """
    )

    @OptionGroup var options: ServeOptions

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try self.options.resolve(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        try await ParleyServer(configuration: configuration).run()
    }
}

/// The running server: the parts of one deployment and how they start and stop.
struct ParleyServer {
    let configuration: ServerConfiguration

    func run() async throws {
        let configuration = self.configuration
        let logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "parley")
        // TLS files first: a wrong one stops the server before anything binds.
        let tls: TLSConfiguration?
        do {
            tls = try ServerTLS.configuration(for: configuration)
        } catch {
            throw ValidationError(error.description)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let assembly: ServerAssembly
        do {
            assembly = try await ServerAssembly(
                configuration: configuration,
                tls: tls,
                metrics: { registry.emitToString() },
                handlesSignals: true,
                printsBanner: true
            )
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        try await assembly.run()
        logger.info("stopped")
    }

    /// 32 random bytes as base64url: a key nobody can guess.
    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The meeting page copied into the executable's resource bundle, if it is there.
    static func bundledPage() -> String? {
        guard let url = Bundle.module.url(forResource: "Page", withExtension: nil) else { return nil }
        return url.path
    }
}

/// What an operator needs at start: where to go and, in development mode, a token.
struct Banner: Sendable {
    let configuration: ServerConfiguration
    let relay: RelayService
    let issuer: TokenIssuer?
    let adminKeyGenerated: Bool

    func print(port: Int) async {
        let host = self.configuration.host.contains(":") ? "[\(self.configuration.host)]" : self.configuration.host
        let secure = self.configuration.usesTLS
        let base = "\(secure ? "https" : "http")://\(host):\(port)"
        let media = (0..<self.relay.workerCount).map { "\(self.relay.localAddress(worker: $0))" }
        var lines = [
            "Parley \(Parley.version) is running.",
            "  Meeting page:  \(base)/",
            "  Signaling:     \(secure ? "wss" : "ws")://\(host):\(port)/v1/rtc",
            "  Media (UDP):   \(media.joined(separator: ", "))",
            "  Recordings:    \(self.configuration.recordings)",
        ]
        if self.adminKeyGenerated, let key = self.configuration.adminKey {
            lines.append("  Admin API key: \(key)  (GET \(base)/v1/rooms with 'Authorization: Bearer <key>')")
        }
        if let issuer = self.issuer {
            let token = try? await issuer.issue(
                identity: "operator",
                room: "demo",
                name: "Operator",
                grants: [.join, .publish, .subscribe, .record, .create],
                ttl: .seconds(3600)
            )
            lines.append("  Development mode: tokens are signed with a secret generated for this run.")
            if let token {
                lines.append("  Token for room 'demo' (1 hour): \(token)")
            }
            lines.append("  Open \(base)/ in a browser to join a meeting.")
        }
        // FileHandle writes at once: the banner must not wait in a buffer when stdout is a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// Feeds the relay's events to the meeting until shutdown.
struct RelayEventConsumer: Service {
    let meeting: Meeting
    let events: AsyncStream<RelayEvent>

    func run() async {
        await cancelWhenGracefulShutdown {
            await self.meeting.consume(self.events)
        }
    }
}

/// Drains on the first SIGTERM (see ``ServeCommand``); a second SIGTERM exits at once.
struct DrainCoordinator: Service {
    let meeting: Meeting
    let timeout: Duration
    /// Whether a second SIGTERM during the drain exits the process (not in tests).
    let exitsOnSecondSIGTERM: Bool
    let logger: Logger

    func run() async throws {
        // Runs until graceful shutdown begins; ServiceGroup shuts this service down first (it is
        // the last one given), while signaling still answers.
        try? await gracefulShutdown()
        if self.exitsOnSecondSIGTERM {
            let second = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
            second.setEventHandler {
                Logger(label: "parley").warning("second SIGTERM: exiting at once")
                exit(0)
            }
            second.resume()
        }
        self.logger.notice("draining: new joins are refused", metadata: ["timeout": "\(self.timeout)"])
        await self.meeting.startDraining()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: self.timeout)
        while clock.now < deadline, await self.meeting.participantCount > 0 {
            try? await Task.sleep(for: .milliseconds(200))
        }
        let remaining = await self.meeting.participantCount
        if remaining > 0 {
            self.logger.notice("drain timeout: closing the rooms", metadata: ["participants": "\(remaining)"])
        }
        await self.meeting.closeAll()
        // Let the workers write the recordings' last pages before the relay stops.
        try? await Task.sleep(for: .milliseconds(300))
    }
}
