/// The pre-encoded audio of a run: quiet noise, and one tone per talker frequency tag. Made once
/// at start (about a millisecond of encoding per frame) and shared by every participant.
public final class AudioLibrary: Sendable {
    /// Low-level noise for quiet participants.
    public let quiet: PreencodedAudio
    /// A tone per frequency (whole hertz).
    public let tones: [Double: PreencodedAudio]

    /// Encodes the quiet loop and a tone for each of `frequencies`.
    ///
    /// - Throws: ``OpusError`` if libopus fails.
    public init(frequencies: [Double]) throws {
        self.quiet = try PreencodedAudio.quiet()
        var tones: [Double: PreencodedAudio] = [:]
        for frequency in Set(frequencies.map { $0.rounded() }) {
            tones[frequency] = try PreencodedAudio.tone(frequency: frequency)
        }
        self.tones = tones
    }

    /// What a participant with this plan sends: its tone if it talks, else quiet noise.
    public func audio(for plan: ParticipantPlan) -> PreencodedAudio {
        if plan.isTalker, let frequency = plan.toneFrequency, let tone = self.tones[frequency.rounded()] {
            return tone
        }
        return self.quiet
    }
}
