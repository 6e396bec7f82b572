internal import RTCAudio
import RTCSecurity
import RTCWire

// Rooms with a mixer on the core: the room commands, the media hook that feeds each mixer, the
// 20 ms tick that encodes, packetises, protects and sends the mixes, active-speaker events and
// recordings.
extension RelayCore {
    // MARK: - Public surface

    /// What a room's mixer has done, or nil for a room not configured on this core.
    public func mixingStatistics(of room: RelayRoomID) -> RelayRoomMixingStatistics? {
        self.mixing.rooms[room]?.statistics
    }

    /// The rooms configured with ``Command/configureRoom(_:_:)`` and not closed.
    public var roomCount: Int {
        self.mixing.rooms.count
    }

    /// The writer the core's recordings go through. Set it before the first recording to share
    /// one writer (one thread) between cores; otherwise the core creates its own at its first
    /// recording and stops it when the core goes away. Recordings already running keep theirs.
    public var recordingWriter: RecordingWriter? {
        get { self.mixing.recordingWriter }
        nonmutating set {
            self.mixing.recordingWriter = newValue
            self.mixing.ownsWriter = false
        }
    }

    /// Parley's version, written in the `ENCODER` tag and vendor string of recordings (default
    /// `dev`).
    public var recordingVersion: String {
        get { self.mixing.recordingVersion }
        nonmutating set { self.mixing.recordingVersion = newValue }
    }

    // MARK: - Commands

    /// Applies a room command (``Command/configureRoom(_:_:)``, ``Command/closeRoom(_:)``,
    /// ``Command/startRecording(_:name:directory:)``, ``Command/stopRecording(_:)``).
    mutating func applyMixing(_ command: Command, now: RelayTime) {
        switch command {
        case .configureRoom(let id, let plan):
            self.configureRoom(id, plan: plan, now: now)
        case .closeRoom(let id):
            guard let room = self.mixing.rooms[id] else { return }
            self.stopRecording(of: room)
            self.mixing.remove(room)
        case .startRecording(let id, let name, let directory):
            self.startRecording(id, name: name, directory: directory)
        case .stopRecording(let id):
            guard let room = self.mixing.rooms[id] else { return }
            self.stopRecording(of: room)
        case .addTransport, .removeTransport, .installRouting:
            break
        }
    }

    private func configureRoom(_ id: RelayRoomID, plan: RelayRoomAudioPlan, now: RelayTime) {
        guard plan.problem() == nil else {
            self.counters.add(.commandsRejected)
            return
        }
        // A participant is in one room at a time on a core.
        for entry in plan.participants {
            if let route = self.mixing.routes[entry.participant], route.room.id != id {
                self.counters.add(.commandsRejected)
                return
            }
        }
        self.mixing.events = self.configuration.events
        do {
            if let room = self.mixing.rooms[id] {
                let previous = room.members.map(\.participant)
                try room.apply(plan)
                self.mixing.reroute(room, previous: previous)
            } else {
                let room = try MixedRoom(id: id, plan: plan)
                self.mixing.rooms[id] = room
                self.mixing.reroute(room, previous: [])
            }
        } catch {
            // libopus could not create an encoder or decoder (out of memory).
            self.counters.add(.commandsRejected)
            return
        }
        if self.mixing.nextTick == nil {
            self.mixing.nextTick = now.adding(nanoseconds: RelayMixing.tickNanoseconds)
        }
    }

    private func startRecording(_ id: RelayRoomID, name: String, directory: String) {
        let events = self.configuration.events
        guard let room = self.mixing.rooms[id] else {
            self.counters.add(.commandsRejected)
            events.deliver(
                .recordingFailed(
                    id,
                    RecordingError(
                        .invalidConfiguration,
                        path: directory,
                        message: "\(id) is not configured on this worker. Configure the room before recording it."
                    )
                )
            )
            return
        }
        do throws(RecordingError) {
            guard !room.isRecording else {
                throw RecordingError(
                    .alreadyRecording,
                    path: room.recorder?.file?.path ?? directory,
                    message: "\(id) is already being recorded. Stop the recording before starting another."
                )
            }
            let recorder = RoomRecorder(
                writer: try self.mixing.writer(),
                configuration: RoomRecorder.Configuration(
                    channels: 1,
                    preSkip: room.mixer.fullMixLookahead,
                    version: self.mixing.recordingVersion
                )
            )
            let file = try recorder.start(room: name, startTime: .now(), directory: directory)
            room.recorder = recorder
            room.updateMode()
            events.deliver(.recordingStarted(id, path: file.path))
        } catch {
            events.deliver(.recordingFailed(id, error))
        }
    }

