/// A binary min-heap of (deadline, slot, generation) entries: the engine's timer queue. A slot
/// whose deadline changes pushes a new entry with a new generation; entries whose generation is
/// no longer current are skipped when popped (lazy deletion), so rescheduling is O(log n).
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var slot: Int
        var generation: UInt32
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool {
        self.entries.isEmpty
    }

    var first: Entry? {
        self.entries.first
    }

    mutating func push(_ entry: Entry) {
        self.entries.append(entry)
        var child = self.entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.entries[child].deadline < self.entries[parent].deadline else { break }
            self.entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !self.entries.isEmpty else { return nil }
        let top = self.entries[0]
        let last = self.entries.removeLast()
        if !self.entries.isEmpty {
            self.entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < self.entries.count, self.entries[left].deadline < self.entries[smallest].deadline {
                    smallest = left
                }
                if right < self.entries.count, self.entries[right].deadline < self.entries[smallest].deadline {
                    smallest = right
                }
                guard smallest != parent else { break }
                self.entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
