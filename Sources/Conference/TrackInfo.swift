/// A published track as the protocol shows it:
/// `{"id":"t12","participantId":"p7","kind":"audio","muted":false}`.
public struct TrackInfo: Sendable, Hashable {
    /// The track's number.
    public var id: TrackID
    /// Who publishes it.
    public var participant: ParticipantID
    /// Audio or video.
    public var kind: TrackKind
    /// Whether its publisher muted it.
    public var muted: Bool

    /// Makes a track description.
    public init(id: TrackID, participant: ParticipantID, kind: TrackKind, muted: Bool) {
        self.id = id
        self.participant = participant
        self.kind = kind
        self.muted = muted
    }
}
