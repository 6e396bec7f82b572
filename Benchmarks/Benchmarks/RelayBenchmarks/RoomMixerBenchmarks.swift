import Benchmark
import Glibc
import RTCAudio
import RTCWire

/// The mixer alone (RTCAudio's `RoomMixer`, no SRTP, no sockets): one 20 ms tick per iteration
/// for rooms of 10, 100 and 1000 participants with 3 talkers, and of 10 and 50 participants all
/// talking at distinct levels. Every participant sends a packet every tick, as a browser without
/// DTX does: talkers a libopus-encoded tone with its RFC 6464 level, the others an encoded
/// silence frame with level 127. A tick is what the relay's worker runs every 20 ms: every
/// packet into its jitter buffer, `tick()` (levels, speaker selection, decodes, limiter,
/// N + 1 encodes), then every participant's stream and payload looked up as the relay does when
/// it packetizes.
///
/// `Thread CPU per tick` (ns, `CLOCK_THREAD_CPUTIME_ID` around the tick: `cpuTotal` only counts
/// in 10 ms steps) is the CPU a tick costs its worker; 20 ms divided by it is how many such rooms
/// one core mixes in real time. `mallocCountTotal` is the steady-state allocation count per tick.
let roomMixerBenchmarks: @Sendable () -> Void = {
    let rooms: [(participants: Int, talkers: Int)] = [(10, 3), (100, 3), (1000, 3), (10, 10), (50, 50)]
    for room in rooms {
        let name =
            room.talkers == room.participants
            ? "Audio.mixer.room\(room.participants).allTalking.tick"
            : "Audio.mixer.room\(room.participants).talkers\(room.talkers).tick"
        Benchmark(
            name,
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal, threadCPUPerTick],
                scalingFactor: .one,
                maxDuration: .seconds(2),
                maxIterations: 1000
            )
        ) { (benchmark: Benchmark, fixture: RoomMixerFixture) in
            let start = threadCPUNanoseconds()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(fixture.tick())
            }
            benchmark.stopMeasurement()
            let ticks = max(benchmark.scaledIterations.count, 1)
            benchmark.measurement(threadCPUPerTick, (threadCPUNanoseconds() - start) / ticks)
            precondition(
                fixture.lastEncodes == min(room.talkers, 3) + 1,
                "a tick encoded \(fixture.lastEncodes) streams"
            )
        } setup: {
            do {
                return try RoomMixerFixture(participants: room.participants, talkers: room.talkers)
            } catch {
                fatalError("the mixer fixture did not set up: \(error)")
            }
        }
    }
}

/// CPU the calling thread has used (ns).
func threadCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

let threadCPUPerTick = BenchmarkMetric.custom("Thread CPU per tick (ns)", useScalingFactor: false)

/// A room's mixer with its participants and one second of each one's packets, warmed up.
final class RoomMixerFixture {
    let mixer: RoomMixer
    private let participants: [RoomMixer.Participant]
    /// Each participant's 50 frames (one second), replayed with advancing sequence numbers.
    private let payloads: [[[UInt8]]]
    private let levels: [[RTPAudioLevel]]
    private var sequence: UInt16 = 0
    private var frame = 0
    private var arrival: UInt64 = 1_000_000_000
    private(set) var lastEncodes = 0

    init(participants count: Int, talkers: Int) throws {
        self.mixer = try RoomMixer(configuration: RoomMixer.Configuration(maximumParticipants: max(count, 1)))
        var participants: [RoomMixer.Participant] = []
        for _ in 0..<count {
            guard let participant = try self.mixer.addParticipant() else {
                fatalError("the mixer refused participant \(participants.count + 1) of \(count)")
            }
            participants.append(participant)
        }
        self.participants = participants

        // Talker k's tone: its own frequency, amplitudes spread so that levels differ.
        var talkerFrames: [[[UInt8]]] = []
        var talkerLevels: [[RTPAudioLevel]] = []
        for talker in 0..<talkers {
            let encoder = try OpusEncoder()
            let frequency = 300.0 + 97.0 * Double(talker)
            let amplitude = 12_000.0 / (1.0 + 0.15 * Double(talker))
            var frames: [[UInt8]] = []
            var levels: [RTPAudioLevel] = []
            for index in 0..<50 {
                var pcm: [Int16] = []
                pcm.reserveCapacity(960)
                for sample in 0..<960 {
                    let phase = 2 * Double.pi * frequency * Double(index * 960 + sample) / 48_000
                    pcm.append(Int16(amplitude * MixFixture.sine(phase)))
                }
                frames.append(try encoder.encode(pcm))
                levels.append(RTPAudioLevel(level: AudioLevel.level(of: pcm.span), voiceActivity: true))
            }
            talkerFrames.append(frames)
            talkerLevels.append(levels)
        }
        // The quiet ones all send the same encoded silence (as a pre-encoded load would).
        let silenceEncoder = try OpusEncoder()
        var silence: [[UInt8]] = []
        for _ in 0..<50 {
            silence.append(try silenceEncoder.encode([Int16](repeating: 0, count: 960)))
        }
        let quietLevels = [RTPAudioLevel](
            repeating: RTPAudioLevel(level: AudioLevel.silence, voiceActivity: false),
            count: 50
        )
        var payloads: [[[UInt8]]] = []
        var levels: [[RTPAudioLevel]] = []
        for index in 0..<count {
            if index < talkers {
                payloads.append(talkerFrames[index])
                levels.append(talkerLevels[index])
            } else {
                payloads.append(silence)
                levels.append(quietLevels)
            }
        }
        self.payloads = payloads
        self.levels = levels

        // Warm up: jitter buffers at their depth, speakers chosen, encoders past their start.
        for _ in 0..<150 {
            self.tick()
        }
    }

    /// One 20 ms step: every participant's packet in, the mixer's tick, every stream looked up.
    /// Returns a checksum of the payload lengths (so that nothing is optimised away).
    @discardableResult
    func tick() -> Int {
        self.sequence &+= 1
        let timestamp = UInt32(self.sequence) &* 960
        self.arrival &+= 20_000_000
        for index in 0..<self.participants.count {
            // A local reference (a retain, no copy): a span must not outlive its array.
            let payload = self.payloads[index][self.frame]
            self.mixer.receive(
                self.participants[index],
                payload: payload.span,
                sequenceNumber: self.sequence,
                timestamp: timestamp,
                arrivalNanoseconds: self.arrival,
                audioLevel: self.levels[index][self.frame]
            )
        }
        self.frame = (self.frame + 1) % 50
        self.mixer.tick()
        self.lastEncodes = self.mixer.statistics.lastTickEncodes
        var total = 0
        for participant in self.participants {
            if let stream = self.mixer.stream(for: participant) {
                total &+= self.mixer.withPayload(of: stream) { $0.count }
            }
        }
        self.mixer.drainSpeakerEvents { blackHole($0) }
        return total
    }
}
