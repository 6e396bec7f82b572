import RTCAudio

/// Decodes the audio a participant receives in a mixed room and counts, frame by frame, whether
/// its own frequency tag and the room's other talkers' tags are present (``ToneDetector``).
///
/// A frame counts only when it is louder than -50 dBov (a silent mix says nothing), and the
/// first ``warmUpFrames`` are ignored (the decoder and the server's mixer settle). A tag is
/// present in a frame when it holds at least ``presenceShare`` of the frame's energy.
final class MixCheck {
    /// Frames ignored at the start.
    static let warmUpFrames = 25
    /// The energy share above which a tag counts as present (one of up to ten equal tones).
    static let presenceShare = 0.03

    let ownFrequency: Double?
    let otherFrequencies: [Double]
    private let decoder: OpusDecoder
    private var pcm = [Int16](repeating: 0, count: 5760)
    private(set) var framesSeen = 0
    private(set) var framesCounted = 0
    private(set) var ownPresent = 0
    private(set) var othersPresent: [Int]

    init(ownFrequency: Double?, otherFrequencies: [Double]) throws {
        self.ownFrequency = ownFrequency
        self.otherFrequencies = otherFrequencies
        self.othersPresent = [Int](repeating: 0, count: otherFrequencies.count)
        self.decoder = try OpusDecoder(channels: 1)
    }

    /// Decodes one Opus payload and counts the tags in it.
    func add(payload: Span<UInt8>) {
        var output = self.pcm.mutableSpan
        guard let samples = try? self.decoder.decode(payload, into: &output), samples > 0 else { return }
        self.framesSeen += 1
        guard self.framesSeen > Self.warmUpFrames else { return }
        let frame = Array(self.pcm[0..<samples])
        guard ToneDetector.level(of: frame) > -50 else { return }
        self.framesCounted += 1
        if let own = self.ownFrequency, ToneDetector.share(of: own, in: frame) >= Self.presenceShare {
            self.ownPresent += 1
        }
        for (index, frequency) in self.otherFrequencies.enumerated()
        where ToneDetector.share(of: frequency, in: frame) >= Self.presenceShare {
            self.othersPresent[index] += 1
        }
    }

    /// The result so far.
    var report: MixCheckReport {
        MixCheckReport(
            framesCounted: self.framesCounted,
            ownFrequency: self.ownFrequency,
            ownPresence: self.share(self.ownPresent),
            otherFrequencies: self.otherFrequencies,
            otherPresence: self.othersPresent.map { self.share($0) }
        )
    }

    private func share(_ count: Int) -> Double {
        self.framesCounted == 0 ? 0 : Double(count) / Double(self.framesCounted)
    }
}

@available(*, unavailable)
extension MixCheck: Sendable {}
