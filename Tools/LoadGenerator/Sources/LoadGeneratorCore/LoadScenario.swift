/// A load scenario: rooms x participants, talkers per room, duration, ramp-up and churn, turned
/// into a schedule of who joins which room when, and when they leave.
///
/// Participants join interleaved across rooms (participant `i` goes to room `i % rooms`) at
/// `ramp` joins per second, so rooms fill evenly. In each room the first `talkers` participants
/// talk, each with its own frequency tag (``ToneTag``); the others stay quiet. Once everyone
/// joined, the run lasts `duration` seconds; with churn, `churn` times per second during that
/// time a random present participant leaves and a new one (same room and role) joins 0.2 s
/// later. Deterministic for a seed.
public struct LoadScenario: Sendable, Hashable {
    /// One participant's part in the run.
    public struct Entry: Sendable, Hashable {
        /// What it is.
        public var plan: ParticipantPlan
        /// Its room's name.
        public var roomName: String
        /// When it joins, in seconds from the start.
        public var joinAt: Double
        /// When it leaves, in seconds from the start.
        public var leaveAt: Double
    }

    /// Rooms.
    public var rooms: Int
    /// Participants per room.
    public var participantsPerRoom: Int
    /// Talkers per room.
    public var talkersPerRoom: Int
    /// Seconds of steady state after the ramp.
    public var duration: Double
    /// Joins per second.
    public var ramp: Double
    /// Leave-and-rejoin events per second during the steady state (0: none).
    public var churn: Double
    /// Room names are `<prefix>-<index>`.
    public var roomPrefix: String
    /// Participants per room (the first ones) that decode their audio for the mix check.
    public var mixCheckPerRoom: Int
    /// The seed of credentials, SSRCs and churn choices.
    public var seed: UInt64

    /// A scenario.
    public init(
        rooms: Int,
        participantsPerRoom: Int,
        talkersPerRoom: Int,
        duration: Double,
        ramp: Double = 50,
        churn: Double = 0,
        roomPrefix: String = "load",
        mixCheckPerRoom: Int = 2,
        seed: UInt64 = 1
    ) {
        self.rooms = rooms
        self.participantsPerRoom = participantsPerRoom
        self.talkersPerRoom = talkersPerRoom
        self.duration = duration
        self.ramp = ramp
        self.churn = churn
        self.roomPrefix = roomPrefix
        self.mixCheckPerRoom = mixCheckPerRoom
        self.seed = seed
    }

    /// Names the first value that cannot work, or nil.
    public func validate() -> String? {
        if self.rooms < 1 { return "--rooms must be at least 1" }
        if self.participantsPerRoom < 1 { return "--participants must be at least 1" }
        if self.talkersPerRoom < 0 || self.talkersPerRoom > self.participantsPerRoom {
            return "--talkers must be between 0 and --participants"
        }
        if !(self.duration > 0) { return "--duration must be positive" }
        if !(self.ramp > 0) { return "--ramp must be positive (joins per second)" }
        if self.churn < 0 { return "--churn must not be negative" }
        return nil
    }

    /// When the last initial participant joins (seconds from the start).
    public var rampSeconds: Double {
        Double(self.rooms * self.participantsPerRoom - 1) / self.ramp
    }

    /// When everyone leaves (seconds from the start).
    public var endSeconds: Double {
        self.rampSeconds + self.duration
    }

    /// The schedule, ordered by join time.
    public func schedule() -> [Entry] {
        var generator = SplitMix64(seed: self.seed)
        let total = self.rooms * self.participantsPerRoom
        let end = self.endSeconds
        var entries: [Entry] = []
        func entry(number: Int, room: Int, position: Int, joinAt: Double) -> Entry {
            let talks = position < self.talkersPerRoom
            let others = (0..<self.talkersPerRoom).filter { $0 != position }.map { ToneTag.frequency(forTalker: $0) }
            let plan = ParticipantPlan(
                number: number,
                room: room,
                identity: "load-\(room)-\(number)",
                isTalker: talks,
                toneFrequency: talks ? ToneTag.frequency(forTalker: position) : nil,
                otherToneFrequencies: others,
                checksMix: position < self.mixCheckPerRoom,
                using: &generator
            )
            return Entry(plan: plan, roomName: "\(self.roomPrefix)-\(room)", joinAt: joinAt, leaveAt: end)
        }
        for index in 0..<total {
            entries.append(
                entry(
                    number: index,
                    room: index % self.rooms,
                    position: index / self.rooms,
                    joinAt: Double(index) / self.ramp
                )
            )
        }
        if self.churn > 0 {
            // Positions stay with the seat: the newcomer takes the leaver's role and tag.
            var present = Array(0..<total)
            var positions = (0..<total).map { $0 / self.rooms }
            var time = self.rampSeconds + 1 / self.churn
            while time < end - 1 {
                let pick = Int(generator.next() % UInt64(present.count))
                let leaver = present[pick]
                entries[leaver].leaveAt = time
                let number = entries.count
                let position = positions[leaver]
                entries.append(
                    entry(number: number, room: entries[leaver].plan.room, position: position, joinAt: time + 0.2)
                )
                positions.append(position)
                present[pick] = number
                time += 1 / self.churn
            }
        }
        return entries.sorted { ($0.joinAt, $0.plan.number) < ($1.joinAt, $1.plan.number) }
    }
}
