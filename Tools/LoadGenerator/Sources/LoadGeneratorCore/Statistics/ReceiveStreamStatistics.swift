/// What one participant measured about one stream it received (one SSRC): packets and bytes,
/// loss, duplicates, reordering, RFC 3550 interarrival jitter and one-way latency.
///
/// Feed it every packet that arrived, in arrival order, with ``record(sequence:timestamp:arrival:bytes:latencyMicroseconds:)``.
/// Sequence numbers are extended across wraps relative to the highest seen. A packet whose
/// sequence number was already seen within the last 1024 is a duplicate (counted, otherwise
/// ignored); one below the highest seen but new is reordered (counted, and it fills its gap);
/// one more than 1024 behind the highest is too late to tell and counted as ``late`` (and so
/// stays lost). Loss is expected (highest - first + 1) minus the unique packets received, never
/// negative. Not thread-safe (a value).
public struct ReceiveStreamStatistics: Sendable, Hashable {
    /// The window of sequence numbers remembered for duplicate detection.
    public static let window: Int64 = 1024

    /// The RTP clock rate the jitter is computed in.
    public let clockRate: UInt32
    /// Unique packets received (duplicates excluded).
    public private(set) var packets: UInt64 = 0
    /// Bytes of those packets (RTP, after SRTP removal).
    public private(set) var bytes: UInt64 = 0
    /// Packets whose sequence number had already arrived.
    public private(set) var duplicates: UInt64 = 0
    /// Packets that arrived after a higher sequence number.
    public private(set) var reordered: UInt64 = 0
    /// Packets more than ``window`` behind the highest sequence number (not counted as received).
    public private(set) var late: UInt64 = 0
    /// RFC 3550 interarrival jitter, in RTP timestamp units.
    public private(set) var jitter: Double = 0
    /// One-way latency samples in microseconds.
    public private(set) var latency = LatencyHistogram()

    private var firstSequence: Int64 = 0
    private var highestSequence: Int64 = -1
    private var seen = [UInt64](repeating: 0, count: Int(Self.window / 64))
    private var lastArrivalUnits: Double = 0
    private var lastTimestamp: UInt32 = 0
    private var hasTransit = false

    /// An empty stream at `clockRate` Hz (48000 for Opus).
    public init(clockRate: UInt32) {
        self.clockRate = max(clockRate, 1)
    }

    /// The highest extended sequence number minus the first, plus one: packets the sender sent
    /// in that range.
    public var expected: UInt64 {
        self.highestSequence < 0 ? 0 : UInt64(self.highestSequence - self.firstSequence + 1)
    }

    /// Packets expected and never received (0 when more arrived than expected).
    public var lost: UInt64 {
        self.expected > self.packets ? self.expected - self.packets : 0
    }

    /// ``lost`` over ``expected`` (0 with nothing expected).
    public var lossFraction: Double {
        self.expected == 0 ? 0 : Double(self.lost) / Double(self.expected)
    }

    /// The jitter in milliseconds.
    public var jitterMilliseconds: Double {
        self.jitter * 1000 / Double(self.clockRate)
    }

    /// Records one arrived packet.
    ///
    /// - Parameters:
    ///   - sequence: its RTP sequence number.
    ///   - timestamp: its RTP timestamp.
    ///   - arrival: the arrival time in nanoseconds on any monotonic clock.
    ///   - bytes: its size.
    ///   - latencyMicroseconds: its one-way latency, if the packet carried a send time.
    public mutating func record(
        sequence: UInt16,
        timestamp: UInt32,
        arrival: UInt64,
        bytes: Int,
        latencyMicroseconds: UInt64? = nil
    ) {
        let extended: Int64
        if self.highestSequence < 0 {
            extended = Int64(sequence)
            self.firstSequence = extended
            self.highestSequence = extended
            self.mark(extended)
        } else {
            let delta = Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: self.highestSequence)))
            extended = self.highestSequence + delta
            if delta > 0 {
                // Forget the window slots the new highest passes over, then mark this one.
                let clearFrom = max(self.highestSequence + 1, extended - Self.window + 1)
                var slot = clearFrom
                while slot <= extended {
                    self.unmark(slot)
                    slot += 1
                }
                self.highestSequence = extended
                self.mark(extended)
            } else if extended <= self.highestSequence - Self.window || extended < self.firstSequence {
                if extended < self.firstSequence && self.highestSequence - extended < Self.window {
                    // Older than the first packet but within the window: the stream's true start
                    // (a reordered first packet).
                    self.firstSequence = extended
                    self.reordered += 1
                    self.mark(extended)
                } else {
                    self.late += 1
                    return
                }
            } else if self.isMarked(extended) {
                self.duplicates += 1
                return
            } else {
                self.reordered += 1
                self.mark(extended)
            }
        }
        self.packets += 1
        self.bytes += UInt64(max(bytes, 0))
        if let latencyMicroseconds {
            self.latency.record(microseconds: latencyMicroseconds)
        }
        // RFC 3550 A.8: D(i-1, i) = (R_i - R_{i-1}) - (S_i - S_{i-1}); J += (|D| - J) / 16.
        let arrivalUnits = Double(arrival) * Double(self.clockRate) / 1_000_000_000
        if self.hasTransit {
            let sent = Double(Int32(bitPattern: timestamp &- self.lastTimestamp))
            let difference = (arrivalUnits - self.lastArrivalUnits) - sent
            self.jitter += (abs(difference) - self.jitter) / 16
        }
        self.hasTransit = true
        self.lastArrivalUnits = arrivalUnits
        self.lastTimestamp = timestamp
    }

    /// Counts a packet that could not be read at all (SRTP replay refused it): a duplicate.
    public mutating func recordDuplicate() {
        self.duplicates += 1
    }

    private func slot(_ extended: Int64) -> (word: Int, bit: UInt64) {
        let index = Int(((extended % Self.window) + Self.window) % Self.window)
        return (index / 64, UInt64(1) << UInt64(index % 64))
    }

    private mutating func mark(_ extended: Int64) {
        let (word, bit) = self.slot(extended)
        self.seen[word] |= bit
    }

    private mutating func unmark(_ extended: Int64) {
        let (word, bit) = self.slot(extended)
        self.seen[word] &= ~bit
    }

    private func isMarked(_ extended: Int64) -> Bool {
        let (word, bit) = self.slot(extended)
        return self.seen[word] & bit != 0
    }
}
