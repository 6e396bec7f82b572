/// Why a participant left: the `reason` of `participant_left`, and what
/// ``SignalingBackend/leave(session:reason:)`` is told.
public struct LeaveReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire string, for example `"left"`.
    public let rawValue: String

    /// Creates a reason; prefer the static constants.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The client sent `leave`.
    public static let left = LeaveReason("left")
    /// An administrator removed the participant, or the backend closed the session.
    public static let removed = LeaveReason("removed")
    /// The connection closed or failed without `leave` (including outbound queue overflow).
    public static let disconnected = LeaveReason("disconnected")
    /// The client was silent for longer than the keep-alive timeout.
    public static let timeout = LeaveReason("timeout")
    /// The room was closed.
    public static let roomClosed = LeaveReason("room_closed")

    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    /// The wire string.
    public var description: String { self.rawValue }
}
