/// Chooses a room's speakers: the N loudest streams by smoothed level, with hysteresis so the
/// choice does not flap between streams of similar loudness.
///
/// Participants are numbered `0..<capacity` by the caller (the mixer's participant slots). Each
/// tick the caller passes every participant's smoothed level (dBov; -127 for an absent or silent
/// one) to ``update(levels:)``:
/// - a speaker whose level fell below ``Configuration/deactivationLevel`` stops, once it has been a
///   speaker for ``Configuration/minimumHoldTicks``;
/// - free speaker slots go to the loudest non-speakers at or above
///   ``Configuration/activationLevel``, ties to the lower index;
/// - a non-speaker replaces the quietest speaker (held long enough) only when it is louder by at
///   least ``Configuration/switchMargin`` dB. Equal levels never swap.
///
/// A speaker keeps its slot (`0..<speakerCount`) while it speaks, so per-slot state (the mixer's
/// mix-minus encoder) follows it. Every start and stop is appended to ``changes``, which the caller
/// empties with ``removeAllChanges()`` after reading. All storage is allocated in `init`; an update
/// costs O(capacity x speakerCount) comparisons and allocates nothing.
public struct SpeakerSelector: Sendable {
    /// Thresholds and sizes.
    public struct Configuration: Sendable, Hashable {
        /// How many speakers at most (default 3). Clamped to 1...64.
        public var speakerCount: Int
        /// The smoothed level (dBov) a stream needs to become a speaker (default -50).
        public var activationLevel: Float
        /// The smoothed level (dBov) below which a speaker stops (default -60); lower than the
        /// activation level, the gap being the hysteresis.
        public var deactivationLevel: Float
        /// How much louder (dB) a non-speaker must be than the quietest speaker to replace it
        /// (default 6).
        public var switchMargin: Float
        /// Ticks a speaker keeps its slot before it can be replaced or stopped (default 10, 200 ms).
        public var minimumHoldTicks: Int

        /// The defaults described on each property.
        public init(
            speakerCount: Int = 3,
            activationLevel: Float = -50,
            deactivationLevel: Float = -60,
            switchMargin: Float = 6,
            minimumHoldTicks: Int = 10
        ) {
            self.speakerCount = speakerCount
            self.activationLevel = activationLevel
            self.deactivationLevel = deactivationLevel
            self.switchMargin = switchMargin
            self.minimumHoldTicks = minimumHoldTicks
        }
    }

    /// A participant starting or stopping as a speaker.
    public struct Change: Sendable, Hashable {
        /// The participant's index.
        public var index: Int
        /// The speaker slot it took or left.
        public var slot: Int
        /// True when it started, false when it stopped.
        public var started: Bool

        /// A change.
        public init(index: Int, slot: Int, started: Bool) {
            self.index = index
            self.slot = slot
            self.started = started
        }
    }

    /// The configuration, with ``Configuration/speakerCount`` clamped.
    public let configuration: Configuration
    /// The number of participant indices (`0..<capacity`).
    public let capacity: Int
    /// Starts and stops since the last ``removeAllChanges()``, oldest first. At most
    /// `4 * speakerCount + 64` are kept; further ones are counted in ``droppedChanges``.
    public private(set) var changes: [Change]
    /// Changes that did not fit in ``changes`` because the caller did not empty it.
    public private(set) var droppedChanges: Int = 0

    private var slotOfIndex: [Int]
    private var speakerInSlot: [Int]
    private var heldTicks: [Int]
    private var candidates: [Int]
    private let changeLimit: Int

    /// A selector for participants `0..<capacity`, with no speakers.
    public init(configuration: Configuration = Configuration(), capacity: Int) {
        var configuration = configuration
        configuration.speakerCount = min(max(configuration.speakerCount, 1), 64)
        configuration.minimumHoldTicks = max(configuration.minimumHoldTicks, 0)
        self.configuration = configuration
        self.capacity = max(capacity, 0)
        self.slotOfIndex = [Int](repeating: -1, count: self.capacity)
        self.speakerInSlot = [Int](repeating: -1, count: configuration.speakerCount)
        self.heldTicks = [Int](repeating: 0, count: configuration.speakerCount)
        self.candidates = [Int](repeating: -1, count: configuration.speakerCount)
        self.changeLimit = 4 * configuration.speakerCount + 64
        self.changes = []
        self.changes.reserveCapacity(self.changeLimit)
    }

