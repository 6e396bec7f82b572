import Conference
import Foundation
import HummingbirdTLS
import Logging
import MediaRelay
import ServiceLifecycle
import Signaling
import UnixSignals

/// The parts of one server made from its configuration, ready to run as one ServiceGroup: the
/// relay (its sockets bound), the conference inside the ``Meeting``, the signaling application,
/// the consumer of the relay's events and the drain coordinator.
///
/// `parley serve` makes one and runs it until SIGTERM; tests make one on loopback (port 0), run
/// it in a task and end it with ``shutdown()``. Making one binds the relay's UDP sockets; the
/// HTTP/WebSocket listener binds when ``run()`` starts.
final class ServerAssembly: Sendable {
    /// The configuration in use, with the admin key resolved (generated when none was given).
    let configuration: ServerConfiguration
    /// The media relay; its workers run from creation until the group stops.
    let relay: RelayService
    /// The control plane.
    let meeting: Meeting
    private let group: ServiceGroup

    /// Builds every part; nothing is served until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: the resolved settings.
    ///   - tls: the certificate to serve https and wss with, or nil for http and ws.
    ///   - metrics: the text of `GET /metrics`, or nil to serve none.
    ///   - handlesSignals: whether SIGTERM and SIGINT drain and stop the server (true for the
    ///     process, false for a test).
    ///   - printsBanner: whether to print the operator banner once the listener is up.
    ///   - onServerRunning: called with the signaling port once the listener is up.
    ///   - makeLogger: the logger of each part, by label.
    /// - Throws: ``ConfigurationError`` for settings that cannot work (a bad `mediaIP`, a secret
    ///   the token library refuses, a relay that cannot bind), or the file system's error when
    ///   the recording directory cannot be made.
    init(
        configuration: ServerConfiguration,
        tls: TLSConfiguration?,
        metrics: (@Sendable () async -> String)?,
        handlesSignals: Bool,
        printsBanner: Bool,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        makeLogger: @Sendable (String) -> Logger = { Logger(label: $0) }
    ) async throws {
        var configuration = configuration
        // Secrets: a configured one, or a development secret generated for this run.
        let tokenKey: TokenKey
        var developmentSecret: [UInt8]?
        if let secret = configuration.secret {
            tokenKey = try TokenKey.hs256(secret: Array(secret.utf8))
        } else {
            let generated = TokenKey.randomHS256()
            tokenKey = generated.key
            developmentSecret = generated.secret
        }
        let adminKeyGenerated = configuration.adminKey == nil
        let adminKey = configuration.adminKey ?? ParleyServer.randomKey()
        configuration.adminKey = adminKey

        // The relay: its workers bind their UDP sockets now, so their ports go into the answers.
        guard let mediaAddress = RelayAddress(parsing: configuration.mediaIP, port: 0) else {
            throw ConfigurationError("mediaIP '\(configuration.mediaIP)' is not an IPv4 or IPv6 address")
        }
        var relayConfiguration = RelayService.Configuration(
            workerCount: configuration.workers ?? RelayService.availableProcessorCount,
            address: mediaAddress
        )
        if let ports = configuration.mediaPorts {
            relayConfiguration.ports = .range(UInt16(ports.lowerBound)...UInt16(ports.upperBound))
        }
        var limits = relayConfiguration.core.limits
        limits.connectTimeoutSeconds = configuration.connectTimeout
        relayConfiguration.core = RelayCoreConfiguration(
            limits: limits,
            maximumTransports: relayConfiguration.core.maximumTransports,
            rtcpPolicy: relayConfiguration.core.rtcpPolicy
        )
        let relay: RelayService
        do {
            relay = try RelayService(configuration: relayConfiguration)
        } catch {
            throw ConfigurationError("the media relay could not start: \(error)")
        }
        let advertised = configuration.advertisedIP ?? configuration.mediaIP
        let endpoints = (0..<relay.workerCount).map { worker in
            RelayEndpoint(address: advertised, port: relay.localAddress(worker: worker).port)
        }
        let conference = Conference(
            configuration: ConferenceConfiguration(
                workers: endpoints,
                fingerprints: [relay.certificateFingerprint],
                maxRooms: configuration.maxRooms,
                defaultRoomSettings: RoomSettings(
                    maxParticipants: configuration.maxParticipants,
                    speakers: configuration.speakers
                )
            )
        )
        try FileManager.default.createDirectory(atPath: configuration.recordings, withIntermediateDirectories: true)
        let recordings = URL(fileURLWithPath: configuration.recordings).standardizedFileURL.path
        let meeting = Meeting(
            conference: conference,
            relay: relay,
            recordings: recordings,
            logger: makeLogger("parley.meeting")
        )

        // Signaling.
        var signaling = SignalingConfiguration()
        signaling.host = configuration.host
        signaling.port = configuration.port
        signaling.adminKey = adminKey
        signaling.developmentMode = developmentSecret != nil
        signaling.staticFilesDirectory = configuration.pageDirectory ?? ParleyServer.bundledPage()
        signaling.limits.maxFrameBytes = configuration.maxFrameSize
        signaling.limits.maxMessageBytes = configuration.maxFrameSize
        signaling.limits.joinsPerSecond = Double(configuration.joinsPerSecond)
        signaling.limits.joinBurst = max(configuration.joinsPerSecond, 1)
        let verifier = await TokenVerifier(
            configuration: TokenVerifier.Configuration(keys: [tokenKey], issuer: configuration.issuer)
        )
        let issuer = try await TokenIssuer(key: tokenKey, issuer: configuration.issuer)
        let banner = Banner(
            configuration: configuration,
            relay: relay,
            issuer: developmentSecret == nil ? nil : issuer,
            adminKeyGenerated: adminKeyGenerated
        )
        let application = try makeSignalingApplication(
            configuration: signaling,
            backend: meeting,
            tokenVerifier: verifier,
            devTokenIssuer: developmentSecret == nil ? nil : issuer,
            metrics: metrics,
            serverBuilder: { server in
                guard let tls else { return server }
                return try .tls(server, tlsConfiguration: tls)
            },
            onServerRunning: { port in
                if printsBanner {
                    await banner.print(port: port)
                }
                await onServerRunning(port)
            },
            logger: makeLogger("parley.signaling")
        )

        let logger = makeLogger("parley")
        let drain = DrainCoordinator(
            meeting: meeting,
            timeout: .seconds(configuration.drainTimeout),
            exitsOnSecondSIGTERM: handlesSignals,
            logger: logger
        )
        let events = RelayEventConsumer(meeting: meeting, events: relay.events)
        self.group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: relay),
                    .init(service: events),
                    .init(service: application),
                    .init(service: drain),
                ],
                gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        self.configuration = configuration
        self.relay = relay
        self.meeting = meeting
    }

    /// Runs every part until graceful shutdown (a signal, or ``shutdown()``) has drained and
    /// stopped them.
    func run() async throws {
        try await self.group.run()
    }

    /// Starts the graceful shutdown a SIGTERM starts: drain, close the rooms, stop.
    func shutdown() async {
        await self.group.triggerGracefulShutdown()
    }
}
