import Foundation
import RTCAudio
import RTCWire
import Testing

/// A simulated room: members send pre-encoded 20 ms Opus packets (one second of a tone, or of
/// silence, replayed with advancing sequence numbers and timestamps), the mixer ticks, and each
/// member's client decodes the stream the mixer says it should receive.
final class MixerRoom {
    struct Member {
        var participant: RoomMixer.Participant
        var frequency: Double
        var packets: [ToneSender.Packet]
        var sendsLevels: Bool
        var client: OpusDecoder?
        var received: [Int16] = []
        var streams: [MixedStream?] = []
        var corrupt: ((Int) -> [UInt8]?)?
    }

    let mixer: RoomMixer
    var members: [Member] = []
    var events: [RoomMixer.SpeakerEvent] = []
    var recording: [Int16] = []
    private let recorder: OpusDecoder
    private(set) var ticks = 0
    private var silence: [ToneSender.Packet] = []

    init(_ configuration: RoomMixer.Configuration = .init()) throws {
        self.mixer = try RoomMixer(configuration: configuration)
        self.recorder = try OpusDecoder()
    }

    /// One second (50 packets) of a tone, or of silence for amplitude 0 (shared by silent members).
    static func packets(frequency: Double, amplitude: Double) throws -> [ToneSender.Packet] {
        try ToneSender(frequency: frequency, amplitude: amplitude).packets(50)
    }

    /// Adds a member sending a tone (amplitude 0: silence).
    @discardableResult
    func add(frequency: Double = 0, amplitude: Double = 0, levels: Bool = true, listen: Bool = true) throws -> Int {
        let packets: [ToneSender.Packet]
        if amplitude == 0 {
            if self.silence.isEmpty { self.silence = try Self.packets(frequency: 0, amplitude: 0) }
            packets = self.silence
        } else {
            packets = try Self.packets(frequency: frequency, amplitude: amplitude)
        }
        let participant = try #require(try self.mixer.addParticipant())
        self.members.append(
            Member(
                participant: participant,
                frequency: frequency,
                packets: packets,
                sendsLevels: levels,
                client: listen ? try OpusDecoder() : nil
            )
        )
        return self.members.count - 1
    }

    /// Every member sends its packet for this tick, the mixer ticks, clients decode.
    func step(decode: Bool = true) {
        let tick = self.ticks
        for member in self.members {
            let packet = member.packets[tick % member.packets.count]
            let payload = member.corrupt?(tick) ?? packet.payload
            self.mixer.receive(
                member.participant,
                payload: payload.span,
                sequenceNumber: UInt16(truncatingIfNeeded: 40_000 + tick),
                timestamp: UInt32(truncatingIfNeeded: 7_000_000 + 960 * tick),
                arrivalNanoseconds: UInt64(tick) * 20_000_000 + 1_000_000,
                audioLevel: member.sendsLevels ? packet.level : nil
            )
        }
        self.mixer.tick()
        self.mixer.drainSpeakerEvents { self.events.append($0) }
        if decode {
            var frame = [Int16](repeating: 0, count: MixSignal.frame)
            for index in self.members.indices {
                let stream = self.mixer.stream(for: self.members[index].participant)
                self.members[index].streams.append(stream)
                guard let client = self.members[index].client, let stream else { continue }
                self.mixer.withPayload(of: stream) { payload in
                    var span = frame.mutableSpan
                    _ = try? client.decode(payload, into: &span)
                }
                self.members[index].received += frame
            }
            self.mixer.withPayload(of: .fullMix) { payload in
                var span = frame.mutableSpan
                _ = try? self.recorder.decode(payload, into: &span)
            }
            self.recording += frame
        }
        self.ticks += 1
    }

    func run(_ ticks: Int, decode: Bool = true) {
        for _ in 0..<ticks { self.step(decode: decode) }
    }

    /// Amplitude at `frequency` of what member `index` heard during `ticks`.
    func heard(_ index: Int, at frequency: Double, ticks: Range<Int>) -> Double {
        let samples = self.members[index].received[(ticks.lowerBound * 960)..<(ticks.upperBound * 960)]
        return MixSignal.amplitude(of: samples, at: frequency)
    }

