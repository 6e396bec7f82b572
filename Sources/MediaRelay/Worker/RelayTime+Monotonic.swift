internal import CRelaySocket

extension RelayTime {
    /// The current time on `CLOCK_MONOTONIC` (nanoseconds since boot; never jumps, never goes
    /// back).
    ///
    /// Only the worker's loop and tools read the clock: sans-I/O parts take the `now` the worker
    /// passes them, so that tests can drive their timers with any value.
    public static func monotonicNow() -> RelayTime {
        RelayTime(nanoseconds: crelay_monotonic_nanoseconds())
    }
}
