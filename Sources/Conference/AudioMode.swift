/// How a room carries audio.
public enum AudioMode: String, Sendable, Hashable, CaseIterable {
    /// Each participant receives the others' audio tracks, forwarded (SFU).
    case forwarded
    /// Each participant receives one mixed stream of the loudest speakers minus its own voice, on
    /// its first audio m-line; no audio track is forwarded.
    case mixed
    /// Both: the mix on the first audio m-line, and forwarded tracks on recvonly audio m-lines.
    case both

    /// Whether participants receive the mix.
    public var mixes: Bool {
        self != .forwarded
    }

    /// Whether audio tracks are forwarded to recvonly m-lines.
    public var forwardsAudio: Bool {
        self != .mixed
    }
}
