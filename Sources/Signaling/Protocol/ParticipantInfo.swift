/// A participant as the protocol shows it: `{"id":"p7","identity":"alice","name":"Alice"}`.
///
/// `id` is the server-assigned participant id (unique in the room for the participant's
/// lifetime), `identity` is the token's `sub`, `name` the display name.
public struct ParticipantInfo: Codable, Sendable, Hashable {
    /// The server-assigned participant id, for example `"p7"`.
    public var id: String
    /// The identity from the token's `sub` claim.
    public var identity: String
    /// The display name shown to others.
    public var name: String

    /// Creates a participant description.
    public init(id: String, identity: String, name: String) {
        self.id = id
        self.identity = identity
        self.name = name
    }
}
