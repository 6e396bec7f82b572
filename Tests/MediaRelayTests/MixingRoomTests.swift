import MediaRelay
import RTCAudio
import RTCTestSupport
import RTCWire
import Testing

/// Mixed rooms on an in-memory relay: real libopus talkers, SRTP both ways, the core's 20 ms
/// mixer tick, each client's stream decoded and measured with Goertzel.
@Suite("Mixing rooms")
struct MixingRoomTests {
    static let warmUpFrames = 50

    @Test("3 talkers and a listener: each talker hears the two others and not itself, the listener hears all three")
    func frequencyTagged() throws {
        let tones = [(500.0, 6000.0), (800.0, 6000.0), (1300.0, 6000.0)]
        let room = try MixingRoom(clientCount: 4, tones: tones.map { (frequency: $0.0, amplitude: $0.1) })
        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
        #expect(room.harness.relayCore.roomCount == 1)
        try room.run(ticks: 150)

        for index in 0..<4 {
            let stream = try room.mix(of: index)
            // One packet per tick from the first tick on, the first one marked.
            #expect(stream.packets >= 149, "client \(index + 1) received \(stream.packets) packets")
            #expect(stream.markers == [0])
            let body = stream.pcm[(Self.warmUpFrames * Opus.samplesPer20ms)...]
            for (talker, tone) in tones.enumerated() {
                let amplitude = MixingSignal.amplitude(of: body, at: tone.0)
                if talker == index {
                    #expect(amplitude < 150, "client \(index + 1) hears itself at \(tone.0) Hz: \(amplitude)")
                } else {
                    #expect(amplitude > 3500, "client \(index + 1) hears \(tone.0) Hz at only \(amplitude)")
                }
            }
            // The audio level written on the mix: loud (two or three tones near -15 dBov), voice.
            let levels = stream.levels.dropFirst(Self.warmUpFrames)
            #expect(levels.allSatisfy { $0.voiceActivity && $0.level < 25 }, "\(levels.map(\.level))")
        }
        let speakers = room.log.speakerLists(of: room.room)
        #expect(Set(speakers.last ?? []) == Set(room.talkers.map(\.client.participant)))
        let statistics = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
        #expect(statistics.ticks == 150)
        #expect(statistics.packetsReceived == 450)
        #expect(statistics.packetsSkipped == 0)
        #expect(statistics.invalidPayloads == 0)
        // N + 1 encodes per tick once three speak.
        #expect(statistics.encodes <= 150 * 4)
        // Mixed mode: the forwarder has no table, yet the audio is not counted as a routing drop.
        #expect(room.harness.counters[.droppedByRouting] == 0)
    }

