/// A trickled ICE candidate from a client (`candidate` message); the endpoint has checked that it
/// is empty (end of candidates) or starts with `candidate:`, and that the line is short.
public struct CandidateInfo: Sendable, Hashable {
    /// The candidate line (`candidate:...`), or `""` for end of candidates.
    public var candidate: String
    /// The m-line's mid, if given.
    public var sdpMid: String?
    /// The m-line's index, if given.
    public var sdpMLineIndex: Int?

    /// Whether this marks the end of candidates.
    public var isEndOfCandidates: Bool { self.candidate.isEmpty }

    /// Creates a candidate.
    public init(candidate: String, sdpMid: String?, sdpMLineIndex: Int?) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
    }
}
