internal import Glibc

extension RecordingTimestamp {
    /// The current second on the system's wall clock (`CLOCK_REALTIME`), in UTC.
    ///
    /// Read by the control plane when it starts a recording, never by the recorder itself (which
    /// takes the timestamp as a parameter). The wall clock can jump (NTP, an operator): it names
    /// files and tags; the recorder's timing uses the monotonic ``RelayTime``.
    public static func now() -> RecordingTimestamp {
        var time = timespec()
        // CLOCK_REALTIME always exists; on the impossible failure the epoch is a visible oddity in
        // a file name rather than a crash.
        guard clock_gettime(CLOCK_REALTIME, &time) == 0 else {
            return RecordingTimestamp(secondsSinceEpoch: 0)
        }
        return RecordingTimestamp(secondsSinceEpoch: Int64(time.tv_sec))
    }
}
