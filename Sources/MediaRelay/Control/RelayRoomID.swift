/// A room as the relay knows it: a number the control plane chooses (unique per process).
///
/// The relay needs rooms for what spans participants: the audio mixer, active speakers and
/// recordings. Forwarding itself needs only the routing table.
public struct RelayRoomID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number the control plane gave the room.
    public let rawValue: UInt64

    /// The room numbered `rawValue`.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `room N`, for logs.
    public var description: String {
        "room \(self.rawValue)"
    }
}
