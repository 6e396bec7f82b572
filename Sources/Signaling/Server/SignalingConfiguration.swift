/// Everything ``makeSignalingApplication(configuration:backend:tokenVerifier:metrics:devTokenIssuer:serverBuilder:onServerRunning:logger:)``
/// needs that is not a collaborating object: the address to listen on, limits, the admin key,
/// development mode and the static-file directory.
public struct SignalingConfiguration: Sendable {
    /// The address to bind, for example `"127.0.0.1"` (the embedded default) or `"0.0.0.0"`.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 picks a free one (reported through `onServerRunning`). Default 8080.
    public var port: Int = 8080
    /// Per-connection limits, keep-alive and rate limiting.
    public var limits: SignalingLimits = SignalingLimits()
    /// The key the admin API expects in `Authorization: Bearer <key>`. `nil` disables the admin
    /// API: every admin route then answers 401.
    public var adminKey: String?
    /// Development mode: enables `POST /v1/dev/token` (which mints tokens for anyone who can reach
    /// the server). Needs a `devTokenIssuer`. Never enable it on a reachable address.
    public var developmentMode: Bool = false
    /// The lifetime of tokens minted by `POST /v1/dev/token`. Default one hour.
    public var devTokenTTL: Duration = .seconds(3600)
    /// The grants of tokens minted by `POST /v1/dev/token`.
    public var devTokenGrants: [Grant] = [.join, .publish, .subscribe, .create, .record]
    /// A directory served under `/` (the meeting page, `index.html` for `/`); `nil` serves none.
    public var staticFilesDirectory: String?
    /// The `Server` header and logger label. Default `"parley"`.
    public var serverName: String = "parley"

    /// The defaults: 127.0.0.1:8080, no admin API, no development endpoint, no static files.
    public init() {}
}
