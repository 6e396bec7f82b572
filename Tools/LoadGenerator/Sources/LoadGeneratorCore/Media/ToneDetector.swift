import Foundation

/// Measures how much of a frame's energy lies at given frequencies (Goertzel filters), to check
/// that a mixed stream carries some talkers' frequency tags and not others.
///
/// ``share(of:in:)`` is 2|X(f)|^2 / (N * sum x^2): about 1 for a pure tone at `f`, 1/M for each
/// of M equal tones, near 0 for a frequency that is absent.
public enum ToneDetector {
    /// The sample rate the detector assumes.
    public static let sampleRate: Double = 48_000

    /// The share of the frame's energy at `frequency` (0 for a silent frame).
    public static func share(of frequency: Double, in samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return 0 }
        let omega = 2 * Double.pi * frequency / Self.sampleRate
        let coefficient = 2 * cos(omega)
        var previous = 0.0
        var beforePrevious = 0.0
        var energy = 0.0
        for sample in samples {
            let value = Double(sample)
            energy += value * value
            let current = value + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        guard energy > 0 else { return 0 }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return 2 * power / (Double(samples.count) * energy)
    }

    /// The frame's level in dBov (0 for full scale, -127 or below for silence).
    public static func level(of samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return -127 }
        var energy = 0.0
        for sample in samples {
            energy += Double(sample) * Double(sample)
        }
        let meanSquare = energy / Double(samples.count) / (32768.0 * 32768.0)
        return meanSquare > 0 ? max(10 * log10(meanSquare), -127) : -127
    }
}
