/// The room as a joining client sees it (`joined.room`):
/// `{"name":"r","audioMode":"mixed","recording":false}`.
public struct RoomInfo: Codable, Sendable, Hashable {
    /// The room's name (the token's `room` claim).
    public var name: String
    /// How the room carries audio.
    public var audioMode: AudioMode
    /// Whether the room is being recorded now.
    public var recording: Bool

    /// Creates a room description.
    public init(name: String, audioMode: AudioMode, recording: Bool) {
        self.name = name
        self.audioMode = audioMode
        self.recording = recording
    }
}
