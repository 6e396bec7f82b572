/// How a room carries audio: `"forwarded"` (each track forwarded), `"mixed"` (one mix per
/// listener) or `"both"`.
public enum AudioMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every published audio track is forwarded to subscribers (an SFU).
    case forwarded
    /// Each client receives one mix of the loudest speakers minus its own voice.
    case mixed
    /// Both: the mix and the individual tracks.
    case both
}
