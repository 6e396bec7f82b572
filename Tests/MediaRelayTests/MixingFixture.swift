import Foundation
import MediaRelay
import RTCAudio
import RTCTestSupport
import RTCWire
import Synchronization
import Testing

/// Collects what a core delivers to its event sink (on the test's thread, or the core's when
/// dropped).
final class MixingEventLog: Sendable {
    private let storage = Mutex<[RelayEvent]>([])

    /// A sink appending to the log.
    var sink: RelayEventSink {
        RelayEventSink { event in
            self.storage.withLock { $0.append(event) }
        }
    }

    /// Everything delivered so far, oldest first.
    var events: [RelayEvent] {
        self.storage.withLock { $0 }
    }

    /// The speaker lists of the `activeSpeakers` events for `room`, oldest first.
    func speakerLists(of room: RelayRoomID) -> [[RoutingParticipantID]] {
        self.events.compactMap { event in
            guard case .activeSpeakers(let id, let speakers) = event, id == room else { return nil }
            return speakers
        }
    }
}

/// A simulated participant sending a sine at its own frequency: 20 ms frames encoded with
/// libopus, as RTP packets with an RFC 6464 audio level (computed from the frame, as a browser
/// does) under extension id ``levelID``.
final class MixingTalker {
    static let payloadType: UInt8 = 111
    static let levelID: UInt8 = 1

    let client: RelayTestClient
    let frequency: Double
    var amplitude: Double
    let ssrc: UInt32
    private let encoder: OpusEncoder
    private var sequenceNumber: UInt16
    private var timestamp: UInt32
    private var sampleIndex = 0

    init(client: RelayTestClient, frequency: Double, amplitude: Double) throws {
        self.client = client
        self.frequency = frequency
        self.amplitude = amplitude
        self.ssrc = 0x1000_0000 &+ UInt32(client.id.rawValue)
        self.encoder = try OpusEncoder()
        // Different starting points, one close to the wrap.
        self.sequenceNumber = 65_500 &+ UInt16(client.id.rawValue) &* 7
        self.timestamp = UInt32.max &- 20_000 &* UInt32(client.id.rawValue)
    }

    /// What the room's plan says this talker publishes.
    var inbound: RelayRoomAudioPlan.InboundAudio {
        RelayRoomAudioPlan.InboundAudio(
            ssrc: self.ssrc,
            payloadType: Self.payloadType,
            clockRate: 48_000,
            audioLevelExtensionID: Self.levelID
        )
    }

    /// The next 20 ms packet (plain RTP). `payload` replaces the encoded frame (an untrusted
    /// payload); time moves on either way.
    func nextPacket(payload: [UInt8]? = nil) throws -> [UInt8] {
        let pcm = MixingSignal.sine(frequency: self.frequency, amplitude: self.amplitude, start: self.sampleIndex)
        self.sampleIndex += Opus.samplesPer20ms
        var packet = RTPPacket(
            payloadType: Self.payloadType,
            sequenceNumber: self.sequenceNumber,
            timestamp: self.timestamp,
            ssrc: self.ssrc,
            payload: try payload ?? self.encoder.encode(pcm)
        )
        try packet.setAudioLevel(
            RTPAudioLevel(level: AudioLevel.level(of: pcm.span), voiceActivity: true),
            id: Self.levelID
        )
        self.sequenceNumber &+= 1
        self.timestamp &+= UInt32(Opus.samplesPer20ms)
        return try packet.serialized()
    }
}

