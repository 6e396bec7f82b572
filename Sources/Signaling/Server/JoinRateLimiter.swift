import Synchronization

/// A token bucket per remote address that limits joins: `rate` tokens per second, at most
/// `burst` saved. The table is bounded: beyond `maxAddresses` entries, full buckets (idle
/// addresses) are dropped, and if that is not enough the whole table is reset (which can only
/// favour clients, never lock one out).
final class JoinRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let maxAddresses: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Double, burst: Int, maxAddresses: Int = 10_000) {
        self.rate = max(rate, 0)
        self.burst = Double(max(burst, 1))
        self.maxAddresses = maxAddresses
    }

    /// How many addresses the table holds now.
    var count: Int {
        self.buckets.withLock { $0.count }
    }

    /// Takes one token for `address` (nil counts as one shared unknown address); false when the
    /// bucket is empty.
    func allow(_ address: String?, now: ContinuousClock.Instant = .now) -> Bool {
        let key = address ?? "unknown"
        return self.buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: self.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(self.burst, bucket.tokens + max(seconds, 0) * self.rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets[key] == nil, buckets.count >= self.maxAddresses {
                // A bucket untouched for longer than a full refill is full again: forgetting it
                // changes nothing for that address.
                if self.rate > 0 {
                    let refill = Duration.seconds(self.burst / self.rate)
                    buckets = buckets.filter { _, value in now - value.updated < refill }
                }
                if buckets.count >= self.maxAddresses { buckets.removeAll() }
            }
            buckets[key] = bucket
            return allowed
        }
    }
}