    /// The participant index speaking in `slot`, or nil if the slot is free.
    public func speaker(inSlot slot: Int) -> Int? {
        guard slot >= 0 && slot < self.speakerInSlot.count else { return nil }
        let index = self.speakerInSlot[slot]
        return index >= 0 ? index : nil
    }

    /// The speaker slot of participant `index`, or nil if it is not a speaker.
    public func slot(of index: Int) -> Int? {
        guard index >= 0 && index < self.capacity else { return nil }
        let slot = self.slotOfIndex[index]
        return slot >= 0 ? slot : nil
    }

    /// The number of current speakers.
    public var speakerCount: Int {
        var count = 0
        for index in self.speakerInSlot where index >= 0 {
            count += 1
        }
        return count
    }

    /// Empties ``changes`` (keeping its storage).
    public mutating func removeAllChanges() {
        self.changes.removeAll(keepingCapacity: true)
    }

    /// Stops participant `index` at once if it is a speaker (it left the room).
    public mutating func remove(_ index: Int) {
        guard let slot = self.slot(of: index) else { return }
        self.stop(slot: slot)
    }

    /// One tick of selection.
    ///
    /// - Parameter levels: each participant's smoothed level in dBov, by index; indices beyond the
    ///   span count as silent, entries beyond ``capacity`` are ignored.
    public mutating func update(levels: Span<Float>) {
        let slots = self.speakerInSlot.count
        for slot in 0..<slots where self.speakerInSlot[slot] >= 0 {
            self.heldTicks[slot] &+= 1
        }
        // 1. Speakers that fell quiet stop.
        for slot in 0..<slots {
            let index = self.speakerInSlot[slot]
            guard index >= 0, self.heldTicks[slot] >= self.configuration.minimumHoldTicks else { continue }
            if Self.level(levels, index) < self.configuration.deactivationLevel {
                self.stop(slot: slot)
            }
        }
        // 2. The loudest non-speakers above the activation level, loudest first, ties to the lower
        // index (insertion keeps earlier indices ahead of equal later ones).
        var candidateCount = 0
        let limit = min(levels.count, self.capacity)
        for index in 0..<limit where self.slotOfIndex[index] < 0 {
            let level = levels[index]
            guard level >= self.configuration.activationLevel else { continue }
            var position = candidateCount
            while position > 0 && levels[self.candidates[position - 1]] < level {
                position -= 1
            }
            guard position < slots else { continue }
            var move = min(candidateCount, slots - 1)
            while move > position {
                self.candidates[move] = self.candidates[move - 1]
                move -= 1
            }
            self.candidates[position] = index
            candidateCount = min(candidateCount + 1, slots)
        }
        // 3. Free slots go to the loudest candidates.
        var next = 0
        for slot in 0..<slots where self.speakerInSlot[slot] < 0 && next < candidateCount {
            self.start(slot: slot, index: self.candidates[next])
            next += 1
        }
        // 4. A remaining candidate replaces the quietest speaker only if clearly louder.
        while next < candidateCount {
            var quietest = -1
            var quietestLevel = Float.infinity
            for slot in 0..<slots {
                let index = self.speakerInSlot[slot]
                guard index >= 0, self.heldTicks[slot] >= self.configuration.minimumHoldTicks else { continue }
                let level = Self.level(levels, index)
                if level < quietestLevel {
                    quietest = slot
                    quietestLevel = level
                }
            }
            let candidate = self.candidates[next]
            guard quietest >= 0, levels[candidate] >= quietestLevel + self.configuration.switchMargin else { break }
            self.stop(slot: quietest)
            self.start(slot: quietest, index: candidate)
            next += 1
        }
    }

    private static func level(_ levels: Span<Float>, _ index: Int) -> Float {
        index < levels.count ? levels[index] : -127
    }

    private mutating func start(slot: Int, index: Int) {
        self.speakerInSlot[slot] = index
        self.slotOfIndex[index] = slot
        self.heldTicks[slot] = 0
        self.record(Change(index: index, slot: slot, started: true))
    }

    private mutating func stop(slot: Int) {
        let index = self.speakerInSlot[slot]
        guard index >= 0 else { return }
        self.speakerInSlot[slot] = -1
        self.slotOfIndex[index] = -1
        self.heldTicks[slot] = 0
        self.record(Change(index: index, slot: slot, started: false))
    }

    private mutating func record(_ change: Change) {
        guard self.changes.count < self.changeLimit else {
            self.droppedChanges += 1
            return
        }
        self.changes.append(change)
    }
}
