/// A room as the admin API lists it:
/// `{"name":"r","audioMode":"mixed","participants":3,"recording":false}`.
public struct RoomSummary: Codable, Sendable, Hashable {
    /// The room's name.
    public var name: String
    /// How the room carries audio.
    public var audioMode: AudioMode
    /// How many participants are in the room now.
    public var participants: Int
    /// Whether the room is being recorded now.
    public var recording: Bool

    /// Creates a room summary.
    public init(name: String, audioMode: AudioMode, participants: Int, recording: Bool) {
        self.name = name
        self.audioMode = audioMode
        self.participants = participants
        self.recording = recording
    }
}
