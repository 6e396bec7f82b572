/// Brings a wide (Int32) sum of audio streams back to 16-bit PCM without wrapping, hard clipping or
/// clicks: a smooth gain limiter with no look-ahead (so it adds no delay), followed by a soft knee.
///
/// Per sample:
/// 1. a peak envelope follows `|x|`, rising at once and decaying with
///    ``Configuration/releaseMilliseconds``;
/// 2. the target gain is `threshold / envelope` when the envelope is above the threshold, else 1;
/// 3. the applied gain moves toward the target smoothly: down with
///    ``Configuration/attackMilliseconds``, up within a few milliseconds (the envelope's decay
///    already makes the rise slow);
/// 4. what still exceeds the threshold while the gain is catching up (a sudden onset) is bent by a
///    soft knee that approaches, but never reaches, full scale.
///
/// So the output is always inside Int16 and never at full scale (at most +-32 766), steady loud input
/// settles at the threshold, and the gain never jumps. One limiter per output stream (its state
/// carries over between 20 ms frames); a value type, allocation-free, no libm.
public struct Limiter: Sendable, Hashable {
    /// The limiter's constants.
    public struct Configuration: Sendable, Hashable {
        /// Peaks are brought down to this level (default 29 204, about -1 dBFS); clamped to
        /// 1 000...32 000.
        public var threshold: Int
        /// How fast the gain falls when a louder peak comes (default 1 ms).
        public var attackMilliseconds: Double
        /// How fast the envelope decays after a peak (default 150 ms): how long the gain stays down.
        public var releaseMilliseconds: Double

        /// The defaults described on each property.
        public init(threshold: Int = 29_204, attackMilliseconds: Double = 1, releaseMilliseconds: Double = 150) {
            self.threshold = threshold
            self.attackMilliseconds = attackMilliseconds
            self.releaseMilliseconds = releaseMilliseconds
        }
    }

    /// The constants, with the threshold clamped.
    public let configuration: Configuration

    /// The gain applied to the last sample (1 when nothing was too loud).
    public private(set) var gain: Float = 1

    private var envelope: Float = 0
    private let threshold: Float
    private let attackRate: Float
    private let riseRate: Float
    private let envelopeDecay: Float

    /// A limiter at unity gain, for 48 kHz audio.
    public init(configuration: Configuration = Configuration()) {
        var configuration = configuration
        configuration.threshold = min(max(configuration.threshold, 1000), 32_000)
        self.configuration = configuration
        self.threshold = Float(configuration.threshold)
        let samplesPerMillisecond = Double(Opus.sampleRate) / 1000
        self.attackRate = Float(
            Self.rate(timeConstantSamples: configuration.attackMilliseconds * samplesPerMillisecond)
        )
        self.riseRate = Float(Self.rate(timeConstantSamples: 2 * samplesPerMillisecond))
        self.envelopeDecay =
            1 - Float(Self.rate(timeConstantSamples: configuration.releaseMilliseconds * samplesPerMillisecond))
    }

    /// Limits `input` into `output` sample by sample; `output` receives `min(input.count,
    /// output.count)` samples.
    public mutating func process(_ input: Span<Int32>, into output: inout MutableSpan<Int16>) {
        let count = min(input.count, output.count)
        let threshold = self.threshold
        let headroom: Float = 32_767 - threshold
        var envelope = self.envelope
        var gain = self.gain
        for index in 0..<count {
            let sample = Float(input[index])
            let magnitude = abs(sample)
            envelope = magnitude > envelope ? magnitude : envelope * self.envelopeDecay
            let target = envelope > threshold ? threshold / envelope : 1
            gain += (target - gain) * (target < gain ? self.attackRate : self.riseRate)
            var limited = sample * gain
            let excess = abs(limited) - threshold
            if excess > 0 {
                // Soft knee: slope 1 at the threshold, approaching full scale asymptotically.
                let ratio = excess / headroom
                let bent = threshold + headroom * ratio / (1 + ratio)
                limited = limited < 0 ? -bent : bent
            }
            // The knee stays below 32 766.5 for any sum under about 25 million (64 full-scale inputs
            // make 2 million); the clamp only keeps absurd inputs from rounding to full scale.
            output[index] = Int16(min(max(limited.rounded(), -32_766), 32_766))
        }
        self.envelope = envelope
        self.gain = gain
    }

    /// Back to unity gain and an empty envelope.
    public mutating func reset() {
        self.envelope = 0
        self.gain = 1
    }

    /// `1 - exp(-1 / n)`: the per-sample rate of a one-pole smoother with a time constant of `n`
    /// samples. The stdlib has no `exp` without libm: a Taylor series, exact enough for |x| <= 1.
    static func rate(timeConstantSamples: Double) -> Double {
        guard timeConstantSamples > 1 else { return 1 }
        let x = -1 / timeConstantSamples
        var term = 1.0
        var sum = 1.0
        for power in 1...12 {
            term *= x / Double(power)
            sum += term
        }
        return 1 - sum
    }
}
