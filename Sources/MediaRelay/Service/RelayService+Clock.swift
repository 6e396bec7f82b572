internal import Glibc

extension RelayService {
    /// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    static let ntpUnixOffsetSeconds: UInt64 = 2_208_988_800

    /// The NTP time (32.32 fixed point) at which ``RelayTime`` was zero: the real-time clock now
    /// minus the monotonic clock now. Adding a ``RelayTime`` to it gives wall-clock NTP for the
    /// relay's sender reports (until the real-time clock is stepped; the reports stay
    /// consistent with each other regardless).
    static func ntpTimeAtMonotonicZero() -> UInt64 {
        var realTime = timespec()
        _ = clock_gettime(CLOCK_REALTIME, &realTime)
        let monotonic = RelayTime.monotonicNow()
        let seconds = UInt64(max(0, realTime.tv_sec)) &+ Self.ntpUnixOffsetSeconds
        let fraction = (UInt64(max(0, realTime.tv_nsec)) &<< 32) / RelayTime.nanosecondsPerSecond
        return (seconds &<< 32 | fraction) &- RoutingClock.ntpDuration(nanoseconds: monotonic.nanoseconds)
    }
}
