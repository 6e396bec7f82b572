import Testing

@testable import LoadGeneratorCore

@Suite("Pacing, impairments and timers")
struct PacingTests {
    @Test("deadlines stay on the absolute grid however late the timer fires")
    func noDrift() {
        var schedule = PacingSchedule(start: 1_000_000, period: 20_000_000)
        var skipped: UInt64 = 0
        // The timer fires 3 ms late every time: frame k still is due at start + k * 20 ms.
        for frame in 0..<100 {
            let due = 1_000_000 + UInt64(frame) * 20_000_000
            #expect(schedule.take(now: due - 1, skipped: &skipped) == nil)
            let taken = schedule.take(now: due + 3_000_000, skipped: &skipped)
            #expect(taken == PacingSchedule.Frame(index: UInt64(frame), lateness: 3_000_000))
        }
        #expect(schedule.nextDeadline == 1_000_000 + 100 * 20_000_000)
        #expect(skipped == 0)
    }

    @Test("a short stall is caught up frame by frame; a long one skips all but the last five")
    func catchUp() {
        var schedule = PacingSchedule(start: 0, period: 20_000_000)
        var skipped: UInt64 = 0
        var frames: [UInt64] = []
        while let frame = schedule.take(now: 60_000_000, skipped: &skipped) {
            frames.append(frame.index)
        }
        #expect(frames == [0, 1, 2, 3])
        frames = []
        while let frame = schedule.take(now: 1_000_000_000, skipped: &skipped) {
            frames.append(frame.index)
        }
        // Due at 1 s: frames 4...50; 46 behind, 5 caught up plus the current one.
        #expect(frames == [45, 46, 47, 48, 49, 50])
        #expect(skipped == 41)
    }

    @Test("impairments drop and delay about the configured shares, deterministically")
    func impairmentShares() {
        let impairment = Impairment(lossPercent: 10, jitterMilliseconds: 5, reorderPercent: 20, seed: 1)
        var generator = SplitMix64(seed: impairment.seed)
        var drops = 0
        var reorders = 0
        var maximumDelay: UInt64 = 0
        for _ in 0..<10_000 {
            switch impairment.decide(framePeriod: 20_000_000, using: &generator) {
            case .drop: drops += 1
            case .delay(let delay):
                maximumDelay = max(maximumDelay, delay)
                if delay >= 30_000_000 { reorders += 1 }
            case .send: break
            }
        }
        #expect((900...1100).contains(drops))
        #expect((1600...2000).contains(reorders))
        #expect(maximumDelay <= 35_000_000)
        #expect(Impairment.none.decide(framePeriod: 20_000_000, using: &generator) == .send)
    }

    @Test("the timer heap pops in deadline order")
    func heap() {
        var heap = TimerHeap()
        var generator = SplitMix64(seed: 3)
        var deadlines: [UInt64] = []
        for slot in 0..<500 {
            let deadline = generator.next() % 1_000_000
            deadlines.append(deadline)
            heap.push(TimerHeap.Entry(deadline: deadline, slot: slot, generation: 0))
        }
        var popped: [UInt64] = []
        while let entry = heap.pop() {
            popped.append(entry.deadline)
        }
        #expect(popped == deadlines.sorted())
    }
}
