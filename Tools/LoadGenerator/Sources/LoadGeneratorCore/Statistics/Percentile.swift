/// Percentiles by the nearest-rank method: the p-th percentile of N sorted samples is the sample
/// at rank ceil(p/100 * N) (1-based), so p99 of 100 samples is the 99th smallest, and p100 the
/// largest. The same rule is used by ``LatencyHistogram`` and in reports.
public enum Percentile {
    /// The 1-based rank of the `percent` percentile among `count` samples (1...count), or 0 when
    /// there are none. Percentages are clamped to 0...100; 0 gives rank 1.
    public static func nearestRank(_ percent: Double, of count: Int) -> Int {
        guard count > 0 else { return 0 }
        let clamped = min(max(percent, 0), 100)
        // Round away tiny floating-point excess (0.99 * 100 = 99.00000000000001).
        let exact = clamped / 100 * Double(count)
        let rank = Int((exact - 1e-9).rounded(.up))
        return min(max(rank, 1), count)
    }

    /// The `percent` percentile of `sorted` (ascending), or nil when it is empty.
    public static func of<Value>(_ percent: Double, sorted: [Value]) -> Value? {
        let rank = Self.nearestRank(percent, of: sorted.count)
        return rank == 0 ? nil : sorted[rank - 1]
    }
}
