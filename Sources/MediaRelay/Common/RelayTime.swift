/// A point in time on the relay's monotonic clock, in nanoseconds since an arbitrary origin.
///
/// Sans-I/O parts of the relay (ICE-lite, transports, routing, the mixer clock) never read a
/// clock: the worker reads it once per loop iteration and passes a `RelayTime` in. Tests pass any
/// value they like, which makes timers deterministic.
public struct RelayTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: UInt64

    /// A time from nanoseconds since the clock's origin.
    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// A time from milliseconds since the clock's origin (convenient in tests).
    public static func milliseconds(_ value: UInt64) -> RelayTime {
        RelayTime(nanoseconds: value &* 1_000_000)
    }

    /// This time moved forward by a number of nanoseconds (saturating, never trapping).
    public func adding(nanoseconds: UInt64) -> RelayTime {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        return RelayTime(nanoseconds: overflow ? .max : sum)
    }

    /// This time moved forward by a number of milliseconds (saturating).
    public func adding(milliseconds: UInt64) -> RelayTime {
        let (product, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        return self.adding(nanoseconds: overflow ? .max : product)
    }

    /// Nanoseconds from `earlier` to this time, or 0 if `earlier` is later.
    public func nanoseconds(since earlier: RelayTime) -> UInt64 {
        self.nanoseconds >= earlier.nanoseconds ? self.nanoseconds &- earlier.nanoseconds : 0
    }

    /// Earlier times are smaller.
    public static func < (lhs: RelayTime, rhs: RelayTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// `12.345678901s`.
    public var description: String {
        let fraction = String(self.nanoseconds % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        return "\(self.nanoseconds / 1_000_000_000).\(padded)s"
    }
}

extension RelayTime {
    /// Nanoseconds in one second: the one conversion constant the relay's clocks share.
    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// Whole seconds as nanoseconds, saturating (negative values count as 0).
    static func nanoseconds(seconds: Int) -> UInt64 {
        let (product, overflow) = UInt64(clamping: seconds).multipliedReportingOverflow(by: Self.nanosecondsPerSecond)
        return overflow ? .max : product
    }

    /// A `Duration` as nanoseconds, saturating (negative durations count as 0).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (product, overflow) = UInt64(seconds).multipliedReportingOverflow(by: Self.nanosecondsPerSecond)
        let (sum, carry) = product.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow || carry ? .max : sum
    }
}
