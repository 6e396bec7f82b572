/// The limits the signaling endpoint enforces on every connection. Every field has a production
/// default; tests shrink the durations to run fast.
public struct SignalingLimits: Sendable, Hashable {
    /// The largest WebSocket frame accepted; a larger one closes the connection with 1009.
    /// Default 256 KiB (an offer with many m-lines is tens of KiB).
    public var maxFrameBytes: Int = 256 * 1024
    /// The largest message (frames of one message together) accepted; a larger one gets a fatal
    /// `too_large` error and close 1009. Default 256 KiB.
    public var maxMessageBytes: Int = 256 * 1024
    /// The deepest nesting of JSON objects and arrays accepted; deeper input gets a fatal
    /// `bad_request` and close 4400 before any parser runs. Default 32.
    public var maxJSONDepth: Int = 32
    /// Tokens larger than this are refused before parsing (`invalid_token`). Default 8 KiB.
    public var maxTokenBytes: Int = 8 * 1024
    /// The longest display name accepted, in UTF-8 bytes (`bad_request` beyond). Default 256.
    public var maxNameBytes: Int = 256
    /// Joins per second per remote address, refilled continuously (token bucket). Default 5.
    public var joinsPerSecond: Double = 5
    /// The bucket size: how many joins one address may make at once. Default 10.
    public var joinBurst: Int = 10
    /// Events queued for one client before it counts as not reading and is disconnected (close
    /// 1013, leave reason `disconnected`). Default 512.
    public var outboundQueueCapacity: Int = 512
    /// How often the server sends a WebSocket ping. Default 15 s.
    public var pingInterval: Duration = .seconds(15)
    /// A client from which nothing (no frame, no pong) arrived for this long is disconnected
    /// (close 1001, leave reason `timeout`). Default 45 s.
    public var silenceTimeout: Duration = .seconds(45)
    /// After the server sends a close frame, how long it waits for the client's close before
    /// dropping the TCP connection. Default 5 s.
    public var closeTimeout: Duration = .seconds(5)

    /// The defaults.
    public init() {}
}
