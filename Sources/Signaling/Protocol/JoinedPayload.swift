/// What a successful join returns; sent to the client as the `joined` reply.
///
/// `participants` lists the others already in the room (not the joining participant), `tracks`
/// every track in the room in the order the server assigns them to `recvonly` m-lines.
public struct JoinedPayload: Codable, Sendable, Hashable {
    /// The joining participant as others will see it.
    public var participant: ParticipantInfo
    /// The room.
    public var room: RoomInfo
    /// The other participants already in the room.
    public var participants: [ParticipantInfo]
    /// The tracks in the room, in assignment order.
    public var tracks: [TrackInfo]

    /// Creates a joined payload.
    public init(participant: ParticipantInfo, room: RoomInfo, participants: [ParticipantInfo], tracks: [TrackInfo]) {
        self.participant = participant
        self.room = room
        self.participants = participants
        self.tracks = tracks
    }
}
