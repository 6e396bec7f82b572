internal import RTCAudio
import RTCWire

/// One room's audio on its worker: the ``RoomMixer`` (a jitter buffer and decoder per inbound
/// stream, speaker selection, N mix-minus encoders and the shared full mix), the RTP state of
/// every participant's mixed stream, the recorder while the room is recorded, and the speakers
/// last announced.
///
/// Built and changed by the core's room commands (allocations happen there); ``ingest`` and
/// ``tick()`` allocate nothing. Not thread-safe: the worker owns it.
final class MixedRoom {
    /// One participant of the room.
    struct Member {
        /// Who.
        let participant: RoutingParticipantID
        /// Its handle in ``MixedRoom/mixer``.
        var handle: RoomMixer.Participant
        /// What it publishes, if anything.
        var inbound: RelayRoomAudioPlan.InboundAudio?
        /// Its mixed stream (``RelayRoomAudioPlan/Mode/mixed`` rooms), if it has one.
        var sender: MixStreamSender?
    }

    /// The room.
    let id: RelayRoomID
    /// The plan in force.
    private(set) var plan: RelayRoomAudioPlan
    /// The mixer.
    private(set) var mixer: RoomMixer
    /// Everyone in the room, in no particular order.
    private(set) var members: [Member] = []
    /// Each participant's position in ``members``.
    private(set) var memberPosition: [RoutingParticipantID: Int] = [:]
    /// The recorder while the room is recorded (kept after a stop until the next start).
    var recorder: RoomRecorder?
    /// The speakers last announced with ``RelayEvent/activeSpeakers(_:_:)``, loudest first.
    var announcedSpeakers: [RoutingParticipantID] = []
    /// What the room has done.
    var counters = RelayRoomMixingStatistics()

    /// The payloads of the last tick: slot `0..<speakers` the mix-minus streams, slot `speakers`
    /// the full mix, `Opus.maxPacketSize` bytes each.
    private(set) var outputBytes: [UInt8] = []
    /// The length of each slot's payload in ``outputBytes`` (0: nothing encoded).
    private(set) var outputLengths: [Int] = []
    /// The RFC 6464 level of each slot's frame.
    private(set) var outputLevels: [UInt8] = []

    /// Whether a recording is running.
    var isRecording: Bool {
        self.recorder?.state == .recording
    }

    /// A room following `plan` (already validated).
    init(id: RelayRoomID, plan: RelayRoomAudioPlan) throws(OpusError) {
        self.id = id
        self.plan = plan
        self.mixer = try Self.makeMixer(for: plan, recording: false)
        self.allocateOutputs()
        try self.apply(plan)
    }

    /// The mode the mixer runs in: the plan's, with a recorded forwarded room mixing its full mix.
    private static func mixingMode(_ mode: RelayRoomAudioPlan.Mode, recording: Bool) -> MixingMode {
        switch mode {
        case .mixed: return .mixed
        case .both: return .both
        case .forwarded: return recording ? .both : .forwarded
        }
    }

    /// A mixer sized for `plan` with room to grow (twice its participants, at least 16), so that
    /// a few joins do not rebuild it.
    private static func makeMixer(for plan: RelayRoomAudioPlan, recording: Bool) throws(OpusError) -> RoomMixer {
        let capacity = min(max(16, plan.participants.count * 2), RelayRoomAudioPlan.maximumParticipants)
        return try RoomMixer(
            configuration: RoomMixer.Configuration(
                maximumParticipants: capacity,
                selection: SpeakerSelector.Configuration(speakerCount: plan.speakers),
                mode: Self.mixingMode(plan.mode, recording: recording)
            )
        )
    }

    private func allocateOutputs() {
        let slots = self.mixer.speakerSlots + 1
        self.outputBytes = [UInt8](repeating: 0, count: slots * Opus.maxPacketSize)
        self.outputLengths = [Int](repeating: 0, count: slots)
        self.outputLevels = [UInt8](repeating: AudioLevel.silence, count: slots)
    }

    /// Takes a new plan (validated): participants who left leave the mixer, newcomers join it, a
    /// participant whose inbound stream changed gets a fresh jitter buffer, mixed streams keep
    /// their numbering when their SSRC stays. A new speaker count, or more participants than the
    /// mixer holds, rebuild the mixer (the streams' numbering carries on).
    func apply(_ plan: RelayRoomAudioPlan) throws(OpusError) {
        let rebuild =
            plan.speakers != self.mixer.speakerSlots
            || plan.participants.count > self.mixer.configuration.maximumParticipants
        if rebuild {
            self.mixer = try Self.makeMixer(for: plan, recording: self.isRecording)
            self.allocateOutputs()
        }
        // Those who left make room first, so that newcomers always fit in the mixer.
        if !rebuild {
            let staying = Set(plan.participants.map(\.participant))
            for old in self.members where !staying.contains(old.participant) {
                self.mixer.removeParticipant(old.handle)
            }
        }
        var members: [Member] = []
        members.reserveCapacity(plan.participants.count)
        var positions: [RoutingParticipantID: Int] = Dictionary(minimumCapacity: plan.participants.count)
        for entry in plan.participants {
            let old = self.memberPosition[entry.participant].map { self.members[$0] }
            var handle: RoomMixer.Participant
            if let old, !rebuild, old.inbound == entry.inbound {
                handle = old.handle
            } else {
                if let old, !rebuild {
                    self.mixer.removeParticipant(old.handle)
                }
                guard let added = try self.mixer.addParticipant() else {
                    // Cannot happen: the mixer holds at least the plan's participants.
                    continue
                }
                handle = added
            }
            var sender: MixStreamSender? = nil
            if let mix = entry.mix {
                if var kept = old?.sender {
                    kept.update(mix)
                    sender = kept
                } else {
                    sender = MixStreamSender(stream: mix)
                }
            }
            positions[entry.participant] = members.count
            members.append(
                Member(participant: entry.participant, handle: handle, inbound: entry.inbound, sender: sender)
            )
        }
        self.members = members
        self.memberPosition = positions
        self.plan = plan
        self.updateMode()
    }

