/// Smooths one stream's per-tick level for speaker selection: it rises fast (attack) and falls
/// slowly (release), so a talker stays selected through the pauses between words and a single loud
/// click does not take the floor.
///
/// Levels are in dBov (0 loudest, -127 silence; see ``AudioLevel/dBov(_:)``). The smoother starts
/// at silence. A value type: no allocation, no clock (one update per 20 ms tick).
public struct AudioLevelSmoother: Sendable, Hashable {
    /// How fast the smoothed level follows the measured one.
    public struct Configuration: Sendable, Hashable {
        /// The fraction of the way to a louder level covered per tick (default 0.5: -127 to -20
        /// dBov reaches -50 in two ticks). Clamped to 0...1.
        public var attack: Float
        /// The fraction of the way to a quieter level covered per tick (default 0.02: a talker at
        /// -20 dBov who falls silent drops below -60 dBov after about 23 ticks, 460 ms). Clamped
        /// to 0...1.
        public var release: Float

        /// The defaults described on each property.
        public init(attack: Float = 0.5, release: Float = 0.02) {
            self.attack = attack
            self.release = release
        }
    }

    /// The smoothing constants.
    public let configuration: Configuration

    /// The smoothed level in dBov.
    public private(set) var level: Float = -127

    /// A smoother at silence.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = Configuration(
            attack: min(max(configuration.attack, 0), 1),
            release: min(max(configuration.release, 0), 1)
        )
    }

    /// Takes one tick's measured level (dBov, clamped to -127...0) and returns the smoothed level.
    @discardableResult
    public mutating func update(_ dBov: Float) -> Float {
        let measured = dBov.isNaN ? -127 : min(max(dBov, -127), 0)
        let rate = measured > self.level ? self.configuration.attack : self.configuration.release
        self.level += (measured - self.level) * rate
        return self.level
    }

    /// Takes one tick's RFC 6464 level (-dBov) and returns the smoothed level in dBov.
    @discardableResult
    public mutating func update(level: UInt8) -> Float {
        self.update(AudioLevel.dBov(level))
    }

    /// Back to silence (a stream that left and a new one reusing its slot).
    public mutating func reset() {
        self.level = -127
    }
}
