/// A published track: `{"id":"t12","participantId":"p7","kind":"audio","muted":false}`.
///
/// The list of tracks a client receives (`joined.tracks`, then each `tracks` event) is ordered:
/// the server assigns remote tracks to the client's `recvonly` m-lines in that order.
public struct TrackInfo: Codable, Sendable, Hashable {
    /// The server-assigned track id, for example `"t12"`.
    public var id: String
    /// The id of the participant who publishes the track.
    public var participantId: String
    /// Audio or video.
    public var kind: TrackKind
    /// Whether the publisher has muted it (`mute` message).
    public var muted: Bool

    /// Creates a track description.
    public init(id: String, participantId: String, kind: TrackKind, muted: Bool) {
        self.id = id
        self.participantId = participantId
        self.kind = kind
        self.muted = muted
    }
}