    /// Sets the mixer's mode from the plan and whether the room is recorded.
    func updateMode() {
        self.mixer.mode = Self.mixingMode(self.plan.mode, recording: self.isRecording)
    }

    /// Hands one validated RTP packet of member `position` to its jitter buffer, if it is that
    /// member's declared stream (SSRC and payload type).
    ///
    /// - Returns: whether the packet was the member's audio (given to the mixer).
    func ingest(_ header: RTPHeader, packet: Span<UInt8>, member position: Int, now: RelayTime) -> Bool {
        guard position >= 0, position < self.members.count, let inbound = self.members[position].inbound,
            header.ssrc == inbound.ssrc, header.payloadType == inbound.payloadType
        else { return false }
        var level: RTPAudioLevel? = nil
        if inbound.audioLevelExtensionID != 0 {
            // A malformed level element is as good as none: the stream is measured by decoding.
            level = try? header.audioLevel(id: inbound.audioLevelExtensionID, in: packet)
        }
        self.counters.packetsReceived &+= 1
        self.mixer.receive(
            self.members[position].handle,
            payload: packet.extracting(header.payloadRange),
            sequenceNumber: header.sequenceNumber,
            timestamp: header.timestamp,
            arrivalNanoseconds: now.nanoseconds,
            audioLevel: level
        )
        return true
    }

    /// Runs one 20 ms mixing step and keeps its payloads in ``outputBytes``.
    ///
    /// - Returns: whether the set of speakers changed (the mixer reported starts or stops).
    func tick() -> Bool {
        self.mixer.tick()
        self.counters.ticks &+= 1
        let slots = self.mixer.speakerSlots
        let maximum = Opus.maxPacketSize
        for slot in 0...slots {
            let stream: MixedStream = slot == slots ? .fullMix : .mixMinus(slot: slot)
            let length = self.mixer.withPayload(of: stream) { payload in
                let count = min(payload.count, maximum)
                for index in 0..<count {
                    self.outputBytes[slot &* maximum &+ index] = payload[index]
                }
                return count
            }
            self.outputLengths[slot] = length
            self.outputLevels[slot] = self.mixer.audioLevel(of: stream)
        }
        var changed = false
        self.mixer.drainSpeakerEvents { _ in changed = true }
        return changed
    }

    /// The output slot (index into ``outputLengths``) member `position` receives after the last
    /// tick: its mix-minus slot while it speaks, else the full mix. Nil outside mixed mode.
    func outputSlot(of position: Int) -> Int? {
        switch self.mixer.stream(for: self.members[position].handle) {
        case .mixMinus(let slot): return slot
        case .fullMix: return self.mixer.speakerSlots
        case nil: return nil
        }
    }

    /// The output slot of the full mix.
    var fullMixSlot: Int {
        self.mixer.speakerSlots
    }

    /// Calls `body` with the last tick's full-mix payload.
    func withFullMix<Result>(_ body: (Span<UInt8>) -> Result) -> Result {
        let start = self.fullMixSlot &* Opus.maxPacketSize
        let end = start &+ self.outputLengths[self.fullMixSlot]
        // A local reference (a retain, no copy): a span of a class's stored array cannot outlive
        // the property access.
        let bytes = self.outputBytes
        return body(bytes.span.extracting(start..<end))
    }

    /// Ends `sender`'s tick for member `position`.
    func advanceSender(of position: Int, sent: Bool) {
        self.members[position].sender?.advance(sent: sent)
    }

    /// The current speakers, loudest first (allocates: for events only).
    func currentSpeakers() -> [RoutingParticipantID] {
        var speakers: [(RoutingParticipantID, Float)] = []
        for slot in 0..<self.mixer.speakerSlots {
            guard let handle = self.mixer.speaker(inSlot: slot),
                let member = self.members.first(where: { $0.handle == handle })
            else { continue }
            speakers.append((member.participant, self.mixer.level(of: handle) ?? -127))
        }
        return speakers.sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// The room's counters with the mixer's and the jitter buffers' figures added.
    var statistics: RelayRoomMixingStatistics {
        var statistics = self.counters
        let mixer = self.mixer.statistics
        statistics.decodes = mixer.decodes
        statistics.encodes = mixer.encodes
        statistics.encodeFailures = mixer.encodeFailures
        statistics.participants = self.members.count
        statistics.speakers = self.announcedSpeakers
        statistics.recording = self.isRecording
        for member in self.members {
            guard let jitter = self.mixer.jitterStatistics(of: member.handle) else { continue }
            statistics.invalidPayloads &+= jitter.invalid
            statistics.lostFrames &+= jitter.lost
            statistics.concealedFrames &+= jitter.concealed
            statistics.decodedFrames &+= jitter.decoded
        }
        return statistics
    }
}

@available(*, unavailable)
extension MixedRoom: Sendable {}
