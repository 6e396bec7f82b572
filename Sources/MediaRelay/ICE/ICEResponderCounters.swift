/// What an ``ICELiteResponder`` has seen and sent since it was created: the numbers behind the
/// relay's STUN metrics and the amplification checks.
public struct ICEResponderCounters: Sendable, Hashable {
    /// Authenticated Binding requests answered with a success response.
    public internal(set) var authenticated: UInt64 = 0
    /// Authenticated requests answered 487 Role Conflict.
    public internal(set) var roleConflicts: UInt64 = 0
    /// Unsigned error responses (400/401) sent to unauthenticated senders.
    public internal(set) var errorResponsesSent: UInt64 = 0
    /// Their bytes in total.
    public internal(set) var errorResponseBytes: UInt64 = 0
    /// Error responses not sent because the rate limit refused them.
    public internal(set) var errorResponsesRateLimited: UInt64 = 0
    /// Error responses not sent because even the shortest would have been larger than the request.
    public internal(set) var errorResponsesTooLarge: UInt64 = 0

    // One count per ICERejection case, indexed by its raw value; allocated once.
    private var rejectionCounts = [UInt64](repeating: 0, count: ICERejection.allCases.count)

    /// Nothing counted yet.
    public init() {}

    /// How many datagrams were rejected for `reason`.
    public subscript(reason: ICERejection) -> UInt64 {
        self.rejectionCounts[Int(reason.rawValue)]
    }

    /// Rejected datagrams, for every reason together.
    public var rejected: UInt64 {
        self.rejectionCounts.reduce(0, &+)
    }

    mutating func count(_ reason: ICERejection) {
        self.rejectionCounts[Int(reason.rawValue)] &+= 1
    }
}
