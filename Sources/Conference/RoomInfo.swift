/// A room as the admin API and the `joined` message show it.
public struct RoomInfo: Sendable, Hashable {
    /// The room's name.
    public var name: RoomName
    /// The room's number, unique for the life of the ``Conference``: the relay's room ID.
    public var number: UInt64
    /// The relay worker the room lives on (an index into ``ConferenceConfiguration/workers``).
    public var worker: Int
    /// The room's settings.
    public var settings: RoomSettings
    /// How many participants are in it.
    public var participantCount: Int
    /// Whether it is being recorded.
    public var recording: Bool
    /// The recording's file name, when the caller gave one.
    public var recordingFile: String?
    /// Whether a join created it; such a room closes when its last participant leaves, a room the
    /// admin API created stays until it is closed.
    public var createdOnJoin: Bool

    /// Makes a room description.
    public init(
        name: RoomName,
        number: UInt64,
        worker: Int,
        settings: RoomSettings,
        participantCount: Int,
        recording: Bool,
        recordingFile: String?,
        createdOnJoin: Bool
    ) {
        self.name = name
        self.number = number
        self.worker = worker
        self.settings = settings
        self.participantCount = participantCount
        self.recording = recording
        self.recordingFile = recordingFile
        self.createdOnJoin = createdOnJoin
    }
}
