/// The explicit limits of one relay: every resource an untrusted peer can make the relay spend
/// is bounded by one of these.
///
/// The defaults suit one node on a 2-core machine; an operator raises or lowers them through the
/// server's configuration. A limit of zero is refused by ``validate()`` rather than silently
/// disabling the relay.
public struct RelayLimits: Sendable, Hashable {
    /// The largest datagram accepted; larger ones are dropped (and counted) before any parsing.
    /// 1500 is Ethernet's MTU: WebRTC stacks keep RTP well below it.
    public var maximumDatagramSize: Int
    /// How long a transport may take from creation to completed ICE and DTLS before it is
    /// removed and reported (RFC 8445 allows consent checks to start late; 30 s is generous).
    public var connectTimeoutSeconds: Int
    /// How long after the last authenticated Binding request the relay stops sending to a tuple
    /// (RFC 7675 consent freshness).
    public var consentTimeoutSeconds: Int
    /// Unauthenticated STUN error responses sent per second per source address at most.
    public var stunErrorsPerSecondPerAddress: Int

    /// The defaults: 1500-byte datagrams, 30 s to connect, 30 s of consent, 5 errors/s/address.
    public init(
        maximumDatagramSize: Int = 1500,
        connectTimeoutSeconds: Int = 30,
        consentTimeoutSeconds: Int = 30,
        stunErrorsPerSecondPerAddress: Int = 5
    ) {
        self.maximumDatagramSize = maximumDatagramSize
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.consentTimeoutSeconds = consentTimeoutSeconds
        self.stunErrorsPerSecondPerAddress = stunErrorsPerSecondPerAddress
    }

    /// Names the first limit that cannot work, or returns nil when all can.
    ///
    /// - Returns: a sentence for the operator, such as
    ///   `"maximumDatagramSize must be between 576 and 65507 (got 0)"`.
    public func validate() -> String? {
        if !(576...65_507).contains(self.maximumDatagramSize) {
            return "maximumDatagramSize must be between 576 and 65507 (got \(self.maximumDatagramSize))"
        }
        if self.connectTimeoutSeconds < 1 {
            return "connectTimeoutSeconds must be at least 1 (got \(self.connectTimeoutSeconds))"
        }
        if self.consentTimeoutSeconds < 1 {
            return "consentTimeoutSeconds must be at least 1 (got \(self.consentTimeoutSeconds))"
        }
        if self.stunErrorsPerSecondPerAddress < 0 {
            return "stunErrorsPerSecondPerAddress must not be negative (got \(self.stunErrorsPerSecondPerAddress))"
        }
        return nil
    }
}
