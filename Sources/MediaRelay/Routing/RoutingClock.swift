/// Conversions from the relay's nanosecond clock to RTP media clocks and to NTP units, exact and
/// free of traps for every input (the arithmetic splits whole seconds from the remainder so no
/// product can exceed 64 bits except where wrapping is what the caller wants).
enum RoutingClock {
    static let nanosecondsPerSecond = RelayTime.nanosecondsPerSecond

    /// `nanoseconds * clockRate / 10^9`, rounded down, modulo 2^64: the number of media clock ticks
    /// in a duration, or (truncated to 32 bits) a point in time on an RTP clock.
    static func ticks(nanoseconds: UInt64, clockRate: UInt32) -> UInt64 {
        let seconds = nanoseconds / Self.nanosecondsPerSecond
        let remainder = nanoseconds % Self.nanosecondsPerSecond
        let rate = UInt64(clockRate)
        // remainder < 10^9 and rate < 2^32, so the product is below 2^62.
        return seconds &* rate &+ remainder * rate / Self.nanosecondsPerSecond
    }

    /// A duration in NTP's 32.32 fixed-point format (seconds in the high half), modulo 2^64.
    static func ntpDuration(nanoseconds: UInt64) -> UInt64 {
        let seconds = nanoseconds / Self.nanosecondsPerSecond
        let remainder = nanoseconds % Self.nanosecondsPerSecond
        // remainder << 32 is below 2^62.
        return seconds &<< 32 &+ (remainder &<< 32) / Self.nanosecondsPerSecond
    }

    /// A duration in units of 1/65536 s (RTCP's DLSR), saturating at `UInt32.max`.
    static func compactDuration(nanoseconds: UInt64) -> UInt32 {
        let value = Self.ntpDuration(nanoseconds: min(nanoseconds, 65_535 * Self.nanosecondsPerSecond)) &>> 16
        return UInt32(truncatingIfNeeded: min(value, UInt64(UInt32.max)))
    }
}
