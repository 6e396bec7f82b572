import Foundation
import RTCAudio
import Testing

@testable import LoadGeneratorCore

@Suite("Pre-encoded audio and the mix check")
struct AudioTests {
    @Test("tones and quiet noise are encoded once with their RFC 6464 levels")
    func preencoded() throws {
        let tone = try PreencodedAudio.tone(frequency: 450)
        #expect(tone.payloads.count == 50)
        #expect(tone.voiceActivity)
        // Amplitude 0.1 of full scale: a sine's level is 20 log10(0.1 / sqrt 2) = -23 dBov.
        #expect(tone.levels.allSatisfy { (22...24).contains($0) })
        let quiet = try PreencodedAudio.quiet()
        #expect(!quiet.voiceActivity)
        #expect(quiet.levels.allSatisfy { $0 >= 60 })
    }

    @Test("a decoded mix of two tags shows both and not a third")
    func mixCheck() throws {
        let (a, b, own) = (
            ToneTag.frequency(forTalker: 0), ToneTag.frequency(forTalker: 1), ToneTag.frequency(forTalker: 2)
        )
        #expect([a, b, own] == [300, 450, 600])
        let encoder = try OpusEncoder()
        let check = try MixCheck(ownFrequency: own, otherFrequencies: [a, b])
        for frame in 0..<100 {
            let pcm = (0..<960).map { index -> Int16 in
                let t = Double(frame * 960 + index) / 48_000
                return Int16(3000 * sin(2 * .pi * a * t) + 3000 * sin(2 * .pi * b * t))
            }
            let packet = try encoder.encode(pcm)
            check.add(payload: packet.span)
        }
        let report = check.report
        #expect(report.framesCounted == 75)
        #expect(report.hearsOthers)
        #expect(!report.hearsSelf)
        #expect(report.otherPresence.allSatisfy { $0 > 0.9 })
        #expect(report.ownPresence < 0.05)
    }

    @Test("the Goertzel share is about 1 for a pure tone at its frequency, 1/2 each for two")
    func goertzel() {
        let pcm = (0..<960).map { Int16(10_000 * sin(2 * .pi * 750 * Double($0) / 48_000)) }
        #expect(abs(ToneDetector.share(of: 750, in: pcm) - 1) < 0.02)
        let two = (0..<960).map { index -> Int16 in
            let time = Double(index) / 48_000
            let low: Double = 8000 * sin(2 * Double.pi * 750 * time)
            let high: Double = 8000 * sin(2 * Double.pi * 1200 * time)
            return Int16(low + high)
        }
        #expect(abs(ToneDetector.share(of: 750, in: two) - 0.5) < 0.02)
        #expect(abs(ToneDetector.share(of: 1200, in: two) - 0.5) < 0.02)
        #expect(ToneDetector.share(of: 1200, in: pcm) < 0.01)
        #expect(abs(ToneDetector.level(of: pcm) - (20 * log10(10_000.0 / 32768 / 2.0.squareRoot()))) < 0.1)
    }
}
