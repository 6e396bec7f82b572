import Foundation
import Testing

@testable import RTCAudio

@Suite("Opus over libopus")
struct OpusTests {
    /// 20 ms of a 440 Hz sine at 48 kHz, mono, at about -6 dBFS.
    static func tone(frequency: Double = 440, frames: Int = 1, amplitude: Double = 16_000) -> [Int16] {
        let count = Opus.samplesPer20ms * frames
        return (0..<count).map { index in
            let phase = 2 * Double.pi * frequency * Double(index) / Double(Opus.sampleRate)
            return Int16(amplitude * sin(phase))
        }
    }

    @Test("libopus reports its version")
    func version() {
        #expect(Opus.version.hasPrefix("libopus"))
    }

    @Test("a tone survives encode and decode with its energy")
    func roundTrip() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        var decodedEnergy = 0.0
        var inputEnergy = 0.0
        var output = [Int16](repeating: 0, count: 5760)
        // A few frames, so that the codec's lookahead has passed.
        for frame in 0..<10 {
            let pcm = Self.tone(frames: 1)
            let packet = try encoder.encode(pcm)
            #expect(packet.count > 10 && packet.count < 400)
            #expect(try Opus.sampleCount(ofPacket: packet.span) == 960)
            var span = output.mutableSpan
            let samples = try decoder.decode(packet.span, into: &span)
            #expect(samples == 960)
            if frame >= 5 {
                decodedEnergy += output[0..<samples].reduce(0) { $0 + Double($1) * Double($1) }
                inputEnergy += pcm.reduce(0) { $0 + Double($1) * Double($1) }
            }
        }
        let ratio = decodedEnergy / inputEnergy
        #expect(ratio > 0.5 && ratio < 1.5, "decoded/input energy \(ratio)")
    }

    @Test("malformed packets give OPUS_INVALID_PACKET, empty packets conceal 20 ms")
    func untrustedPackets() throws {
        let decoder = try OpusDecoder()
        var output = [Int16](repeating: 0, count: 5760)
        var span = output.mutableSpan
        // TOC code 3 (arbitrary frame count) with a frame count byte of 0 breaks RFC 6716 rule R5.
        let error = #expect(throws: OpusError.self) {
            _ = try decoder.decode([0x03, 0x00].span, into: &span)
        }
        #expect(error?.code == .invalidPacket)
        #expect(try decoder.decode([UInt8]().span, into: &span) == 960)
        #expect(throws: OpusError.self) { _ = try Opus.sampleCount(ofPacket: [UInt8]().span) }
    }

    @Test("settings libopus refuses are errors, not traps")
    func badSettings() {
        #expect(throws: OpusError.self) { _ = try OpusEncoder(configuration: .init(channels: 3)) }
        #expect(throws: OpusError.self) { _ = try OpusEncoder(configuration: .init(complexity: 11)) }
        #expect(throws: OpusError.self) { _ = try OpusDecoder(channels: 0) }
        #expect(throws: OpusError.self) { _ = try OpusEncoder().encode([Int16](repeating: 0, count: 100)) }
    }

    @Test("DTX makes silence tiny; the lookahead is the Ogg pre-skip")
    func dtxAndLookahead() throws {
        let encoder = try OpusEncoder(configuration: .init(dtx: true))
        #expect(encoder.lookahead > 0 && encoder.lookahead < 960)
        let silence = [Int16](repeating: 0, count: 960)
        var sizes: [Int] = []
        for _ in 0..<30 { sizes.append(try encoder.encode(silence).count) }
        #expect(sizes.suffix(10).allSatisfy { $0 <= 3 }, "sizes \(sizes)")
    }

    @Test("error texts are libopus's own, for every status")
    func errorTexts() {
        for status in Int32(-8)...0 {
            #expect("\(OpusError.text(for: status))" == OpusError.libraryText(for: status), "status \(status)")
        }
    }
}
