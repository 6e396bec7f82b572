/// A log-linear histogram of durations in microseconds: exact below 64 µs, then 32 buckets per
/// power of two (at most about 3 % relative error), up to about 71 minutes (larger values are
/// clamped). 896 `UInt32` counters, so one per received stream is affordable.
///
/// Use it for one-way latency and sender lateness, where millions of samples arrive and
/// percentiles are wanted: ``record(microseconds:)`` is a few instructions and never allocates
/// after the first sample. ``percentile(_:)`` returns the middle of the bucket holding the
/// nearest-rank sample, clamped to the largest value recorded.
public struct LatencyHistogram: Sendable, Hashable {
    /// Values below this are counted exactly.
    static let linearLimit: UInt64 = 64
    /// Buckets per power of two above the linear range.
    static let subBuckets = 32
    /// The largest value kept (larger ones count as this).
    public static let maximumValue: UInt64 = (1 << 32) - 1
    static let bucketCount = 64 + 26 * 32

    // Allocated on the first sample: most streams of a short run stay cheap.
    private var counts: [UInt32] = []
    /// How many samples were recorded.
    public private(set) var count: UInt64 = 0
    /// The smallest sample, or 0 with none.
    public private(set) var minimum: UInt64 = 0
    /// The largest sample, or 0 with none.
    public private(set) var maximum: UInt64 = 0
    /// The sum of all samples (for the mean).
    public private(set) var sum: UInt64 = 0

    /// An empty histogram.
    public init() {}

    /// The bucket a value falls into.
    static func bucket(of value: UInt64) -> Int {
        let clamped = min(value, Self.maximumValue)
        if clamped < Self.linearLimit {
            return Int(clamped)
        }
        // clamped is in [2^(5+e), 2^(6+e)), so clamped >> e is in [32, 64).
        let exponent = (64 - clamped.leadingZeroBitCount) - 6
        return 64 + (exponent - 1) * Self.subBuckets + Int(clamped >> UInt64(exponent)) - Self.subBuckets
    }

    /// The smallest value in a bucket and the bucket's width.
    static func range(of bucket: Int) -> (lower: UInt64, width: UInt64) {
        if bucket < Int(Self.linearLimit) {
            return (UInt64(bucket), 1)
        }
        let exponent = (bucket - 64) / Self.subBuckets + 1
        let sub = UInt64((bucket - 64) % Self.subBuckets + Self.subBuckets)
        return (sub << UInt64(exponent), 1 << UInt64(exponent))
    }

    /// Records one sample.
    public mutating func record(microseconds value: UInt64) {
        if self.counts.isEmpty {
            self.counts = [UInt32](repeating: 0, count: Self.bucketCount)
        }
        let index = Self.bucket(of: value)
        self.counts[index] &+= 1
        let clamped = min(value, Self.maximumValue)
        if self.count == 0 || clamped < self.minimum {
            self.minimum = clamped
        }
        self.maximum = max(self.maximum, clamped)
        self.count += 1
        self.sum &+= clamped
    }

    /// Adds every sample of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        if self.counts.isEmpty {
            self.counts = [UInt32](repeating: 0, count: Self.bucketCount)
        }
        for index in other.counts.indices where other.counts[index] > 0 {
            self.counts[index] &+= other.counts[index]
        }
        self.minimum = self.count == 0 ? other.minimum : min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.count += other.count
        self.sum &+= other.sum
    }

    /// The nearest-rank `percent` percentile (0 < percent <= 100) in microseconds: exact below
    /// 64 µs and for the largest sample, else the middle of its bucket (clamped to the recorded
    /// minimum and maximum); 0 with no samples.
    public func percentile(_ percent: Double) -> UInt64 {
        guard self.count > 0 else { return 0 }
        let rank = Percentile.nearestRank(percent, of: Int(clamping: self.count))
        if rank == Int(clamping: self.count) {
            return self.maximum
        }
        var seen: UInt64 = 0
        for index in self.counts.indices {
            seen += UInt64(self.counts[index])
            if seen >= UInt64(rank) {
                let (lower, width) = Self.range(of: index)
                let middle = lower + (width - 1) / 2
                return min(max(middle, self.minimum), self.maximum)
            }
        }
        return self.maximum
    }

    /// The mean in microseconds, or 0 with no samples.
    public var mean: Double {
        self.count == 0 ? 0 : Double(self.sum) / Double(self.count)
    }
}
