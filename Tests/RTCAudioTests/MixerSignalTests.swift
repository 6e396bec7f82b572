import Foundation
import RTCAudio
import RTCWire
import Testing

/// Signals and measurements shared by the jitter, level, limiter and mixer tests.
enum MixSignal {
    static let frame = Opus.samplesPer20ms

    /// Samples `start..<start+count` of a sine at `frequency` Hz.
    static func sine(frequency: Double, amplitude: Double, start: Int = 0, count: Int = frame) -> [Int16] {
        (start..<(start + count)).map { index in
            let phase = 2 * Double.pi * frequency * Double(index) / Double(Opus.sampleRate)
            return Int16(clamping: Int((amplitude * sin(phase)).rounded()))
        }
    }

    /// The amplitude of the component at `frequency` (Goertzel), scaled so that a sine of
    /// amplitude A measures about A.
    static func amplitude(of samples: ArraySlice<Int16>, at frequency: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(Opus.sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return 2 * sqrt(max(power, 0)) / Double(samples.count)
    }

    static func amplitude(of samples: [Int16], at frequency: Double) -> Double {
        self.amplitude(of: samples[...], at: frequency)
    }

    /// The RFC 6464 level a sender would put on this frame.
    static func level(of pcm: [Int16]) -> RTPAudioLevel {
        RTPAudioLevel(level: AudioLevel.level(of: pcm.span), voiceActivity: true)
    }
}

/// A simulated sender: a tone (or silence) encoded frame by frame with real libopus, with RTP
/// sequence numbers and timestamps that advance (and wrap) like a real stream's.
final class ToneSender {
    struct Packet {
        var payload: [UInt8]
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var level: RTPAudioLevel
        var pcm: [Int16]
    }

    let encoder: OpusEncoder
    var frequency: Double
    var amplitude: Double
    var sequenceNumber: UInt16
    var timestamp: UInt32
    private var sampleIndex = 0

    init(
        frequency: Double,
        amplitude: Double,
        sequenceNumber: UInt16 = 1000,
        timestamp: UInt32 = 123_456,
        configuration: OpusEncoder.Configuration = .init()
    ) throws {
        self.encoder = try OpusEncoder(configuration: configuration)
        self.frequency = frequency
        self.amplitude = amplitude
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
    }

    /// The next 20 ms packet.
    func next() throws -> Packet {
        let pcm =
            self.amplitude == 0
            ? [Int16](repeating: 0, count: MixSignal.frame)
            : MixSignal.sine(frequency: self.frequency, amplitude: self.amplitude, start: self.sampleIndex)
        self.sampleIndex += MixSignal.frame
        let packet = Packet(
            payload: try self.encoder.encode(pcm),
            sequenceNumber: self.sequenceNumber,
            timestamp: self.timestamp,
            level: MixSignal.level(of: pcm),
            pcm: pcm
        )
        self.sequenceNumber &+= 1
        self.timestamp &+= UInt32(MixSignal.frame)
        return packet
    }

    /// The next `count` packets.
    func packets(_ count: Int) throws -> [Packet] {
        try (0..<count).map { _ in try self.next() }
    }

    /// Skips `frames` frames of time without sending (a DTX pause): the timestamp jumps, the
    /// sequence number does not.
    func pause(frames: Int) {
        self.sampleIndex += frames * MixSignal.frame
        self.timestamp &+= UInt32(frames * MixSignal.frame)
    }
}

@Suite("Mixer test signals")
struct MixerSignalTests {
    @Test("Goertzel finds a tone's amplitude and not an absent one")
    func goertzel() {
        let tone = MixSignal.sine(frequency: 1000, amplitude: 8000, count: 9600)
        #expect(abs(MixSignal.amplitude(of: tone, at: 1000) - 8000) < 80)
        #expect(MixSignal.amplitude(of: tone, at: 700) < 80)
        let silence = [Int16](repeating: 0, count: 9600)
        #expect(MixSignal.amplitude(of: silence, at: 1000) == 0)
    }

    @Test("a sender's packets decode back to its tone")
    func senderRoundTrip() throws {
        let sender = try ToneSender(frequency: 700, amplitude: 8000)
        let decoder = try OpusDecoder()
        var output: [Int16] = []
        var frame = [Int16](repeating: 0, count: MixSignal.frame)
        for packet in try sender.packets(30) {
            var span = frame.mutableSpan
            _ = try decoder.decode(packet.payload.span, into: &span)
            output += frame
        }
        let tail = output[(10 * MixSignal.frame)...]
        #expect(MixSignal.amplitude(of: tail, at: 700) > 6000)
        #expect(MixSignal.amplitude(of: tail, at: 1300) < 300)
    }
}
