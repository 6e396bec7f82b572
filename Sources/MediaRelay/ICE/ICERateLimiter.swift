/// A fixed-size table of token buckets keyed by a hash of the source address, plus one global
/// bucket: decides whether the relay may answer one more unauthenticated datagram.
///
/// Memory never grows: the table is allocated once (``slotCount`` words) and a flood from any
/// number of addresses only updates existing slots. Addresses whose hashes collide share a slot,
/// and so share a limit; that is conservative (together they never get more than one address's
/// rate) and harmless, since legitimate peers authenticate and never need error responses. The
/// hash is keyed with a random seed drawn at creation, so a sender cannot choose addresses that
/// land in a particular slot.
///
/// Each bucket is one integer, its "theoretical arrival time" (the generic cell rate algorithm):
/// a datagram at `now` is allowed when that time is at most `burst - 1` intervals ahead of `now`,
/// and then moves it one interval further. A bucket holds ``burst`` tokens and refills at
/// ``ratePerSecond``.
///
/// Not thread-safe: one per worker.
public struct ICERateLimiter: Sendable {
    /// Allowed answers per second per address (slot); 0 allows none.
    public let ratePerSecond: Int
    /// Allowed answers per second from all addresses together; 0 allows none.
    public let globalRatePerSecond: Int
    /// The number of per-address buckets (a power of two).
    public var slotCount: Int { self.slots.count }

    private var slots: [UInt64]
    private var globalSlot: UInt64 = 0
    private let seed: UInt64

    /// A limiter with `slotCount` buckets (rounded up to a power of two, 1 to 2^20).
    ///
    /// - Parameters:
    ///   - ratePerSecond: answers per second per address; the burst is the same number. Negative
    ///     values count as 0.
    ///   - globalRatePerSecond: answers per second in total; the burst is the same number.
    ///   - slotCount: how many buckets; more buckets mean fewer addresses sharing one.
    ///   - seed: keys the address hash; `nil` draws one from the system's random source.
    public init(ratePerSecond: Int, globalRatePerSecond: Int, slotCount: Int = 4_096, seed: UInt64? = nil) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.globalRatePerSecond = max(0, globalRatePerSecond)
        var count = 1
        while count < min(max(slotCount, 1), 1 << 20) {
            count &<<= 1
        }
        self.slots = [UInt64](repeating: 0, count: count)
        if let seed {
            self.seed = seed
        } else {
            var generator = SystemRandomNumberGenerator()
            self.seed = generator.next()
        }
    }

    /// Whether one more answer to `address` is allowed at `now`; if so, it is counted.
    ///
    /// The per-address bucket is checked first and is charged only if the global one also allows.
    public mutating func allow(_ address: RelayAddress, now: RelayTime) -> Bool {
        guard self.ratePerSecond > 0, self.globalRatePerSecond > 0 else { return false }
        let index = Int(truncatingIfNeeded: self.hash(address) & UInt64(self.slots.count &- 1))
        guard let next = Self.admit(self.slots[index], rate: self.ratePerSecond, now: now),
            let nextGlobal = Self.admit(self.globalSlot, rate: self.globalRatePerSecond, now: now)
        else { return false }
        self.slots[index] = next
        self.globalSlot = nextGlobal
        return true
    }

    /// GCRA: the bucket's new arrival time if a cell at `now` conforms, `nil` if not.
    private static func admit(_ arrival: UInt64, rate: Int, now: RelayTime) -> UInt64? {
        // rate >= 1, so the interval is at most 1 s and burst * interval fits easily.
        let interval = RelayTime.nanosecondsPerSecond / UInt64(rate)
        let tolerance = interval &* UInt64(rate &- 1)
        let start = max(arrival, now.nanoseconds)
        guard start &- now.nanoseconds <= tolerance else { return nil }
        let (next, overflow) = start.addingReportingOverflow(interval)
        return overflow ? .max : next
    }

    /// A keyed mix of the address's fields (SplitMix64's finaliser over each word).
    private func hash(_ address: RelayAddress) -> UInt64 {
        // Three explicit rounds rather than a loop over an array literal, which could allocate.
        var state = Self.mix(self.seed ^ address.high)
        state = Self.mix(state ^ address.low)
        return Self.mix(state ^ (UInt64(address.port) | UInt64(address.family.rawValue) &<< 16))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}
