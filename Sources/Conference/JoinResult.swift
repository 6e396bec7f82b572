/// What ``Conference/join(room:identity:name:grants:)`` returns: the content of the `joined`
/// reply, and the effects for the others.
public struct JoinResult: Sendable, Hashable {
    /// The new participant.
    public var participant: ParticipantInfo
    /// Its room (created by this join when ``RoomInfo/createdOnJoin`` and it has one participant).
    public var room: RoomInfo
    /// The other participants already in the room, in join order.
    public var participants: [ParticipantInfo]
    /// The room's tracks in publication order: the list recvonly m-lines are matched against.
    public var tracks: [TrackInfo]
    /// `participant_joined` for the others; the room's plan when this join created it.
    public var effects: ConferenceEffects

    /// Makes a result.
    public init(
        participant: ParticipantInfo,
        room: RoomInfo,
        participants: [ParticipantInfo],
        tracks: [TrackInfo],
        effects: ConferenceEffects
    ) {
        self.participant = participant
        self.room = room
        self.participants = participants
        self.tracks = tracks
        self.effects = effects
    }
}
