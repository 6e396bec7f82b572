/// The settings of a ``RelayCore``: limits, table sizes and the policies of its parts.
public struct RelayCoreConfiguration: Sendable {
    /// Timeouts and the datagram size limit, given to every transport and to the demultiplexer.
    public var limits: RelayLimits
    /// How the ICE-lite responder answers what it does not accept.
    public var responder: ICELiteResponder.Configuration
    /// The most transports (and so bound tuples) the core runs at once; more are refused.
    public var maximumTransports: Int
    /// The RTCP feedback rules.
    public var rtcpPolicy: RTCPPolicy.Configuration
    /// Where the core reports transports connecting and closing, speakers and recordings.
    public var events: RelayEventSink

    /// Settings derived from `limits`, for at most `maximumTransports` transports (at least 1).
    public init(
        limits: RelayLimits = RelayLimits(),
        maximumTransports: Int = 1024,
        rtcpPolicy: RTCPPolicy.Configuration = RTCPPolicy.Configuration(),
        events: RelayEventSink = .discarding
    ) {
        self.limits = limits
        self.responder = ICELiteResponder.Configuration(limits: limits)
        self.maximumTransports = max(1, maximumTransports)
        self.rtcpPolicy = rtcpPolicy
        self.events = events
    }
}
