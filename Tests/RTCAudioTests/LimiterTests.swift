import Foundation
import RTCAudio
import Testing

@Suite("Limiter")
struct LimiterTests {
    static let sampleRate = Double(Opus.sampleRate)

    /// Runs `input` through a limiter in 20 ms frames, as the mixer does.
    static func limit(_ input: [Int32], configuration: Limiter.Configuration = .init()) -> [Int16] {
        var limiter = Limiter(configuration: configuration)
        var output = [Int16](repeating: 0, count: input.count)
        var frame = [Int16](repeating: 0, count: MixSignal.frame)
        for start in stride(from: 0, to: input.count, by: MixSignal.frame) {
            let end = min(start + MixSignal.frame, input.count)
            let slice = Array(input[start..<end])
            var span = frame.mutableSpan
            limiter.process(slice.span, into: &span)
            output.replaceSubrange(start..<end, with: frame[0..<(end - start)])
        }
        return output
    }

    static func maximumStep<T: BinaryInteger>(_ values: ArraySlice<T>) -> Int {
        var step = 0
        var previous = Int(values.first ?? 0)
        for value in values.dropFirst() {
            step = max(step, abs(Int(value) - previous))
            previous = Int(value)
        }
        return step
    }

    static func longestRun(_ values: [Int16], where predicate: (Int16) -> Bool) -> Int {
        var longest = 0
        var run = 0
        for value in values {
            run = predicate(value) ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// 32 full-scale sines at distinct, unrelated frequencies (211 Hz + 97 Hz steps), starting
    /// together from phase 0: the loudest onset 32 inputs can make.
    static let frequencies = (0..<32).map { 211 + 97 * Double($0) }

    static func thirtyTwoFullScaleSines(seconds: Double) -> (sum: [Int32], inputs: [[Int16]]) {
        let count = Int(seconds * Self.sampleRate)
        let inputs = Self.frequencies.map { MixSignal.sine(frequency: $0, amplitude: 32_767, count: count) }
        var sum = [Int32](repeating: 0, count: count)
        for input in inputs {
            for index in 0..<count {
                sum[index] += Int32(input[index])
            }
        }
        return (sum, inputs)
    }

    @Test("32 full-scale inputs: no wrap, nothing at full scale, no jumps, every input still heard")
    func thirtyTwoFullScaleInputs() {
        let (sum, inputs) = Self.thirtyTwoFullScaleSines(seconds: 1)
        let output = Self.limit(sum)

        // No wrap: wherever the sum is clearly away from zero, the output has its sign.
        for index in sum.indices where abs(sum[index]) > 2000 {
            #expect(
                (sum[index] > 0) == (output[index] > 0),
                "sign flipped at \(index): sum \(sum[index]) output \(output[index])"
            )
            if (sum[index] > 0) != (output[index] > 0) { break }
        }
        // No hard clipping: no sample reaches full scale, and no run sits near it.
        #expect(output.allSatisfy { $0 > -32_767 && $0 < 32_767 })
        let pinned = Self.longestRun(output) { abs(Int($0)) >= 32_440 }
        #expect(pinned <= 16, "longest run above 99 % of full scale: \(pinned) samples")
        let pinnedAfterOnset = Self.longestRun(Array(output[960...])) { abs(Int($0)) >= 32_440 }
        #expect(pinnedAfterOnset == 0)

        // No crackle: never a larger jump than the limiter's input made, and once the 1 ms attack
        // has settled, never a larger jump than one full-scale input makes on its own.
        let inputStep = Self.maximumStep(sum[...])
        let singleInputStep = inputs.map { Self.maximumStep($0[...]) }.max() ?? 0
        let outputStep = Self.maximumStep(output[...])
        let settledStep = Self.maximumStep(output[960...])
        #expect(outputStep <= inputStep)
        #expect(
            settledStep <= singleInputStep + singleInputStep / 20,
            "settled step \(settledStep), one input's own step \(singleInputStep)"
        )

        // Still loud, and every one of the 32 inputs is still there at a similar level.
        let settled = output[24_000...]
        #expect((settled.map { abs(Int($0)) }.max() ?? 0) > 25_000)
        let amplitudes = Self.frequencies.map { MixSignal.amplitude(of: settled, at: $0) }
        let median = amplitudes.sorted()[16]
        #expect(median > 1000)
        #expect(amplitudes.allSatisfy { $0 > median / 2 && $0 < median * 2 }, "\(amplitudes)")
    }

    @Test("audio below the threshold passes bit-exactly")
    func quietPassesUnchanged() {
        let a = MixSignal.sine(frequency: 440, amplitude: 8000, count: 9600)
        let b = MixSignal.sine(frequency: 1250, amplitude: 8000, count: 9600)
        let sum = zip(a, b).map { Int32($0) + Int32($1) }
        let output = Self.limit(sum)
        #expect(output.map { Int32($0) } == sum)
    }

    @Test("the gain falls for a loud burst and recovers afterwards")
    func gainRecovers() {
        var limiter = Limiter()
        let loud = MixSignal.sine(frequency: 440, amplitude: 32_767, count: 960).map { Int32($0) * 8 }
        let quiet = MixSignal.sine(frequency: 440, amplitude: 4000, count: 960).map { Int32($0) }
        var frame = [Int16](repeating: 0, count: 960)
        for _ in 0..<25 {
            var span = frame.mutableSpan
            limiter.process(loud.span, into: &span)
        }
        #expect(limiter.gain < 0.2)
        #expect(abs(Int(frame.max() ?? 0) - limiter.configuration.threshold) < 400)
        for _ in 0..<100 {
            var span = frame.mutableSpan
            limiter.process(quiet.span, into: &span)
        }
        #expect(limiter.gain > 0.99)
        #expect(abs(Int(frame.max() ?? 0) - 4000) < 60)
    }

    @Test("extreme sums (32 x Int16.min, DC) neither trap nor wrap")
    func extremeSums() {
        let sum = [Int32](repeating: 32 * Int32(Int16.min), count: 4800)
        let output = Self.limit(sum)
        #expect(output.allSatisfy { $0 < 0 && $0 > -32_767 })
        // A constant input settles to a constant output: the gain does not pump.
        #expect(Self.maximumStep(output[960...]) < 200)
        let alternating = (0..<4800).map { $0 % 2 == 0 ? Int32.max / 2 : Int32.min / 2 }
        let limited = Self.limit(alternating)
        #expect(limited.allSatisfy { $0 > -32_767 && $0 < 32_767 })
    }
}
