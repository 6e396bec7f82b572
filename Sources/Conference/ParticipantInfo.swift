/// A participant as the protocol shows it: `{"id":"p7","identity":"alice","name":"Alice"}`.
public struct ParticipantInfo: Sendable, Hashable {
    /// The participant's number.
    public var id: ParticipantID
    /// The token's subject.
    public var identity: String
    /// The display name.
    public var name: String
    /// What the participant's token allows (not sent to other participants).
    public var grants: Grants
    /// The room the participant is in.
    public var room: RoomName

    /// Makes a participant description.
    public init(id: ParticipantID, identity: String, name: String, grants: Grants, room: RoomName) {
        self.id = id
        self.identity = identity
        self.name = name
        self.grants = grants
        self.room = room
    }
}
