internal import CLoadSocket

/// The clock every measurement of the load generator uses: `CLOCK_MONOTONIC` in nanoseconds.
/// Send times (abs-send-time), arrival times, join times and pacing all read it, so one-way
/// latency between two simulated participants of the same process needs no clock sync.
public enum LoadClock {
    /// Now, in nanoseconds since boot.
    public static var now: UInt64 {
        cload_monotonic_nanoseconds()
    }

    /// Whether standard output is a terminal (for the live progress line).
    public static var standardOutputIsTerminal: Bool {
        cload_isatty(1) == 1
    }
}
