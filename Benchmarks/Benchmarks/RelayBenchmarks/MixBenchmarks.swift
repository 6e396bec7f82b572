import Benchmark
import MediaRelay
import RTCAudio
import RTCTestSupport

/// A mixed room's 20 ms tick on the relay, without sockets: a `RelayCore` with 10 clients
/// connected in memory (`RelayRoomHarness`, AEAD_AES_128_GCM), 3 of them talking (libopus-encoded
/// tones with RFC 6464 levels), the room in mixed mode with 3 speakers. Each measured iteration
/// hands the core the 3 talkers' protected packets and runs one tick: 3 unprotects, 3 decodes,
/// 4 encodes (3 mix-minus, 1 full mix), 10 RTP packets written and protected into the send batch.
/// Each iteration is one tick. Parley's code allocates nothing when `mallocCountTotal` equals
/// libsrtp's own: 3 unprotects + 10 protects, 5 each with GCM on Debian's NSS build, so 65, the
/// same every tick (the threshold). (`cpuTotal` is not collected: its sampling allocates, 16 times
/// per iteration here, and it counts in 10 ms steps; `Thread CPU per tick` replaces it.) The mixer alone is measured without SRTP in
/// RoomMixerBenchmarks.swift, for rooms up to 1000.
let mixBenchmarks: @Sendable () -> Void = {
    Benchmark(
        "Relay.mix.GCM.room10.speakers3.tick",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, threadCPUPerTick],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            maxIterations: 500
        )
    ) { benchmark in
        let fixture = MixFixture.shared
        // Outside the measurement: the talkers' packets, protected.
        do {
            try fixture.prepare(ticks: benchmark.scaledIterations.count)
        } catch {
            fatalError("preparing packets failed: \(error)")
        }
        let start = threadCPUNanoseconds()
        benchmark.startMeasurement()
        var produced = 0
        for tick in benchmark.scaledIterations {
            for talker in 0..<MixFixture.talkerCount {
                fixture.harness.feedPrepared(tick * MixFixture.talkerCount + talker)
            }
            produced = fixture.harness.advanceWithoutDelivery(milliseconds: 20)
            blackHole(produced)
        }
        benchmark.stopMeasurement()
        let ticks = max(benchmark.scaledIterations.count, 1)
        benchmark.measurement(threadCPUPerTick, (threadCPUNanoseconds() - start) / ticks)
        precondition(produced == MixFixture.clientCount, "the last tick reached \(produced) clients, not 10")
    }
}

/// The room, connected and warmed up once for the whole run (setup, not measured).
final class MixFixture {
    static let clientCount = 10
    static let talkerCount = 3
    static let room = RelayRoomID(rawValue: 1)

    // The benchmark runner calls one benchmark at a time on one thread: nothing here is shared
    // between threads.
    nonisolated(unsafe) static let shared: MixFixture = {
        do {
            return try MixFixture()
        } catch {
            fatalError("the mixing fixture did not set up: \(error)")
        }
    }()

    let harness: RelayRoomHarness
    /// One second of each talker's tone, encoded: replayed with fresh sequence numbers.
    private let payloads: [[[UInt8]]]
    private let levels: [[UInt8]]
    private var sequence: UInt16 = 0
    private var frame = 0

    private init() throws {
        self.harness = try RelayRoomHarness(clientCount: Self.clientCount)
        var payloads: [[[UInt8]]] = []
        var levels: [[UInt8]] = []
        for talker in 0..<Self.talkerCount {
            let encoder = try OpusEncoder()
            let frequency = 400.0 + 300.0 * Double(talker)
            var frames: [[UInt8]] = []
            var frameLevels: [UInt8] = []
            for index in 0..<50 {
                let pcm = (0..<960).map { sample in
                    let phase = 2 * Double.pi * frequency * Double(index * 960 + sample) / 48_000
                    return Int16(6000 * Self.sine(phase))
                }
                frames.append(try encoder.encode(pcm))
                frameLevels.append(AudioLevel.level(of: pcm.span))
            }
            payloads.append(frames)
            levels.append(frameLevels)
        }
        self.payloads = payloads
        self.levels = levels
        self.harness.apply(
            .configureRoom(
                Self.room,
                RelayRoomAudioPlan(
                    mode: .mixed,
                    speakers: 3,
                    participants: self.harness.clients.enumerated().map { index, client in
                        RelayRoomAudioPlan.Participant(
                            participant: client.participant,
                            inbound: index < Self.talkerCount
                                ? .init(ssrc: Self.ssrc(index), payloadType: 111, audioLevelExtensionID: 1) : nil,
                            mix: .init(ssrc: 0x2000 + UInt32(index), payloadType: 111, audioLevelExtensionID: 1)
                        )
                    }
                )
            )
        )
        // Warm up: speakers selected, jitter buffers at their depth, encoders past their start.
        try self.prepare(ticks: 100)
        for tick in 0..<100 {
            for talker in 0..<Self.talkerCount {
                self.harness.feedPrepared(tick * Self.talkerCount + talker)
            }
            self.harness.advanceWithoutDelivery(milliseconds: 20)
        }
    }

    static func ssrc(_ talker: Int) -> UInt32 {
        0x1000 + UInt32(talker)
    }

    /// sin(x) from a Taylor series after reduction to [-pi, pi] (no Foundation in the benchmark).
    static func sine(_ x: Double) -> Double {
        var value = x.truncatingRemainder(dividingBy: 2 * Double.pi)
        if value > Double.pi { value -= 2 * Double.pi }
        if value < -Double.pi { value += 2 * Double.pi }
        var term = value
        var sum = value
        for power in stride(from: 3, through: 21, by: 2) {
            term *= -value * value / Double((power - 1) * power)
            sum += term
        }
        return sum
    }

    /// Lays out `ticks` ticks of the talkers' packets (RTP with a one-byte audio-level element),
    /// protected, in tick order.
    func prepare(ticks: Int) throws {
        var packets: [(client: RelayTestClient, bytes: [UInt8])] = []
        packets.reserveCapacity(ticks * Self.talkerCount)
        for _ in 0..<ticks {
            self.sequence &+= 1
            let timestamp = UInt32(self.sequence) &* 960
            for talker in 0..<Self.talkerCount {
                let ssrc = Self.ssrc(talker)
                var bytes: [UInt8] = [
                    0x90, 111, UInt8(self.sequence >> 8), UInt8(truncatingIfNeeded: self.sequence),
                    UInt8(timestamp >> 24), UInt8(truncatingIfNeeded: timestamp >> 16),
                    UInt8(truncatingIfNeeded: timestamp >> 8), UInt8(truncatingIfNeeded: timestamp),
                    UInt8(ssrc >> 24), UInt8(truncatingIfNeeded: ssrc >> 16),
                    UInt8(truncatingIfNeeded: ssrc >> 8), UInt8(truncatingIfNeeded: ssrc),
                    0xBE, 0xDE, 0, 1, 0x10, 0x80 | self.levels[talker][self.frame], 0, 0,
                ]
                bytes += self.payloads[talker][self.frame]
                packets.append((self.harness.clients[talker], bytes))
            }
            self.frame = (self.frame + 1) % 50
        }
        try self.harness.prepare(packets)
    }
}
