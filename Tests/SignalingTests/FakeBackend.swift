import Signaling

/// A backend for the endpoint tests: records every call, answers from simple in-memory state and
/// can be told to fail.
actor FakeBackend: SignalingBackend {
    struct Joined {
        let request: JoinRequest
        let session: any SignalingSession
        let participant: ParticipantInfo
    }

    private(set) var joins: [JoinRequest] = []
    private(set) var leaves: [(session: UInt64, reason: LeaveReason)] = []
    private(set) var offers: [String] = []
    private(set) var candidates: [CandidateInfo] = []
    private(set) var mutes: [(TrackKind, Bool)] = []
    private(set) var recordingCalls = 0
    private(set) var participants: [UInt64: Joined] = [:]
    private(set) var rooms: [String: RoomSummary] = [:]
    private(set) var removed: [(String, String)] = []

    var draining = false
    var joinError: SignalingError?
    /// Pushed to the muting session on every `mute`, to flood a client that does not read.
    var floodOnMute = 0
    private var nextParticipant = 1

    func setDraining(_ value: Bool) { self.draining = value }
    func setJoinError(_ error: SignalingError?) { self.joinError = error }
    func setFloodOnMute(_ count: Int) { self.floodOnMute = count }
    func addRoom(_ name: String) {
        self.rooms[name] = RoomSummary(name: name, audioMode: .forwarded, participants: 0, recording: false)
    }

    func session(of participantId: String) -> (any SignalingSession)? {
        self.participants.values.first { $0.participant.id == participantId }?.session
    }

    var isDraining: Bool { self.draining }

    func join(_ request: JoinRequest, session: any SignalingSession) async throws(SignalingError) -> JoinedPayload {
        self.joins.append(request)
        if let error = self.joinError { throw error }
        let room = request.claims.room
        if self.rooms[room] == nil {
            guard request.claims.has(.create) else {
                throw SignalingError(.roomNotFound, "No room \"\(room)\".")
            }
            self.addRoom(room)
        }
        let participant = ParticipantInfo(
            id: "p\(self.nextParticipant)",
            identity: request.claims.identity,
            name: request.displayName
        )
        self.nextParticipant += 1
        let others = self.participants.values.filter { $0.request.claims.room == room }
        for other in others {
            other.session.send(.participantJoined(participant))
        }
        self.participants[session.id] = Joined(request: request, session: session, participant: participant)
        return JoinedPayload(
            participant: participant,
            room: RoomInfo(name: room, audioMode: .forwarded, recording: false),
            participants: others.map(\.participant),
            tracks: others.map {
                TrackInfo(id: "t-\($0.participant.id)", participantId: $0.participant.id, kind: .audio, muted: false)
            }
        )
    }

    func offer(sdp: String, session: any SignalingSession) async throws(SignalingError) -> String {
        guard let joined = self.participants[session.id] else { throw SignalingError(.notJoined, "unknown session") }
        guard sdp.hasPrefix("v=0") else { throw SignalingError(.badOffer, "The offer is not SDP.") }
        if sdp.contains("a=sendrecv"), !joined.request.claims.has(.publish) {
            throw SignalingError(.forbidden, "Your token has no publish grant.")
        }
        self.offers.append(sdp)
        return "v=0\r\ns=answer\r\n"
    }

    func candidate(_ candidate: CandidateInfo, session: any SignalingSession) async throws(SignalingError) {
        self.candidates.append(candidate)
    }

    func mute(kind: TrackKind, muted: Bool, session: any SignalingSession) async throws(SignalingError) {
        self.mutes.append((kind, muted))
        for (id, other) in self.participants where id != session.id {
            other.session.send(
                .trackMuted(trackId: "t-\(self.participants[session.id]?.participant.id ?? "?")", muted: muted)
            )
        }
        for _ in 0..<self.floodOnMute {
            session.send(.activeSpeakers(participantIds: ["p1", "p2", "p3"]))
        }
    }

    func startRecording(session: any SignalingSession) async throws(SignalingError) {
        guard let joined = self.participants[session.id], joined.request.claims.has(.record) else {
            throw SignalingError(.forbidden, "Recording needs the record grant.")
        }
        self.recordingCalls += 1
        session.send(.recordingStarted(file: "\(joined.request.claims.room).opus"))
    }

    func stopRecording(session: any SignalingSession) async throws(SignalingError) {
        guard let joined = self.participants[session.id], joined.request.claims.has(.record) else {
            throw SignalingError(.forbidden, "Recording needs the record grant.")
        }
        self.recordingCalls += 1
        session.send(.recordingStopped(file: "\(joined.request.claims.room).opus"))
    }

    func leave(session: any SignalingSession, reason: LeaveReason) async {
        self.leaves.append((session.id, reason))
        if let gone = self.participants.removeValue(forKey: session.id) {
            for other in self.participants.values where other.request.claims.room == gone.request.claims.room {
                other.session.send(.participantLeft(participantId: gone.participant.id, reason: reason))
            }
        }
    }

    func listRooms() async throws(SignalingError) -> [RoomSummary] {
        self.rooms.values.sorted { $0.name < $1.name }
    }

    func createRoom(_ request: CreateRoomRequest) async throws(SignalingError) -> RoomSummary {
        if self.draining { throw SignalingError(.draining, "Draining.") }
        guard self.rooms[request.name] == nil else { throw SignalingError(.conflict, "The room exists.") }
        let room = RoomSummary(
            name: request.name,
            audioMode: request.audioMode ?? .forwarded,
            participants: 0,
            recording: request.record ?? false
        )
        self.rooms[request.name] = room
        return room
    }

    func closeRoom(name: String) async throws(SignalingError) {
        guard self.rooms.removeValue(forKey: name) != nil else {
            throw SignalingError(.roomNotFound, "No room \"\(name)\".")
        }
        for joined in self.participants.values where joined.request.claims.room == name {
            joined.session.send(.roomClosed)
            joined.session.close(code: .normal, reason: "room closed")
        }
    }

    func listParticipants(room: String) async throws(SignalingError) -> [ParticipantInfo] {
        guard self.rooms[room] != nil else { throw SignalingError(.roomNotFound, "No room \"\(room)\".") }
        return self.participants.values.filter { $0.request.claims.room == room }.map(\.participant).sorted {
            $0.id < $1.id
        }
    }

    func removeParticipant(room: String, participantId: String) async throws(SignalingError) {
        guard self.rooms[room] != nil else { throw SignalingError(.roomNotFound, "No room \"\(room)\".") }
        guard let session = self.session(of: participantId) else { throw SignalingError(.notFound, "No participant.") }
        self.removed.append((room, participantId))
        session.close(code: .normal, reason: "removed")
    }

    func startRecording(room: String) async throws(SignalingError) -> String {
        guard var summary = self.rooms[room] else { throw SignalingError(.roomNotFound, "No room \"\(room)\".") }
        guard !summary.recording else { throw SignalingError(.conflict, "Already recording.") }
        summary.recording = true
        self.rooms[room] = summary
        return "\(room)-1.opus"
    }

    func stopRecording(room: String) async throws(SignalingError) {
        guard var summary = self.rooms[room] else { throw SignalingError(.roomNotFound, "No room \"\(room)\".") }
        guard summary.recording else { throw SignalingError(.conflict, "Not recording.") }
        summary.recording = false
        self.rooms[room] = summary
    }

    func listRecordings() async throws(SignalingError) -> [RecordingInfo] {
        [RecordingInfo(file: "a-1.opus", room: "a", bytes: 1234)]
    }
}
