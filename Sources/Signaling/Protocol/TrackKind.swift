/// The media kind of a track or an m-line: `"audio"` or `"video"`.
public enum TrackKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// An audio track (Opus).
    case audio
    /// A video track (VP8 or H.264).
    case video
}
