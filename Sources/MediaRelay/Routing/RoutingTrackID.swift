/// The identity of one published track in a ``RoutingTable``, chosen by the control plane (for
/// example a counter per room).
///
/// A ``TrackSubscription`` names the track it delivers by this identifier, so moving a
/// subscription to another track (a "slot" switching speaker) is a change of this one field. The
/// worker's per-track state (receive statistics, keyframe request limits) is carried from one table
/// to the next by the publisher's SSRC and this identifier.
public struct RoutingTrackID: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The number.
    public let rawValue: UInt64

    /// An identifier from its number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// An identifier from an integer literal, for tests: `let camera: RoutingTrackID = 10`.
    public init(integerLiteral value: UInt64) {
        self.rawValue = value
    }

    /// `track 10`.
    public var description: String {
        "track \(self.rawValue)"
    }
}
