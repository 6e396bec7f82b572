/// A recording file as the admin API lists it: `{"file":"room-....opus","room":"r","bytes":1234}`.
public struct RecordingInfo: Codable, Sendable, Hashable {
    /// The file name (no directory), for example `"standup-20261129T061500Z.opus"`.
    public var file: String
    /// The room that was recorded.
    public var room: String
    /// The file's size in bytes.
    public var bytes: Int64

    /// Creates a recording description.
    public init(file: String, room: String, bytes: Int64) {
        self.file = file
        self.room = room
        self.bytes = bytes
    }
}