    @Test("5 talkers at distinct levels and 2 speakers: the mix holds the 2 loudest, announced loudest first")
    func topN() throws {
        let tones = [(500.0, 8000.0), (800.0, 500.0), (1100.0, 4000.0), (1400.0, 1000.0), (1700.0, 2000.0)]
        let room = try MixingRoom(clientCount: 6, tones: tones.map { (frequency: $0.0, amplitude: $0.1) })
        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed, speakers: 2)))
        try room.run(ticks: 120)

        let participants = room.harness.clients.map(\.participant)
        #expect(room.log.speakerLists(of: room.room).last == [participants[0], participants[2]])
        // The listener and a non-speaking talker hear the two loudest and nobody else.
        for index in [5, 1] {
            let stream = try room.mix(of: index)
            let body = stream.pcm[(Self.warmUpFrames * Opus.samplesPer20ms)...]
            #expect(MixingSignal.amplitude(of: body, at: 500) > 5000)
            #expect(MixingSignal.amplitude(of: body, at: 1100) > 2500)
            for frequency in [1400.0, 1700.0] {
                #expect(
                    MixingSignal.amplitude(of: body, at: frequency) < 150,
                    "client \(index + 1) hears \(frequency) Hz"
                )
            }
            // The 800 Hz talker does not hear itself either way.
            #expect(MixingSignal.amplitude(of: body, at: 800) < 150)
        }
        // Each speaker hears the other one only.
        let first = try room.mix(of: 0).pcm[(Self.warmUpFrames * Opus.samplesPer20ms)...]
        #expect(MixingSignal.amplitude(of: first, at: 500) < 150)
        #expect(MixingSignal.amplitude(of: first, at: 1100) > 2500)
        let third = try room.mix(of: 2).pcm[(Self.warmUpFrames * Opus.samplesPer20ms)...]
        #expect(MixingSignal.amplitude(of: third, at: 500) > 5000)
        #expect(MixingSignal.amplitude(of: third, at: 1100) < 150)
        #expect(MixingSignal.amplitude(of: third, at: 1700) < 150)
    }

    @Test("malformed and zero-length Opus payloads are counted and concealed; the mix goes on every tick")
    func untrustedOpus() throws {
        let tones = [(600.0, 6000.0), (1000.0, 6000.0)]
        let room = try MixingRoom(clientCount: 3, tones: tones.map { (frequency: $0.0, amplitude: $0.1) })
        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
        // Every 10th packet of talker 1 is garbage (a code-3 TOC with no frame count, then a
        // 40 ms packet, alternately); every 10th of talker 2 (shifted) is empty.
        let malformed: [[UInt8]] = [[0xFB], [0x10, 0x11, 0x22, 0x33]]
        try room.run(ticks: 150) { talker, tick in
            if talker === room.talkers[0], tick % 10 == 3 { return malformed[(tick / 10) % 2] }
            if talker === room.talkers[1], tick % 10 == 7 { return [] }
            return nil
        }
        let statistics = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
        #expect(statistics.invalidPayloads == 15)
        #expect(statistics.lostFrames >= 15)
        #expect(statistics.concealedFrames >= 30)
        #expect(statistics.packetsReceived == 300)
        let listener = try room.mix(of: 2)
        #expect(listener.packets >= 149)
        let body = listener.pcm[(Self.warmUpFrames * Opus.samplesPer20ms)...]
        #expect(MixingSignal.amplitude(of: body, at: 600) > 3500)
        #expect(MixingSignal.amplitude(of: body, at: 1000) > 3500)
    }

    @Test("packets not declared in the plan (another SSRC, another payload type, someone else's SSRC) are not mixed")
    func undeclaredStreams() throws {
        let room = try MixingRoom(clientCount: 3, tones: [(frequency: 700, amplitude: 6000)])
        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
        try room.run(ticks: 5)
        let before = try #require(room.harness.relayCore.mixingStatistics(of: room.room)).packetsReceived
        #expect(before == 5)
        // Client 2 sends with talker 1's SSRC; client 3 with an undeclared SSRC; talker 1 with
        // payload type 0.
        let stolen = RTPPacket(
            payloadType: 111,
            sequenceNumber: 1,
            timestamp: 1,
            ssrc: room.talkers[0].ssrc,
            payload: [0xF8]
        )
        try room.harness.send(try stolen.serialized(), from: room.harness.clients[1])
        let unknown = RTPPacket(payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 0x0BAD, payload: [0xF8])
        try room.harness.send(try unknown.serialized(), from: room.harness.clients[2])
        let wrongType = RTPPacket(
            payloadType: 0,
            sequenceNumber: 2,
            timestamp: 2,
            ssrc: room.talkers[0].ssrc,
            payload: [0xF8]
        )
        try room.harness.send(try wrongType.serialized(), from: room.talkers[0].client)
        #expect(try #require(room.harness.relayCore.mixingStatistics(of: room.room)).packetsReceived == before)
        #expect(room.harness.counters[.droppedByRouting] == 3)
    }

    @Test("invalid plans are refused; a participant in two rooms is refused; closeRoom forgets the room")
    func plansAndClose() throws {
        let room = try MixingRoom(clientCount: 2, tones: [(frequency: 700, amplitude: 6000)])
        var plan = room.plan(mode: .mixed)
        plan.speakers = 0
        room.harness.apply(.configureRoom(room.room, plan))
        plan = room.plan(mode: .mixed)
        plan.participants[0].inbound?.clockRate = 8000
        room.harness.apply(.configureRoom(room.room, plan))
        plan = room.plan(mode: .mixed)
        plan.participants.append(plan.participants[0])
        room.harness.apply(.configureRoom(room.room, plan))
        #expect(room.harness.counters[.commandsRejected] == 3)
        #expect(room.harness.relayCore.roomCount == 0)

        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
        room.harness.apply(.configureRoom(RelayRoomID(rawValue: 8), room.plan(mode: .mixed)))
        #expect(room.harness.counters[.commandsRejected] == 4)
        #expect(room.harness.relayCore.roomCount == 1)
        try room.run(ticks: 3)
        #expect(room.harness.received(by: room.harness.clients[1]).count == 3)

        room.harness.apply(.closeRoom(room.room))
        #expect(room.harness.relayCore.roomCount == 0)
        #expect(room.harness.relayCore.mixingStatistics(of: room.room) == nil)
        room.harness.removeAllReceived()
        try room.run(ticks: 3)
        #expect(room.harness.received(by: room.harness.clients[1]).isEmpty)
    }

    @Test(
        "a new plan keeps each mixed stream's numbering; a listener leaving stops its stream; a newcomer starts marked"
    )
    func replan() throws {
        let room = try MixingRoom(clientCount: 4, tones: [(frequency: 700, amplitude: 6000)])
        var plan = room.plan(mode: .mixed)
        let newcomer = plan.participants.removeLast()
        room.harness.apply(.configureRoom(room.room, plan))
        try room.run(ticks: 20)
        plan.participants.remove(at: 1)
        plan.participants.append(newcomer)
        room.harness.apply(.configureRoom(room.room, plan))
        try room.run(ticks: 20)

        let staying = try room.mix(of: 2)
        #expect(staying.packets == 40)
        #expect(staying.markers == [0])
        #expect(try room.mix(of: 1).packets == 20)
        let arriving = try room.mix(of: 3)
        #expect(arriving.packets == 20)
        #expect(arriving.markers == [0])
        let body = arriving.pcm[(5 * Opus.samplesPer20ms)...]
        #expect(MixingSignal.amplitude(of: body, at: 700) > 3500)
    }

    @Test("steady state through prepared packets: each tick sends one packet per participant and costs N + 1 encodes")
    func steadyState() throws {
        let tones = [(500.0, 6000.0), (800.0, 6000.0), (1300.0, 6000.0)]
        let room = try MixingRoom(clientCount: 5, tones: tones.map { (frequency: $0.0, amplitude: $0.1) })
        room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
        try room.run(ticks: 30)
        var packets: [(client: RelayTestClient, bytes: [UInt8])] = []
        for _ in 0..<100 {
            for talker in room.talkers {
                packets.append((talker.client, try talker.nextPacket()))
            }
        }
        try room.harness.prepare(packets)
        #expect(room.harness.preparedCount == 300)
        let before = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
        for tick in 0..<100 {
            for talker in 0..<3 {
                room.harness.feedPrepared(tick * 3 + talker)
            }
            #expect(room.harness.advanceWithoutDelivery(milliseconds: 20) == 5)
        }
        let after = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
        #expect(after.ticks - before.ticks == 100)
        #expect(after.encodes - before.encodes == 400)
        #expect(after.decodes - before.decodes == 300)
        #expect(after.packetsSent - before.packetsSent == 500)
        #expect(after.packetsReceived - before.packetsReceived == 300)
        #expect(after.lostFrames == before.lostFrames)
    }

    @Test("a new plan that replaces most of a full mixer's participants keeps every one of them")
    func replanFullMixer() throws {
        let room = try MixingRoom(clientCount: 2, tones: [(frequency: 700, amplitude: 6000)])
        // Participants without a transport are fine in a plan: they just receive nothing.
        func plan(_ others: ClosedRange<UInt64>) -> RelayRoomAudioPlan {
            var plan = room.plan(mode: .mixed)
            for id in others {
                plan.participants.append(.init(participant: RoutingParticipantID(rawValue: id)))
            }
            return plan
        }
        // 8 participants: the mixer holds 16.
        room.harness.apply(.configureRoom(room.room, plan(101...106)))
        try room.run(ticks: 5)
        // 16 participants, 6 leaving and 14 arriving: they all fit once the leavers are gone.
        room.harness.apply(.configureRoom(room.room, plan(201...214)))
        #expect(room.harness.counters[.commandsRejected] == 0)
        #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.participants == 16)
        try room.run(ticks: 5)
        #expect(try room.mix(of: 1).packets == 10)
        // 40 participants: the mixer is rebuilt, bigger; the listener's stream carries on.
        room.harness.apply(.configureRoom(room.room, plan(301...338)))
        #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.participants == 40)
        try room.run(ticks: 5)
        let stream = try room.mix(of: 1)
        #expect(stream.packets == 15)
        #expect(stream.markers == [0])
    }
}
