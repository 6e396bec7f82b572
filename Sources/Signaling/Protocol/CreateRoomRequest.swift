/// The body of `POST /v1/rooms`:
/// `{"name":"r","audioMode":"mixed","maxParticipants":50,"speakers":3,"record":false}`.
///
/// Only `name` is required; a `nil` field means "the server's default". The endpoint checks that
/// `name` is 1 to 128 characters of letters, digits, `-`, `_` and `.` before calling the backend,
/// and that the numbers are positive.
public struct CreateRoomRequest: Codable, Sendable, Hashable {
    /// The room's name.
    public var name: String
    /// How the room carries audio; `nil` for the default.
    public var audioMode: AudioMode?
    /// The maximum number of participants; `nil` for the default.
    public var maxParticipants: Int?
    /// How many loudest speakers are mixed; `nil` for the default.
    public var speakers: Int?
    /// Whether recording starts with the room; `nil` for no.
    public var record: Bool?

    /// Creates a request.
    public init(
        name: String,
        audioMode: AudioMode? = nil,
        maxParticipants: Int? = nil,
        speakers: Int? = nil,
        record: Bool? = nil
    ) {
        self.name = name
        self.audioMode = audioMode
        self.maxParticipants = maxParticipants
        self.speakers = speakers
        self.record = record
    }
}
