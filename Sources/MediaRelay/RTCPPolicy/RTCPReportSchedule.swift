/// When the relay next sends its own RTCP reports to each transport: one deadline per connected
/// transport, each interval (the first one included) drawn uniformly from 0.5 to 1.5 times the
/// mean (RFC 3550 6.3.1), so that transports connected together do not report in lockstep.
///
/// The deadlines live in a dictionary reserved for the core's transport limit, and the due list
/// is a reused array: nothing allocates once the transports are added. The random draws come from
/// a SplitMix64 generator (spreading reports needs no secrecy, and a fixed seed keeps tests
/// deterministic). One worker thread owns it; `package` so that tests can drive it.
package struct RTCPReportSchedule {
    /// The mean interval in nanoseconds; 0 schedules nothing.
    package let interval: UInt64
    /// The next report time of each scheduled transport.
    package private(set) var deadlines: [TransportID: RelayTime]
    /// The earliest deadline, or nil when none is scheduled. It may be early (a removed
    /// transport's), never late: ``takeDue(now:)`` recomputes it.
    package private(set) var earliest: RelayTime?
    /// The transports ``takeDue(now:)`` found due, in no particular order.
    package private(set) var due: [TransportID] = []
    private var state: UInt64

    /// A schedule for at most `capacity` transports.
    package init(interval: UInt64, capacity: Int, seed: UInt64 = 0x5EED_2E90_2750_0001) {
        self.interval = interval
        self.deadlines = Dictionary(minimumCapacity: max(1, capacity))
        self.due.reserveCapacity(max(1, capacity))
        self.state = seed
    }

    /// Schedules a transport's first report, one randomised interval from `now` (not halved as
    /// RFC 3550 allows: a transport has nothing to report right after connecting).
    package mutating func add(_ id: TransportID, now: RelayTime) {
        guard self.interval > 0 else { return }
        let deadline = now.adding(nanoseconds: self.draw())
        self.deadlines[id] = deadline
        self.earliest = min(self.earliest ?? deadline, deadline)
    }

    /// Stops reporting to a transport (unknown ids are ignored).
    package mutating func remove(_ id: TransportID) {
        self.deadlines[id] = nil
        if self.deadlines.isEmpty {
            self.earliest = nil
        }
    }

    /// Fills ``due`` with the transports whose deadline is at or before `now`, moves each of
    /// their deadlines one randomised interval past `now`, and recomputes ``earliest`` (which
    /// is then after `now`, or nil).
    package mutating func takeDue(now: RelayTime) {
        self.due.removeAll(keepingCapacity: true)
        for (id, deadline) in self.deadlines where deadline <= now {
            self.due.append(id)
        }
        for index in self.due.indices {
            self.deadlines[self.due[index]] = now.adding(nanoseconds: self.draw())
        }
        var earliest: RelayTime? = nil
        for deadline in self.deadlines.values {
            earliest = min(earliest ?? deadline, deadline)
        }
        self.earliest = earliest
    }

    /// One interval: `interval * U(0.5, 1.5)`, at least 1 ns.
    private mutating func draw() -> UInt64 {
        // SplitMix64 (Steele, Lea, Flood 2014).
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = self.state
        mixed = (mixed ^ (mixed &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed &>> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed &>> 31
        // A fraction in [0, 1) with 32 bits of resolution; the interval is at most ~2^63 ns,
        // so split the product to stay within 64 bits.
        let fraction = mixed &>> 32
        let half = self.interval / 2
        let high = ((self.interval &>> 16) &* fraction) &>> 16
        let low = ((self.interval & 0xFFFF) &* fraction) &>> 32
        let spread = high &+ low
        return max(1, half &+ spread)
    }
}
