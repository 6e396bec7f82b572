import Foundation
import RTCAudio

/// A loop of Opus packets encoded once at start and replayed by every participant that uses it
/// (with their own sequence numbers, timestamps and SSRCs): what lets one process simulate a
/// thousand talkers without running a thousand encoders.
///
/// Two kinds: a **tone** (a talker's frequency tag, at about -20 dBov, voice activity set) and
/// **quiet** low-level noise (about -60 dBov, voice activity clear), each frame with its RFC 6464
/// level measured from the PCM that was encoded. The loop is one second (50 frames of 20 ms);
/// tones use whole-hertz frequencies, so the phase is continuous across the loop. Immutable after
/// init, so it is shared across threads.
public final class PreencodedAudio: Sendable {
    /// Samples per 20 ms frame at 48 kHz.
    public static let samplesPerFrame = 960
    /// Frames in the loop.
    public static let frameCount = 50

    /// The Opus payloads, one per frame.
    public let payloads: [[UInt8]]
    /// The RFC 6464 level (0 loud ... 127 silent) of each frame.
    public let levels: [UInt8]
    /// The V bit of each frame's audio level.
    public let voiceActivity: Bool
    /// The tone's frequency, or nil for quiet noise.
    public let frequency: Double?

    private init(payloads: [[UInt8]], levels: [UInt8], voiceActivity: Bool, frequency: Double?) {
        self.payloads = payloads
        self.levels = levels
        self.voiceActivity = voiceActivity
        self.frequency = frequency
    }

    /// Encodes one second of a sine tone at `frequency` Hz (rounded to whole hertz) and
    /// `amplitude` (0...1 of full scale).
    ///
    /// - Throws: ``OpusError`` if libopus refuses the encoder or a frame.
    public static func tone(frequency: Double, amplitude: Double = 0.1, bitrate: Int = 32_000) throws -> PreencodedAudio
    {
        let hertz = frequency.rounded()
        let scale = amplitude * 32767
        let pcm = (0..<(Self.samplesPerFrame * Self.frameCount)).map { index in
            Int16(clamping: Int((scale * sin(2 * Double.pi * hertz * Double(index) / 48_000)).rounded()))
        }
        return try Self.encode(pcm, voiceActivity: true, frequency: hertz, bitrate: bitrate)
    }

    /// Encodes one second of low-level white noise (deterministic: a fixed linear congruential
    /// sequence), what a quiet participant's microphone picks up.
    ///
    /// - Throws: ``OpusError`` if libopus refuses the encoder or a frame.
    public static func quiet(amplitude: Double = 0.001, bitrate: Int = 32_000) throws -> PreencodedAudio {
        var state: UInt32 = 0x1234_5678
        let scale = amplitude * 32767
        let pcm = (0..<(Self.samplesPerFrame * Self.frameCount)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            let unit = Double(Int32(bitPattern: state)) / Double(Int32.max)
            return Int16(clamping: Int((scale * unit).rounded()))
        }
        return try Self.encode(pcm, voiceActivity: false, frequency: nil, bitrate: bitrate)
    }

    private static func encode(
        _ pcm: [Int16],
        voiceActivity: Bool,
        frequency: Double?,
        bitrate: Int
    ) throws
        -> PreencodedAudio
    {
        let encoder = try OpusEncoder(configuration: OpusEncoder.Configuration(bitrate: bitrate))
        var payloads: [[UInt8]] = []
        var levels: [UInt8] = []
        // Encode the loop twice and keep the second pass: the encoder has settled by then, and
        // the second pass's first frame follows the first pass's last, as it will when looping.
        for pass in 0..<2 {
            for frame in 0..<Self.frameCount {
                let samples = Array(pcm[(frame * Self.samplesPerFrame)..<((frame + 1) * Self.samplesPerFrame)])
                let payload = try encoder.encode(samples)
                if pass == 1 {
                    payloads.append(payload)
                    levels.append(AudioLevel.level(of: samples.span))
                }
            }
        }
        return PreencodedAudio(payloads: payloads, levels: levels, voiceActivity: voiceActivity, frequency: frequency)
    }
}