    func recorded(at frequency: Double, ticks: Range<Int>) -> Double {
        MixSignal.amplitude(of: self.recording[(ticks.lowerBound * 960)..<(ticks.upperBound * 960)], at: frequency)
    }

    var speakers: Set<Int> {
        var result = Set<Int>()
        for slot in 0..<self.mixer.speakerSlots {
            if let participant = self.mixer.speaker(inSlot: slot),
                let index = self.members.firstIndex(where: { $0.participant == participant })
            {
                result.insert(index)
            }
        }
        return result
    }
}

@Suite("Mixer frequency-tagged rooms")
struct MixerFrequencyTests {
    static let talkers: [(index: Int, frequency: Double)] = [(2, 500), (5, 900), (7, 1300)]

    static func room(levels: Bool) throws -> MixerRoom {
        let room = try MixerRoom()
        for index in 0..<10 {
            if let talker = Self.talkers.first(where: { $0.index == index }) {
                try room.add(frequency: talker.frequency, amplitude: 8000, levels: levels)
            } else {
                try room.add(levels: levels)
            }
        }
        room.run(60)
        return room
    }

    static func checkMixMinus(_ room: MixerRoom) {
        let window = 30..<60
        #expect(room.speakers == Set(Self.talkers.map(\.index)))
        for talker in Self.talkers {
            if case .mixMinus = room.members[talker.index].streams.last ?? nil {
            } else {
                Issue.record("speaker \(talker.index) does not receive a mix-minus")
            }
            for other in Self.talkers {
                let amplitude = room.heard(talker.index, at: other.frequency, ticks: window)
                if other.index == talker.index {
                    #expect(
                        amplitude < 200,
                        "speaker \(talker.index) hears itself at \(other.frequency) Hz: \(amplitude)"
                    )
                } else {
                    #expect(amplitude > 5000, "speaker \(talker.index) misses \(other.frequency) Hz: \(amplitude)")
                }
            }
        }
        for listener in [0, 1, 3, 9] {
            #expect(room.members[listener].streams.last == .fullMix)
            for talker in Self.talkers {
                let amplitude = room.heard(listener, at: talker.frequency, ticks: window)
                #expect(amplitude > 5000, "listener \(listener) misses \(talker.frequency) Hz: \(amplitude)")
            }
        }
        for talker in Self.talkers {
            #expect(room.recorded(at: talker.frequency, ticks: window) > 5000)
        }
    }

    @Test("speakers hear the others and not themselves; listeners and the recorder hear all (RFC 6464 levels)")
    func withLevels() throws {
        let room = try Self.room(levels: true)
        Self.checkMixMinus(room)
        // Non-speakers with levels are never decoded: 3 decodes per tick.
        #expect(room.mixer.statistics.lastTickDecodes == 3)
        #expect(room.mixer.statistics.lastTickEncodes == 4)
    }

    @Test("the same without levels: every stream decoded to measure its energy")
    func withoutLevels() throws {
        let room = try Self.room(levels: false)
        Self.checkMixMinus(room)
        #expect(room.mixer.statistics.lastTickDecodes == 10)
        #expect(room.mixer.statistics.lastTickEncodes == 4)
    }
}

@Suite("Mixer speaker selection")
struct MixerSelectionTests {
    @Test("with 10 talkers at distinct levels, the mix holds the 3 loudest and nobody else")
    func topThreeOfTen() throws {
        let room = try MixerRoom()
        let frequencies = (0..<10).map { 300 + 200 * Double($0) }
        for index in 0..<10 {
            // Each talker about 1.3 dB louder than the one before.
            try room.add(frequency: frequencies[index], amplitude: 2000 * pow(1.16, Double(index)))
        }
        room.run(50)
        #expect(room.speakers == [7, 8, 9])
        for index in 0..<10 {
            let amplitude = room.recorded(at: frequencies[index], ticks: 25..<50)
            if index >= 7 {
                #expect(amplitude > 3000, "talker \(index) missing: \(amplitude)")
            } else {
                #expect(amplitude < 150, "talker \(index) mixed: \(amplitude)")
            }
        }
        #expect(room.mixer.statistics.lastTickDecodes == 3)
    }

