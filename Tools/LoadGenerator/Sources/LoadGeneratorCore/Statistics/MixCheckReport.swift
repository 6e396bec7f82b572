/// The mix check of one participant: in what share of the (non-silent) frames it received its
/// own frequency tag and each other talker's tag was present.
///
/// It passes when every other talker's tag was present in at least half of the frames and the
/// participant's own tag in at most a tenth (a mix-minus must not echo the listener).
public struct MixCheckReport: Sendable, Hashable, Codable {
    /// Frames that counted (decoded, past warm-up, louder than -50 dBov).
    public var framesCounted: Int
    /// The participant's own tag, if it talks.
    public var ownFrequency: Double?
    /// The share of frames in which its own tag was present.
    public var ownPresence: Double
    /// The room's other talkers' tags.
    public var otherFrequencies: [Double]
    /// The share of frames in which each was present.
    public var otherPresence: [Double]

    /// A report.
    public init(
        framesCounted: Int,
        ownFrequency: Double?,
        ownPresence: Double,
        otherFrequencies: [Double],
        otherPresence: [Double]
    ) {
        self.framesCounted = framesCounted
        self.ownFrequency = ownFrequency
        self.ownPresence = ownPresence
        self.otherFrequencies = otherFrequencies
        self.otherPresence = otherPresence
    }

    /// Whether every other talker was heard (in half the frames or more).
    public var hearsOthers: Bool {
        self.framesCounted > 0 && self.otherPresence.allSatisfy { $0 >= 0.5 }
    }

    /// Whether the participant's own voice came back (in more than a tenth of the frames).
    public var hearsSelf: Bool {
        self.ownPresence > 0.1
    }
}
