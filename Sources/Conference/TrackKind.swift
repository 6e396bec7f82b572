/// The media kind of a track or m-line, with the protocol's names.
public enum TrackKind: String, Sendable, Hashable, CaseIterable {
    /// Audio (Opus).
    case audio
    /// Video (VP8 or H.264).
    case video

    /// The RTP clock rate Parley negotiates for the kind: 48 kHz for Opus, 90 kHz for video.
    public var clockRate: UInt32 {
        switch self {
        case .audio: return 48_000
        case .video: return 90_000
        }
    }
}