    @Test("equal talkers do not flap; a clearly louder one takes the floor once")
    func hysteresis() throws {
        let room = try MixerRoom()
        for index in 0..<4 {
            try room.add(frequency: 400 + 300 * Double(index), amplitude: 6000)
        }
        try room.add(frequency: 2000, amplitude: 0)
        room.run(200, decode: false)
        #expect(room.events.count == 3)
        #expect(room.events.allSatisfy { $0.started })
        let first = room.speakers
        #expect(first.count == 3)
        // The fifth member starts talking 12 dB louder than the rest.
        room.members[4].packets = try MixerRoom.packets(frequency: 2000, amplitude: 24_000)
        room.events.removeAll()
        room.run(100, decode: false)
        #expect(room.events.count == 2)
        #expect(room.events.first?.started == false)
        #expect(room.events.last?.started == true)
        #expect(room.events.last?.participant == room.members[4].participant)
        #expect(room.events.first?.slot == room.events.last?.slot)
        #expect(room.speakers.contains(4))
    }

    @Test("a talker who falls silent stops, a speaker who leaves stops, stale handles are ignored")
    func stopEvents() throws {
        let room = try MixerRoom()
        try room.add(frequency: 500, amplitude: 8000)
        try room.add(frequency: 900, amplitude: 8000)
        try room.add()
        room.run(20, decode: false)
        #expect(room.speakers == [0, 1])
        room.members[0].packets = try MixerRoom.packets(frequency: 0, amplitude: 0)
        room.events.removeAll()
        room.run(60, decode: false)
        #expect(room.events == [.init(participant: room.members[0].participant, slot: 0, started: false)])
        #expect(room.speakers == [1])

        room.events.removeAll()
        let leaving = room.members[1].participant
        room.mixer.removeParticipant(leaving)
        room.mixer.drainSpeakerEvents { room.events.append($0) }
        #expect(room.events == [.init(participant: leaving, slot: 1, started: false)])
        #expect(room.mixer.participantCount == 2)
        #expect(room.mixer.stream(for: leaving) == nil)
        #expect(
            room.mixer.receive(
                leaving,
                payload: [0xF8].span,
                sequenceNumber: 1,
                timestamp: 1,
                arrivalNanoseconds: 0,
                audioLevel: nil
            ) == nil
        )
        // The index is reused with a new generation; the old handle stays dead.
        let newcomer = try #require(try room.mixer.addParticipant())
        #expect(newcomer.index == leaving.index)
        #expect(newcomer.generation == leaving.generation + 1)
        #expect(room.mixer.level(of: leaving) == nil)
        #expect(room.mixer.level(of: newcomer) == -127)
    }
}

@Suite("Mixer cost model")
struct MixerCostTests {
    @Test("a room of 100 with 3 talkers costs N + 1 = 4 encodes and 3 decodes per tick")
    func hundredParticipants() throws {
        let room = try MixerRoom(.init(maximumParticipants: 100))
        for index in 0..<100 {
            if index % 33 == 1 {
                try room.add(frequency: 400 + Double(index) * 10, amplitude: 8000, listen: false)
            } else {
                try room.add(listen: false)
            }
        }
        #expect(try room.mixer.addParticipant() == nil)
        room.run(50)
        #expect(room.speakers == [1, 34, 67])
        var encodes: [Int] = []
        var decodes: [Int] = []
        for _ in 0..<20 {
            room.step()
            encodes.append(room.mixer.statistics.lastTickEncodes)
            decodes.append(room.mixer.statistics.lastTickDecodes)
        }
        #expect(encodes.allSatisfy { $0 == 4 }, "\(encodes)")
        #expect(decodes.allSatisfy { $0 == 3 }, "\(decodes)")
        // Everyone else shares the full mix; the three speakers each get their own mix-minus.
        let streams = room.members.map { $0.streams.last! }
        #expect(streams.filter { $0 == .fullMix }.count == 97)
        #expect(Set(streams.filter { $0 != .fullMix }).count == 3)
        #expect(room.mixer.withPayload(of: .fullMix) { $0.count } > 10)
    }

