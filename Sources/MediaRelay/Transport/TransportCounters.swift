/// What a ``Transport`` accepted and dropped since it was created: the numbers behind its metrics.
public struct TransportCounters: Sendable, Hashable {
    /// RTP packets that unprotected.
    public internal(set) var rtpAccepted: UInt64 = 0
    /// RTCP packets that unprotected.
    public internal(set) var rtcpAccepted: UInt64 = 0
    /// DTLS datagrams given to the DTLS endpoint.
    public internal(set) var dtlsReceived: UInt64 = 0
    /// DTLS datagrams handed out to send.
    public internal(set) var dtlsSent: UInt64 = 0

    // One count per TransportDropReason case, indexed by its raw value; allocated once.
    private var dropCounts = [UInt64](repeating: 0, count: TransportDropReason.allCases.count)

    /// Nothing counted yet.
    public init() {}

    /// How many datagrams were dropped for `reason`.
    public subscript(reason: TransportDropReason) -> UInt64 {
        self.dropCounts[Int(reason.rawValue)]
    }

    /// Dropped datagrams, for every reason together.
    public var dropped: UInt64 {
        self.dropCounts.reduce(0, &+)
    }

    mutating func count(_ reason: TransportDropReason) {
        self.dropCounts[Int(reason.rawValue)] &+= 1
    }
}
