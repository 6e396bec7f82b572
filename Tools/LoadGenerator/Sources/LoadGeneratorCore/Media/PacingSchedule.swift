/// An absolute send schedule: frame `k` is due at `start + k * period`, whatever time the
/// previous frames actually left, so timer lateness never accumulates into drift.
///
/// The owner asks ``due(now:)`` when its timer fires; each frame taken records how late it was.
/// A sender that fell more than ``maximumCatchUp`` frames behind (a stalled process) skips the
/// oldest ones instead of bursting them, and counts them. A value; not thread-safe.
public struct PacingSchedule: Sendable, Hashable {
    /// The most overdue frames sent back to back before older ones are skipped.
    public static let maximumCatchUp: UInt64 = 5

    /// When frame 0 is due (nanoseconds, any monotonic clock).
    public let start: UInt64
    /// The frame period in nanoseconds (20 ms for Opus at 50 packets per second).
    public let period: UInt64
    /// The index of the next frame to send.
    public private(set) var nextFrame: UInt64 = 0

    /// A schedule whose first frame is due at `start`.
    ///
    /// - Precondition: `period` > 0.
    public init(start: UInt64, period: UInt64 = 20_000_000) {
        precondition(period > 0, "PacingSchedule: the period must be positive")
        self.start = start
        self.period = period
    }

    /// When the next frame is due.
    public var nextDeadline: UInt64 {
        self.start &+ self.nextFrame &* self.period
    }

    /// One frame due now: its index and how late it is (nanoseconds).
    public struct Frame: Sendable, Hashable {
        /// The frame's index (its RTP timestamp is `index * samples per frame` from the base).
        public var index: UInt64
        /// `now` minus the frame's deadline.
        public var lateness: UInt64
    }

    /// Takes the next frame if it is due at `now`, else nil. Frames more than
    /// ``maximumCatchUp`` behind are skipped first; `skipped` counts them.
    public mutating func take(now: UInt64, skipped: inout UInt64) -> Frame? {
        guard now >= self.nextDeadline else { return nil }
        let behind = (now - self.nextDeadline) / self.period
        if behind > Self.maximumCatchUp {
            let skip = behind - Self.maximumCatchUp
            self.nextFrame += skip
            skipped += skip
        }
        let frame = Frame(index: self.nextFrame, lateness: now - self.nextDeadline)
        self.nextFrame += 1
        return frame
    }
}
