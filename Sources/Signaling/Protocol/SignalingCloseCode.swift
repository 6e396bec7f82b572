/// A WebSocket close code used by the Parley signaling endpoint.
///
/// The values are those of RFC 6455 section 7.4 plus the private code 4400 for malformed JSON.
/// ``SignalingSession/close(code:reason:)`` takes one, so a backend can end a connection with the
/// code the protocol documents (1000 after `room_closed` or a removal, 1013 while draining).
public struct SignalingCloseCode: Sendable, Hashable, CustomStringConvertible {
    /// The numeric close code sent in the WebSocket close frame.
    public let rawValue: UInt16

    /// Creates a close code; prefer the static constants.
    public init(_ rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the conversation ended normally (`leave`, `room_closed`, removal).
    public static let normal = SignalingCloseCode(1000)
    /// 1001: the server is going away, or a silent client timed out (keep-alive).
    public static let goingAway = SignalingCloseCode(1001)
    /// 1008: a policy violation: token errors and forbidden joins.
    public static let policyViolation = SignalingCloseCode(1008)
    /// 1009: a frame or message larger than the configured limit.
    public static let messageTooLarge = SignalingCloseCode(1009)
    /// 1011: an unexpected server error.
    public static let internalError = SignalingCloseCode(1011)
    /// 1013: try again later: draining, room full, rate limited, or the client did not read its
    /// events fast enough (outbound queue overflow).
    public static let tryAgainLater = SignalingCloseCode(1013)
    /// 4400: the client sent a frame that is not a JSON object (private-use range).
    public static let malformedJSON = SignalingCloseCode(4400)

    /// The number.
    public var description: String { String(self.rawValue) }
}
