/// Audio levels in RFC 6464's unit: -dBov, 0 (loudest) to 127 (silence), where 0 dBov is the
/// RMS of a full-scale square wave (so a full-scale sine measures 3).
///
/// The mixer takes a stream's level from its RFC 6464 header extension when present (no decoding
/// needed) and measures it here from decoded PCM otherwise. Pure arithmetic: no allocation, no libm.
public enum AudioLevel {
    /// The quietest level, which RFC 6464 defines as silence (-127 dBov).
    public static let silence: UInt8 = 127

    /// The level of 16-bit PCM, rounded to the nearest dB and clamped to 0...127.
    ///
    /// - Parameter pcm: the samples (any count; an empty span is silence).
    /// - Returns: the level in -dBov, as RFC 6464 carries it.
    public static func level(of pcm: Span<Int16>) -> UInt8 {
        guard !pcm.isEmpty else { return Self.silence }
        var energy: UInt64 = 0
        for index in pcm.indices {
            let sample = Int64(pcm[index])
            // At most 2^30 per sample; 2^33 samples would be needed to overflow.
            energy &+= UInt64(sample * sample)
        }
        return Self.level(meanSquare: Double(energy) / Double(pcm.count))
    }

    /// The level of a mean square sample value (16-bit scale), rounded and clamped to 0...127.
    public static func level(meanSquare: Double) -> UInt8 {
        guard meanSquare > 0 else { return Self.silence }
        // -dBov = -10 log10(meanSquare / 32768^2) = 10 log10(32768^2) - 10 log10(meanSquare).
        let fullScale = 10 * 30 * Self.log10Of2
        let decibels = fullScale - 10 * Self.log10(meanSquare)
        guard decibels < 127 else { return Self.silence }
        guard decibels > 0 else { return 0 }
        return UInt8(decibels.rounded())
    }

    /// The loudness in dBov (0 loudest, -127 silence) of an RFC 6464 level: the scale the speaker
    /// selection compares.
    public static func dBov(_ level: UInt8) -> Float {
        -Float(min(level, Self.silence))
    }

    private static let log10Of2 = 0.301_029_995_663_981_2

    /// log10 of a positive finite value, to about 0.001: the exponent from the floating-point
    /// representation, the significand's log2 from a quadratic fit on [1, 2). The stdlib has no
    /// logarithm without Foundation or libm.
    static func log10(_ value: Double) -> Double {
        let exponent = Double(value.exponent)
        let fraction = value.significand - 1
        let log2Significand = fraction * (1.346_573_590_279_973 - 0.346_573_590_279_973 * fraction)
        return (exponent + log2Significand) * Self.log10Of2
    }
}
