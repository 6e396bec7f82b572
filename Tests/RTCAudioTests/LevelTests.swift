import Foundation
import RTCAudio
import Testing

@Suite("Level measurement")
struct LevelMeasurementTests {
    @Test("levels in -dBov: full-scale square 0, full-scale sine 3, -20 dB sine 23, silence 127")
    func knownLevels() {
        let square = (0..<960).map { $0 % 48 < 24 ? Int16.max : Int16.min }
        #expect(AudioLevel.level(of: square.span) == 0)
        let sine = MixSignal.sine(frequency: 1000, amplitude: 32_767)
        #expect(AudioLevel.level(of: sine.span) == 3)
        let quieter = MixSignal.sine(frequency: 1000, amplitude: 3277)
        #expect(AudioLevel.level(of: quieter.span) == 23)
        #expect(AudioLevel.level(of: [Int16](repeating: 0, count: 960).span) == 127)
        #expect(AudioLevel.level(of: [Int16]().span) == 127)
        // One LSB of noise is about -94 dBov; the scale stops at 127.
        #expect(AudioLevel.level(of: [Int16](repeating: 1, count: 960).span) == 90)
    }

    @Test("the logarithm is accurate to a hundredth of a dB across the range")
    func logarithmAccuracy() {
        for exponent in stride(from: -3.0, through: 9.0, by: 0.173) {
            let value = pow(10, exponent)
            let level = AudioLevel.level(meanSquare: value)
            let exact = 10 * log10(32_768.0 * 32_768.0) - 10 * exponent
            #expect(Double(level) == min(max(exact.rounded(), 0), 127) || abs(exact - exact.rounded()) > 0.49)
        }
    }

    @Test("smoothing rises fast and falls slowly")
    func smoothing() {
        var smoother = AudioLevelSmoother()
        #expect(smoother.level == -127)
        smoother.update(level: 20)
        smoother.update(level: 20)
        #expect(smoother.level > -50)
        for _ in 0..<10 { smoother.update(level: 20) }
        #expect(abs(smoother.level + 20) < 0.1)
        for _ in 0..<10 { smoother.update(level: 127) }
        #expect(smoother.level > -45, "after 200 ms of silence a talker is still loud: \(smoother.level)")
        for _ in 0..<40 { smoother.update(level: 127) }
        #expect(smoother.level < -60)
        smoother.reset()
        #expect(smoother.level == -127)
    }
}

@Suite("Level speaker selection")
struct LevelSpeakerSelectionTests {
    static func run(_ selector: inout SpeakerSelector, _ levels: [Float], ticks: Int = 1) {
        for _ in 0..<ticks {
            selector.update(levels: levels.span)
        }
    }

    static func speakers(_ selector: SpeakerSelector) -> Set<Int> {
        Set((0..<selector.configuration.speakerCount).compactMap { selector.speaker(inSlot: $0) })
    }

    @Test("the N loudest above the activation level become speakers")
    func topN() {
        var selector = SpeakerSelector(capacity: 10)
        var levels = [Float](repeating: -127, count: 10)
        for index in 0..<10 { levels[index] = -40 + Float(index) }  // 9 is loudest
        levels[9] = -55  // below activation
        Self.run(&selector, levels)
        #expect(Self.speakers(selector) == [6, 7, 8])
        #expect(selector.changes.filter(\.started).count == 3)
        #expect(selector.speakerCount == 3)
    }

    @Test("equal levels never flap; fluctuations within the margin never switch")
    func noFlapping() {
        var selector = SpeakerSelector(capacity: 4)
        Self.run(&selector, [-20, -20, -20, -20])
        #expect(Self.speakers(selector) == [0, 1, 2])
        selector.removeAllChanges()
        // 10 s of levels wobbling by up to 2 dB each way: the outsider is sometimes the loudest, by
        // up to 4 dB, less than the 6 dB margin.
        for tick in 0..<500 {
            let wobble = Float(tick % 9) - 4
            Self.run(&selector, [-20 - abs(wobble) / 2, -20, -20 + wobble / 2, -20 + abs(wobble) / 2])
        }
        #expect(selector.changes.isEmpty)
        #expect(Self.speakers(selector) == [0, 1, 2])
    }

    @Test("a clearly louder stream replaces the quietest speaker, keeping the other slots")
    func clearSwitch() {
        var selector = SpeakerSelector(capacity: 4)
        Self.run(&selector, [-20, -25, -30, -40], ticks: 20)
        #expect(Self.speakers(selector) == [0, 1, 2])
        let slotOfZero = selector.slot(of: 0)
        let slotOfTwo = selector.slot(of: 2)
        selector.removeAllChanges()
        Self.run(&selector, [-20, -25, -30, -10])
        #expect(Self.speakers(selector) == [0, 1, 3])
        #expect(selector.slot(of: 0) == slotOfZero)
        #expect(selector.slot(of: 3) == slotOfTwo)
        #expect(
            selector.changes == [
                .init(index: 2, slot: slotOfTwo!, started: false), .init(index: 3, slot: slotOfTwo!, started: true),
            ]
        )
    }

    @Test("a new speaker is held for the minimum time before it can be replaced")
    func holdTime() {
        var selector = SpeakerSelector(configuration: .init(speakerCount: 1, minimumHoldTicks: 10), capacity: 3)
        Self.run(&selector, [-30, -127, -127])
        #expect(selector.speaker(inSlot: 0) == 0)
        Self.run(&selector, [-30, -10, -127], ticks: 8)
        #expect(selector.speaker(inSlot: 0) == 0)
        Self.run(&selector, [-30, -10, -127], ticks: 2)
        #expect(selector.speaker(inSlot: 0) == 1)
    }

    @Test("speakers stop below the deactivation level, not between it and activation")
    func deactivation() {
        var selector = SpeakerSelector(capacity: 2)
        Self.run(&selector, [-30, -127], ticks: 20)
        #expect(selector.speaker(inSlot: 0) == 0)
        Self.run(&selector, [-55, -127], ticks: 20)
        #expect(selector.slot(of: 0) != nil)
        selector.removeAllChanges()
        Self.run(&selector, [-65, -127])
        #expect(selector.slot(of: 0) == nil)
        #expect(selector.changes == [.init(index: 0, slot: 0, started: false)])
        #expect(selector.speakerCount == 0)
    }

    @Test("a speaker that leaves is stopped at once; bad indices and short spans are harmless")
    func removal() {
        var selector = SpeakerSelector(capacity: 5)
        Self.run(&selector, [-20, -20, -127, -127, -127])
        selector.removeAllChanges()
        selector.remove(1)
        selector.remove(4)
        selector.remove(-3)
        selector.remove(99)
        #expect(selector.changes == [.init(index: 1, slot: 1, started: false)])
        #expect(selector.slot(of: 99) == nil)
        #expect(selector.speaker(inSlot: 7) == nil)
        // A span shorter than the capacity: the missing participants count as silent.
        Self.run(&selector, [-20], ticks: 30)
        #expect(Self.speakers(selector) == [0])
    }

    @Test("unread changes are bounded")
    func boundedChanges() {
        var selector = SpeakerSelector(configuration: .init(speakerCount: 1, minimumHoldTicks: 0), capacity: 2)
        for tick in 0..<1000 {
            Self.run(&selector, tick % 2 == 0 ? [-10, -127] : [-127, -10])
        }
        #expect(selector.changes.count == 4 + 64)
        #expect(selector.droppedChanges > 0)
    }
}