    /// Stops a room's recording (EOS page, file closed by the writer) and reports it.
    private func stopRecording(of room: MixedRoom) {
        guard room.isRecording, let file = room.recorder?.stop() else { return }
        room.updateMode()
        self.configuration.events.deliver(.recordingStopped(room.id, path: file.path))
    }

    // MARK: - Media

    /// The media hook: an RTP packet (unprotected and parsed) that `participant` sent on its own
    /// transport goes to its room's mixer when it is that participant's declared audio stream.
    ///
    /// - Returns: whether the mixer took it.
    func ingestMixedAudio(
        _ header: RTPHeader,
        packet: Span<UInt8>,
        from participant: RoutingParticipantID,
        now: RelayTime
    ) -> Bool {
        guard !self.mixing.routes.isEmpty, let route = self.mixing.routes[participant] else { return false }
        return route.room.ingest(header, packet: packet, member: route.member, now: now)
    }

    // MARK: - Ticks

    /// When the rooms next tick, nil without rooms.
    var nextMixingDeadline: RelayTime? {
        self.mixing.nextTick
    }

    /// Runs one tick of every room when it is due. A worker that fell more than 60 ms behind
    /// drops the missed ticks (the jitter buffers absorb the gap) rather than run them in a burst.
    mutating func mixingTimersFired(now: RelayTime, send: inout SendBatch) {
        guard let due = self.mixing.nextTick, due <= now else { return }
        for room in self.mixing.rooms.values {
            self.tick(room, now: now, send: &send)
        }
        let next = due.adding(nanoseconds: RelayMixing.tickNanoseconds)
        let lag = now.nanoseconds(since: next)
        self.mixing.nextTick =
            lag > RelayMixing.maximumLagNanoseconds ? now.adding(nanoseconds: RelayMixing.tickNanoseconds) : next
    }

    private func tick(_ room: MixedRoom, now: RelayTime, send: inout SendBatch) {
        if room.tick() {
            let speakers = room.currentSpeakers()
            if Set(speakers) != Set(room.announcedSpeakers) {
                room.announcedSpeakers = speakers
                self.configuration.events.deliver(.activeSpeakers(room.id, speakers))
            }
        }
        if room.mixer.mode == .mixed {
            self.sendMixes(of: room, send: &send)
        }
        if let recorder = room.recorder, recorder.state == .recording {
            room.withFullMix { payload in
                recorder.append(packet: payload)
            }
            if let failure = recorder.tick(now: now) {
                room.updateMode()
                self.configuration.events.deliver(.recordingFailed(room.id, failure))
            }
        }
    }

    /// Sends each member with a mixed stream its payload of the last tick: written as RTP in a
    /// send slot, protected there with its transport.
    private func sendMixes(of room: MixedRoom, send: inout SendBatch) {
        let counters = self.counters
        let bytes = room.outputBytes
        let slotSize = Opus.maxPacketSize
        for position in room.members.indices {
            let member = room.members[position]
            guard let sender = member.sender else { continue }
            guard let slot = room.outputSlot(of: position), room.outputLengths[slot] > 0 else {
                room.advanceSender(of: position, sent: false)
                continue
            }
            guard let id = self.transportOfParticipant[member.participant],
                let transport = self.entries[id]?.transport,
                transport.canSend,
                let destination = transport.boundAddress,
                let profile = transport.srtpProfile
            else {
                room.counters.packetsSkipped &+= 1
                room.advanceSender(of: position, sent: false)
                continue
            }
            let start = slot &* slotSize
            let length = room.outputLengths[slot]
            let level = room.outputLevels[slot]
            let trailer = profile.rtpTrailerLength
            var sent = false
            send.append(to: destination) { out in
                let written = sender.write(
                    payload: bytes.span.extracting(start..<(start &+ length)),
                    level: level,
                    voiceActivity: level < AudioLevel.silence,
                    into: &out,
                    reserve: trailer
                )
                guard written > 0 else { return 0 }
                do {
                    guard case .accepted(let protected) = try transport.protectRTP(&out, length: written) else {
                        return 0
                    }
                    sent = true
                    return protected
                } catch {
                    counters.add(.protectFailed)
                    return 0
                }
            }
            if sent {
                room.counters.packetsSent &+= 1
            } else {
                room.counters.packetsSkipped &+= 1
            }
            room.advanceSender(of: position, sent: sent)
        }
    }
}
