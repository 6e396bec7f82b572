/// Impairments applied to the media a participant sends, before the socket: random loss, a
/// random extra delay of 0...``jitterMilliseconds`` (uniform), and reordering (a packet held back
/// one extra frame period, so that the next one overtakes it). Control traffic (STUN, DTLS) is
/// never impaired. Deterministic for a given seed.
public struct Impairment: Sendable, Hashable {
    /// Percentage of media packets dropped (0...100).
    public var lossPercent: Double
    /// Largest extra delay in milliseconds (0: none).
    public var jitterMilliseconds: Double
    /// Percentage of media packets held back by one frame period (0...100).
    public var reorderPercent: Double
    /// The random generator's seed.
    public var seed: UInt64

    /// No impairment.
    public static let none = Impairment(lossPercent: 0, jitterMilliseconds: 0, reorderPercent: 0)

    /// Impairments as given (clamped to their ranges).
    public init(lossPercent: Double, jitterMilliseconds: Double, reorderPercent: Double, seed: UInt64 = 0x5EED) {
        self.lossPercent = min(max(lossPercent, 0), 100)
        self.jitterMilliseconds = max(jitterMilliseconds, 0)
        self.reorderPercent = min(max(reorderPercent, 0), 100)
        self.seed = seed
    }

    /// Whether anything is impaired.
    public var isActive: Bool {
        self.lossPercent > 0 || self.jitterMilliseconds > 0 || self.reorderPercent > 0
    }

    /// What happens to one packet.
    public enum Decision: Sendable, Hashable {
        /// Send it now.
        case send
        /// Drop it.
        case drop
        /// Send it after this many nanoseconds.
        case delay(UInt64)
    }

    /// Decides one packet's fate, drawing from `generator`.
    public func decide(framePeriod: UInt64, using generator: inout some RandomNumberGenerator) -> Decision {
        guard self.isActive else { return .send }
        if self.lossPercent > 0, Double.random(in: 0..<100, using: &generator) < self.lossPercent {
            return .drop
        }
        var delay: UInt64 = 0
        if self.jitterMilliseconds > 0 {
            delay += UInt64(Double.random(in: 0...self.jitterMilliseconds, using: &generator) * 1_000_000)
        }
        if self.reorderPercent > 0, Double.random(in: 0..<100, using: &generator) < self.reorderPercent {
            delay += framePeriod + framePeriod / 2
        }
        return delay == 0 ? .send : .delay(delay)
    }
}

/// A small, fast, seedable generator (SplitMix64) for impairments and scenarios, so that a run
/// can be repeated.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting at `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