    @Test("mixed, both, forwarded: N + 1, 1 and 0 encodes")
    func modes() throws {
        let room = try MixerRoom()
        try room.add(frequency: 500, amplitude: 8000)
        try room.add(frequency: 900, amplitude: 8000)
        try room.add()
        room.run(10)
        #expect(room.mixer.statistics.lastTickEncodes == 3)
        room.mixer.mode = .both
        room.run(2)
        #expect(room.mixer.statistics.lastTickEncodes == 1)
        #expect(room.mixer.stream(for: room.members[0].participant) == nil)
        #expect(room.mixer.withPayload(of: .fullMix) { $0.count } > 0)
        #expect(room.mixer.withPayload(of: .mixMinus(slot: 0)) { $0.count } == 0)
        room.mixer.mode = .forwarded
        room.run(2)
        #expect(room.mixer.statistics.lastTickEncodes == 0)
        #expect(room.mixer.statistics.lastTickDecodes == 0)
        #expect(room.mixer.withPayload(of: .fullMix) { $0.count } == 0)
        #expect(room.mixer.withPayload(of: .mixMinus(slot: 99)) { $0.count } == 0)
        // Speaker selection goes on for active-speaker events.
        #expect(room.speakers == [0, 1])
    }

    @Test("a stereo mixer is refused")
    func monoOnly() {
        #expect(throws: OpusError.self) {
            _ = try RoomMixer(configuration: .init(encoder: .init(channels: 2)))
        }
    }

    @Test("rough cost of a 100-participant room with 3 talkers (prints, never asserts)")
    func timing() throws {
        let room = try MixerRoom(.init(maximumParticipants: 100))
        for index in 0..<100 {
            try room.add(frequency: 400 + Double(index) * 10, amplitude: index < 3 ? 8000 : 0, listen: false)
        }
        room.run(50, decode: false)
        let clock = ContinuousClock()
        let elapsed = clock.measure { room.run(1000, decode: false) }
        print(
            "MixerCostTests.timing: 1000 ticks of 100 participants / 3 talkers took \(elapsed) (\(elapsed / 1000) per tick, packet insertion included)"
        )
    }
}

@Suite("Mixer limits and untrusted input")
struct MixerRobustnessTests {
    @Test("32 full-scale talkers mixed: no trap, no wrap, every talker heard")
    func thirtyTwoFullScale() throws {
        let room = try MixerRoom(.init(selection: .init(speakerCount: 32)))
        let frequencies = (0..<32).map { 211 + 97 * Double($0) }
        for frequency in frequencies {
            try room.add(frequency: frequency, amplitude: 32_767, listen: false)
        }
        try room.add()
        room.run(40)
        #expect(room.speakers.count == 32)
        #expect(room.mixer.statistics.lastTickEncodes == 33)
        let amplitudes = frequencies.map { room.recorded(at: $0, ticks: 20..<40) }
        let median = amplitudes.sorted()[16]
        #expect(median > 500)
        #expect(amplitudes.allSatisfy { $0 > median / 4 }, "\(amplitudes)")
        #expect(room.heard(32, at: frequencies[0], ticks: 20..<40) > median / 4)
        let window = room.recording[(20 * 960)...]
        #expect(window.filter { $0 == .max || $0 == .min }.count < 20)
    }

    @Test("malformed and empty payloads are counted and concealed; mixing goes on")
    func untrustedOpus() throws {
        let room = try MixerRoom()
        try room.add(frequency: 500, amplitude: 8000)
        try room.add(frequency: 900, amplitude: 8000)
        try room.add(frequency: 1300, amplitude: 8000)
        try room.add()
        // Talker 0 sends garbage every third packet, an empty payload every seventh.
        room.members[0].corrupt = { tick in
            if tick % 3 == 0 { return [0x03, 0x00] }
            if tick % 7 == 0 { return [] }
            return nil
        }
        room.members[1].corrupt = { tick in tick % 5 == 0 ? [0x02, 0xFF, 0xFF, 0x00] : nil }
        room.run(60)
        let first = try #require(room.mixer.jitterStatistics(of: room.members[0].participant))
        let second = try #require(room.mixer.jitterStatistics(of: room.members[1].participant))
        #expect(first.invalid > 15)
        #expect(first.lost > 3)
        #expect(second.invalid > 5)
        #expect(room.speakers == [0, 1, 2])
        for frequency in [500.0, 900, 1300] {
            #expect(room.heard(3, at: frequency, ticks: 30..<60) > 2000)
        }
    }
}
