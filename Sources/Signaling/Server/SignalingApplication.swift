public import Hummingbird
public import HummingbirdCore
import HummingbirdWebSocket
public import Logging
import NIOCore

/// Builds the Parley signaling server: the `/v1/rtc` WebSocket endpoint, `/healthz`, `/metrics`,
/// the admin API, the development token endpoint (development mode only) and static files.
///
/// The result is a Hummingbird application, which is a `Service`: put it in the server's
/// `ServiceGroup`; graceful shutdown closes WebSockets with 1000 after the backend has had the
/// chance to send `draining`.
///
/// - Parameters:
///   - configuration: Address, limits, admin key, development mode, static files.
///   - backend: Rooms, participants and media; called for every message and admin request.
///   - tokenVerifier: Verifies join tokens.
///   - devTokenIssuer: Signs tokens for `POST /v1/dev/token`; that route exists only when this is
///     given and `configuration.developmentMode` is true.
///   - metrics: Renders the Prometheus text for `GET /metrics`; without it the route is absent.
///   - serverBuilder: A hook to wrap the HTTP/1 + WebSocket server builder, for example
///     `{ try .tls($0, tlsConfiguration: ...) }` from HummingbirdTLS for https and wss. What it
///     throws, this function throws (nothing is served then).
///   - onServerRunning: Called with the bound port once the server listens (useful with port 0).
///   - logger: The server's logger.
public func makeSignalingApplication(
    configuration: SignalingConfiguration,
    backend: any SignalingBackend,
    tokenVerifier: TokenVerifier,
    devTokenIssuer: TokenIssuer? = nil,
    metrics: (@Sendable () async -> String)? = nil,
    serverBuilder: (HTTPServerBuilder) throws -> HTTPServerBuilder = { $0 },
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    logger: Logger = Logger(label: "parley.signaling")
) throws -> some ApplicationProtocol {
    let router = Router(context: SignalingRequestContext.self)
    if let directory = configuration.staticFilesDirectory {
        router.add(middleware: FileMiddleware(directory, searchForIndexHtml: true, logger: logger))
    }
    SignalingRoutes(
        backend: backend,
        configuration: configuration,
        devTokenIssuer: devTokenIssuer,
        metrics: metrics
    ).register(on: router)

    let endpoint = SignalingEndpoint(
        backend: backend,
        verifier: tokenVerifier,
        limits: configuration.limits,
        logger: logger
    )
    let webSocketRouter = Router(context: SignalingRequestContext.self)
    webSocketRouter.ws("v1/rtc") { inbound, outbound, context in
        context.requestContext.releaseWebSocketSlot()
        // The channel is open while its connection is served; nil would mean it is gone already.
        guard let channel = context.requestContext.channel else { return }
        await endpoint.serve(inbound: inbound, outbound: outbound, channel: channel)
    }
    let server = HTTPServerBuilder.http1WebSocketUpgrade(
        webSocketRouter: webSocketRouter,
        configuration: .init(
            ws: WebSocketServerConfiguration(
                maxFrameSize: configuration.limits.maxFrameBytes,
                autoPing: .disabled,
                closeTimeout: configuration.limits.closeTimeout,
                validateUTF8: true
            )
        )
    )
    return Application(
        router: router,
        server: try serverBuilder(server),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: configuration.serverName
        ),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