/// Test signals and their measurement.
enum MixingSignal {
    /// Samples `start..<start+960` of a sine.
    static func sine(frequency: Double, amplitude: Double, start: Int) -> [Int16] {
        (start..<(start + Opus.samplesPer20ms)).map { index in
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

    /// A mixed stream as a client received it: checked packet by packet and decoded.
    struct MixedStream {
        var pcm: [Int16] = []
        var packets = 0
        var markers: [Int] = []
        var levels: [RTPAudioLevel] = []
    }

    /// Checks that `packets` (plain RTP as received) with SSRC `ssrc` form one mixed stream —
    /// payload type `payloadType`, sequence numbers +1 and timestamps +960 from packet to packet,
    /// an audio level under `levelID` when not 0 — and decodes them with libopus.
    static func mixedStream(
        _ packets: [[UInt8]],
        ssrc: UInt32,
        payloadType: UInt8,
        levelID: UInt8
    ) throws -> MixedStream {
        let decoder = try OpusDecoder()
        var stream = MixedStream()
        var frame = [Int16](repeating: 0, count: Opus.samplesPer20ms)
        var previous: RTPPacket?
        for bytes in packets {
            let packet = try RTPPacket(parsing: bytes.span)
            guard packet.ssrc == ssrc else { continue }
            #expect(packet.payloadType == payloadType)
            if let previous {
                #expect(packet.sequenceNumber == previous.sequenceNumber &+ 1)
                #expect(packet.timestamp == previous.timestamp &+ 960)
            }
            if packet.marker {
                stream.markers.append(stream.packets)
            }
            if levelID != 0 {
                let level = try #require(try packet.audioLevel(id: levelID))
                stream.levels.append(level)
            } else {
                #expect(packet.extensions.isEmpty)
            }
            var span = frame.mutableSpan
            let samples = try decoder.decode(packet.payload.span, into: &span)
            #expect(samples == Opus.samplesPer20ms)
            stream.pcm += frame
            stream.packets += 1
            previous = packet
        }
        return stream
    }
}

/// Runs a room: builds the harness, gives each talker a client, drives 20 ms steps.
final class MixingRoom {
    let harness: RelayRoomHarness
    let log = MixingEventLog()
    var talkers: [MixingTalker] = []
    let room = RelayRoomID(rawValue: 7)

    /// `clientCount` clients; the first `frequencies.count` talk, each at its frequency and amplitude.
    init(clientCount: Int, tones: [(frequency: Double, amplitude: Double)]) throws {
        self.harness = try RelayRoomHarness(clientCount: clientCount, events: self.log.sink)
        for (index, tone) in tones.enumerated() {
            self.talkers.append(
                try MixingTalker(
                    client: self.harness.clients[index],
                    frequency: tone.frequency,
                    amplitude: tone.amplitude
                )
            )
        }
    }

    /// The SSRC of the mix participant `client` receives.
    static func mixSSRC(_ client: RelayTestClient) -> UInt32 {
        0x2000_0000 &+ UInt32(client.id.rawValue)
    }

    static let mixPayloadType: UInt8 = 109
    static let mixLevelID: UInt8 = 3

    /// A plan where every client is listed, talkers with their inbound stream, everyone with a
    /// mix stream.
    func plan(mode: RelayRoomAudioPlan.Mode, speakers: Int = 3) -> RelayRoomAudioPlan {
        RelayRoomAudioPlan(
            mode: mode,
            speakers: speakers,
            participants: self.harness.clients.enumerated().map { index, client in
                RelayRoomAudioPlan.Participant(
                    participant: client.participant,
                    inbound: index < self.talkers.count ? self.talkers[index].inbound : nil,
                    mix: RelayRoomAudioPlan.MixStream(
                        ssrc: Self.mixSSRC(client),
                        payloadType: Self.mixPayloadType,
                        audioLevelExtensionID: Self.mixLevelID
                    )
                )
            }
        )
    }

    /// `ticks` steps of 20 ms: every talker sends its next packet (or what `payload` gives for
    /// it: nil for its tone), then the clock moves 20 ms.
    func run(ticks: Int, payload: (MixingTalker, Int) -> [UInt8]? = { _, _ in nil }) throws {
        for tick in 0..<ticks {
            for talker in self.talkers {
                try self.harness.send(try talker.nextPacket(payload: payload(talker, tick)), from: talker.client)
            }
            try self.harness.advance(milliseconds: 20)
        }
    }

    /// The mixed stream client `index` received, checked and decoded.
    func mix(of index: Int) throws -> MixingSignal.MixedStream {
        let client = self.harness.clients[index]
        return try MixingSignal.mixedStream(
            self.harness.received(by: client),
            ssrc: Self.mixSSRC(client),
            payloadType: Self.mixPayloadType,
            levelID: Self.mixLevelID
        )
    }
}
