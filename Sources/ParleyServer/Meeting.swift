import Conference
import Foundation
import Logging
import MediaRelay
import RTCSecurity
import ServiceLifecycle
import Signaling

/// The server's control plane: the ``SignalingBackend`` that joins the rooms and participants of
/// ``Conference`` to the media of ``RelayService``.
///
/// Every signaling call runs on this actor: it asks the conference (a sans-I/O state machine) for
/// the change, sends the events the conference returns to the participants' sessions, and brings
/// the relay in step with the media plans that changed: transports for newly negotiated
/// participants, each worker's routing table rebuilt from the rooms placed on it, mixing plans
/// and recordings. The relay's own events (a transport closed, speakers, recordings) come back
/// through ``run()``.
///
/// Participants, their transports and their routing ids share one number: a participant `p7`
/// has transport 7 and is routing participant 7.
actor Meeting: SignalingBackend {
    private var conference: Conference
    private let relay: RelayService
    private let recordings: String
    private let logger: Logger
    private var sessions: [ParticipantID: any SignalingSession] = [:]
    private var participantOfSession: [UInt64: ParticipantID] = [:]
    /// Participants whose transport the relay holds, by the worker it is on.
    private var transports: [ParticipantID: Int] = [:]
    /// The plan of each room as last given to the relay.
    private var plans: [RoomName: RoomMediaPlan] = [:]
    private var roomOfNumber: [UInt64: RoomName] = [:]
    /// Recordings asked for and not yet reported started, by room number.
    private var pendingRecordings: [UInt64: PendingRecording] = [:]
    /// Numbers the pending recordings, so a late timeout cannot end a newer request.
    private var recordingRequests: UInt64 = 0
    /// How long a recording request waits for the relay to report the file open.
    private let recordingStartTimeout: Duration
    /// The file each recording room writes to.
    private var recordingFiles: [UInt64: String] = [:]

    /// A recording request waiting for the relay: its continuation and the timer that ends it.
    private struct PendingRecording {
        let request: UInt64
        let continuation: CheckedContinuation<String, any Error>
        let timer: Task<Void, Never>
    }

    /// - Parameter recordingStartTimeout: How long starting a recording waits for the relay to
    ///   report the file open before it fails (`internal`) and the room stops recording.
    init(
        conference: Conference,
        relay: RelayService,
        recordings: String,
        logger: Logger,
        recordingStartTimeout: Duration = .seconds(5)
    ) {
        self.conference = conference
        self.relay = relay
        self.recordings = recordings
        self.logger = logger
        self.recordingStartTimeout = recordingStartTimeout
    }

    // MARK: - Participants

    func join(_ request: JoinRequest, session: any SignalingSession) async throws(SignalingError) -> JoinedPayload {
        guard self.participantOfSession[session.id] == nil else {
            throw SignalingError(
                .alreadyJoined,
                "This connection has joined already; open a new connection to join again."
            )
        }
        let result: JoinResult
        do {
            let room = try RoomName(request.claims.room)
            result = try self.conference.join(
                room: room,
                identity: request.claims.identity,
                name: request.displayName,
                grants: Grants(protocolNames: request.claims.grants.map(\.rawValue))
            )
        } catch {
            throw Self.signalingError(error)
        }
        let id = result.participant.id
        self.sessions[id] = session
        self.participantOfSession[session.id] = id
        self.logger.info(
            "participant joined",
            metadata: [
                "participant": "\(id)", "identity": "\(result.participant.identity)", "room": "\(result.room.name)",
            ]
        )
        self.apply(result.effects)
        return JoinedPayload(
            participant: Self.info(result.participant),
            room: Signaling.RoomInfo(
                name: result.room.name.rawValue,
                audioMode: Self.audioMode(result.room.settings.audioMode),
                recording: result.room.recording
            ),
            participants: result.participants.map(Self.info),
            tracks: result.tracks.map(Self.info)
        )
    }

    func offer(sdp: String, session: any SignalingSession) async throws(SignalingError) -> String {
        let id = try self.participant(of: session)
        do {
            let result = try self.conference.negotiate(id, offer: sdp)
            self.apply(result.effects)
            return result.answer
        } catch {
            throw Self.signalingError(error)
        }
    }

    func candidate(_ candidate: CandidateInfo, session: any SignalingSession) async throws(SignalingError) {
        // ICE-lite learns the client's address from its authenticated Binding requests; a trickled
        // candidate needs no action once signaling checked its syntax.
        _ = try self.participant(of: session)
    }

    func mute(kind: Signaling.TrackKind, muted: Bool, session: any SignalingSession) async throws(SignalingError) {
        let id = try self.participant(of: session)
        do {
            self.apply(
                try self.conference.setMuted(
                    id,
                    kind: kind == .audio ? ConferenceTrackKind.audio : .video,
                    muted: muted
                )
            )
        } catch {
            throw Self.signalingError(error)
        }
    }

    func startRecording(session: any SignalingSession) async throws(SignalingError) {
        let id = try self.participant(of: session)
        guard let room = self.conference.participant(id)?.room else {
            throw SignalingError(.notJoined, "Join a room first.")
        }
        _ = try await self.record(room, by: id)
    }

    func stopRecording(session: any SignalingSession) async throws(SignalingError) {
        let id = try self.participant(of: session)
        guard let room = self.conference.participant(id)?.room else {
            throw SignalingError(.notJoined, "Join a room first.")
        }
        do {
            self.apply(try self.conference.stopRecording(room, by: id))
        } catch {
            throw Self.signalingError(error)
        }
    }

    func leave(session: any SignalingSession, reason: Signaling.LeaveReason) async {
        guard let id = self.participantOfSession.removeValue(forKey: session.id) else { return }
        self.sessions[id] = nil
        let conferenceReason = ConferenceLeaveReason(rawValue: reason.rawValue) ?? .disconnected
        do {
            self.apply(try self.conference.leave(id, reason: conferenceReason))
        } catch {
            // Removed already (by the admin API, a closed room or a relay timeout).
        }
        self.forgetTransport(of: id)
        self.logger.info("participant left", metadata: ["participant": "\(id)", "reason": "\(reason)"])
    }

    // MARK: - Admin

    func listRooms() async throws(SignalingError) -> [RoomSummary] {
        self.conference.rooms().map(Self.summary)
    }

    func createRoom(_ request: CreateRoomRequest) async throws(SignalingError) -> RoomSummary {
        do throws(ConferenceError) {
            let name = try RoomName(request.name)
            let defaults = self.conference.configuration.defaultRoomSettings
            let settings = RoomSettings(
                audioMode: request.audioMode.map { ConferenceAudioMode(rawValue: $0.rawValue) ?? .forwarded }
                    ?? defaults.audioMode,
                maxParticipants: request.maxParticipants ?? defaults.maxParticipants,
                speakers: request.speakers ?? defaults.speakers,
                recordOnStart: request.record ?? false
            )
            try settings.validate()
            let (room, effects) = try self.conference.createRoom(name, settings: settings)
            self.apply(effects)
            if settings.recordOnStart {
                _ = try? await self.record(name, by: nil)
            }
            return Self.summary(self.conference.room(name) ?? room)
        } catch {
            throw Self.signalingError(error)
        }
    }

    func closeRoom(name: String) async throws(SignalingError) {
        do {
            self.apply(try self.conference.closeRoom(try RoomName(name)))
        } catch {
            throw Self.signalingError(error)
        }
    }

    func listParticipants(room: String) async throws(SignalingError) -> [Signaling.ParticipantInfo] {
        do {
            return try self.conference.participants(of: try RoomName(room)).map(Self.info)
        } catch {
            throw Self.signalingError(error)
        }
    }

    func removeParticipant(room: String, participantId: String) async throws(SignalingError) {
        guard let id = ParticipantID(protocolValue: participantId),
            let participant = self.conference.participant(id),
            participant.room.rawValue == room
        else {
            throw SignalingError(
                .notFound,
                "No participant \(participantId) in room \(room); list the room's participants first."
            )
        }
        do {
            self.apply(try self.conference.leave(id, reason: .removed))
        } catch {
            throw Self.signalingError(error)
        }
        self.disconnect(id, reason: "removed by an administrator")
    }

    func startRecording(room: String) async throws(SignalingError) -> String {
        do {
            return try await self.record(try RoomName(room), by: nil)
        } catch let error as SignalingError {
            throw error
        } catch let error as ConferenceError {
            throw Self.signalingError(error)
        } catch {
            throw SignalingError(.internal, "\(error)")
        }
    }

    func stopRecording(room: String) async throws(SignalingError) {
        do throws(ConferenceError) {
            let name = try RoomName(room)
            guard self.conference.room(name)?.recording == true else {
                throw ConferenceError(.roomNotFound, "The room \(room) is not being recorded.")
            }
            self.apply(try self.conference.stopRecording(name))
        } catch {
            throw Self.signalingError(error)
        }
    }

    func listRecordings() async throws(SignalingError) -> [RecordingInfo] {
        let directory = URL(fileURLWithPath: self.recordings, isDirectory: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".opus") }.sorted().map { file in
            let attributes = try? FileManager.default.attributesOfItem(
                atPath: directory.appendingPathComponent(file).path
            )
            let bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            return RecordingInfo(file: file, room: Self.room(ofFile: file), bytes: bytes)
        }
    }

    var isDraining: Bool {
        self.conference.isDraining
    }

    // MARK: - Drain

    /// Refuses new joins and tells every participant the server is shutting down.
    func startDraining() {
        self.apply(self.conference.startDraining())
    }

    /// How many participants are still in a room.
    var participantCount: Int {
        self.sessions.count
    }

    /// The size of every table, for tests that check nothing is kept after everyone left.
    var tableSizes: MeetingTableSizes {
        var participants = 0
        for room in self.conference.rooms() {
            participants += room.participantCount
        }
        return MeetingTableSizes(
            rooms: self.conference.rooms().count,
            participants: participants,
            sessions: self.sessions.count,
            participantsOfSessions: self.participantOfSession.count,
            transports: self.transports.count,
            plans: self.plans.count,
            roomNumbers: self.roomOfNumber.count,
            pendingRecordings: self.pendingRecordings.count,
            recordingFiles: self.recordingFiles.count
        )
    }

    /// Closes every room (recordings end with their EOS page) and every session.
    func closeAll() {
        for room in self.conference.rooms() {
            if let effects = try? self.conference.closeRoom(room.name) {
                self.apply(effects)
            }
        }
    }

    // MARK: - Relay events

    /// Consumes the relay's events until the stream ends (the relay stopped) or the task is
    /// cancelled.
    func consume(_ events: AsyncStream<RelayEvent>) async {
        for await event in events {
            self.handle(event)
        }
    }

    private func handle(_ event: RelayEvent) {
        switch event {
        case .transportConnected(let transport):
            self.logger.info("media connected", metadata: ["participant": "p\(transport.rawValue)"])
        case .transportClosed(let transport, let reason):
            let id = ParticipantID(rawValue: transport.rawValue)
            guard self.transports.removeValue(forKey: id) != nil else { return }
            guard self.conference.participant(id) != nil else { return }
            self.logger.notice("media closed", metadata: ["participant": "\(id)", "reason": "\(reason)"])
            if let effects = try? self.conference.leave(id, reason: .timeout) {
                self.apply(effects)
            }
            self.disconnect(id, reason: "the media connection closed (\(reason))")
        case .activeSpeakers(let room, let speakers):
            guard let name = self.roomOfNumber[room.rawValue],
                let participants = try? self.conference.participants(of: name)
            else { return }
            let event = SignalingEvent.activeSpeakers(participantIds: speakers.map { "p\($0.rawValue)" })
            for participant in participants {
                self.sessions[participant.id]?.send(event)
            }
        case .recordingStarted(let room, let path):
            self.recordingFiles[room.rawValue] = path
            self.finishPendingRecording(room.rawValue, with: .success(path))
            self.logger.info("recording started", metadata: ["room": "\(room)", "file": "\(path)"])
        case .recordingStopped(let room, let path):
            self.recordingFiles[room.rawValue] = nil
            self.logger.info("recording stopped", metadata: ["room": "\(room)", "file": "\(path)"])
        case .recordingFailed(let room, let error):
            self.recordingFiles[room.rawValue] = nil
            self.logger.error("recording failed", metadata: ["room": "\(room)", "error": "\(error)"])
            self.finishPendingRecording(
                room.rawValue,
                with: .failure(SignalingError(.internal, "The recording could not start: \(error.message)"))
            )
            if let name = self.roomOfNumber[room.rawValue], let effects = try? self.conference.stopRecording(name) {
                self.apply(effects)
            }
        }
    }

    // MARK: - Bringing the relay in step

    private func record(_ room: RoomName, by participant: ParticipantID?) async throws(SignalingError) -> String {
        let effects: ConferenceEffects
        do {
            effects = try self.conference.startRecording(room, by: participant)
        } catch {
            throw Self.signalingError(error)
        }
        guard let number = self.conference.room(room)?.number else {
            throw SignalingError(.roomNotFound, "The room \(room) does not exist.")
        }
        do {
            // The relay names the file (room and start time) and reports it when it is open.
            self.recordingRequests &+= 1
            let request = self.recordingRequests
            let timeout = self.recordingStartTimeout
            let path = try await withCheckedThrowingContinuation { continuation in
                // A relay that never reports (a stuck worker, a lost event) must not hold the
                // caller, its WebSocket message or the admin request forever.
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    self.recordingTimedOut(number, room: room, request: request)
                }
                self.pendingRecordings[number] = PendingRecording(
                    request: request,
                    continuation: continuation,
                    timer: timer
                )
                self.apply(effects)
            }
            let file = URL(fileURLWithPath: path).lastPathComponent
            for participant in (try? self.conference.participants(of: room)) ?? [] {
                self.sessions[participant.id]?.send(.recordingStarted(file: file))
            }
            return file
        } catch let error as SignalingError {
            throw error
        } catch {
            throw SignalingError(.internal, "The recording could not start: \(error)")
        }
    }

    /// Ends the recording request waiting on room `number`, if one is, and stops its timer.
    private func finishPendingRecording(_ number: UInt64, with result: Result<String, SignalingError>) {
        guard let pending = self.pendingRecordings.removeValue(forKey: number) else { return }
        pending.timer.cancel()
        switch result {
        case .success(let path): pending.continuation.resume(returning: path)
        case .failure(let error): pending.continuation.resume(throwing: error)
        }
    }

    /// The relay did not report request `request` on room `number` in time: it fails, and the
    /// room stops recording (a file the relay opens later is closed again).
    private func recordingTimedOut(_ number: UInt64, room: RoomName, request: UInt64) {
        guard self.pendingRecordings[number]?.request == request else { return }
        let seconds = self.recordingStartTimeout.components.seconds
        self.logger.error("recording did not start in time", metadata: ["room": "\(room)", "seconds": "\(seconds)"])
        self.finishPendingRecording(
            number,
            with: .failure(
                SignalingError(
                    .internal,
                    "The recording did not start within \(seconds) s (the media relay did not open the file); check the server's log and the recording directory, then try again."
                )
            )
        )
        if let effects = try? self.conference.stopRecording(room) {
            self.apply(effects)
        }
    }

    /// Sends the effects' events and applies their media changes to the relay.
    private func apply(_ effects: ConferenceEffects) {
        for delivery in effects.events {
            guard let session = self.sessions[delivery.recipient] else { continue }
            switch delivery.event {
            case .recordingStarted:
                // Sent by record(_:by:) once the relay reports the file.
                continue
            case .roomClosed:
                session.send(.roomClosed)
                self.participantOfSession[session.id] = nil
                self.sessions[delivery.recipient] = nil
                session.close(code: .normal, reason: "the room was closed")
            default:
                if let event = Self.event(delivery.event) {
                    session.send(event)
                }
            }
        }
        for removed in effects.removedParticipants {
            self.forgetTransport(of: removed)
        }
        for closed in effects.closedRooms {
            let room = RelayRoomID(rawValue: closed.number)
            if closed.wasRecording {
                self.submit(.stopRecording(room), worker: closed.worker)
            }
            self.submit(.closeRoom(room), worker: closed.worker)
            self.plans[closed.name] = nil
            self.roomOfNumber[closed.number] = nil
            self.installRouting(worker: closed.worker)
        }
        var workers: Set<Int> = []
        for room in effects.changedPlans {
            if let worker = self.sync(room) {
                workers.insert(worker)
            }
        }
        for worker in workers.sorted() {
            self.installRouting(worker: worker)
        }
    }

    /// Brings the relay in step with one room's plan; returns the worker whose routing changed.
    private func sync(_ room: RoomName) -> Int? {
        guard let plan = self.conference.mediaPlan(for: room) else {
            return self.plans.removeValue(forKey: room)?.worker
        }
        let previous = self.plans[room]
        self.plans[room] = plan
        self.roomOfNumber[plan.room] = room
        let relayRoom = RelayRoomID(rawValue: plan.room)
        for participant in plan.participants where self.transports[participant.participant] == nil {
            guard !participant.remoteUfrag.isEmpty else { continue }  // not negotiated yet
            let transport = TransportID(participant.participant.rawValue)
            do {
                try self.relay.addTransport(
                    transport,
                    credentials: ICECredentials(
                        transport: transport,
                        localUfrag: participant.localUfrag,
                        localPassword: participant.localPassword,
                        remoteUfrag: participant.remoteUfrag
                    ),
                    fingerprints: participant.remoteFingerprints,
                    participant: RoutingParticipantID(rawValue: participant.participant.rawValue),
                    onWorker: plan.worker
                )
                self.transports[participant.participant] = plan.worker
            } catch {
                self.logger.error(
                    "the relay refused a transport",
                    metadata: ["participant": "\(participant.participant)", "error": "\(error)"]
                )
            }
        }
        let audio = Self.audioPlan(plan)
        if plan.audioMode.mixes || plan.recording {
            if previous.map(Self.audioPlan) != audio || previous?.recording != plan.recording {
                self.submit(.configureRoom(relayRoom, audio), worker: plan.worker)
            }
        } else if previous.map({ $0.audioMode.mixes || $0.recording }) == true {
            self.submit(.closeRoom(relayRoom), worker: plan.worker)
        }
        if plan.recording, previous?.recording != true {
            let started = self.submit(
                .startRecording(relayRoom, name: room.rawValue, directory: self.recordings),
                worker: plan.worker
            )
            if !started {
                self.finishPendingRecording(
                    plan.room,
                    with: .failure(
                        SignalingError(
                            .internal,
                            "The relay is overloaded and could not start the recording; try again."
                        )
                    )
                )
            }
        } else if !plan.recording, previous?.recording == true {
            self.submit(.stopRecording(relayRoom), worker: plan.worker)
            if let path = self.recordingFiles[plan.room] {
                let file = URL(fileURLWithPath: path).lastPathComponent
                for participant in plan.participants {
                    self.sessions[participant.participant]?.send(.recordingStopped(file: file))
                }
            }
        }
        return plan.worker
    }

    /// Rebuilds one worker's routing table from every room placed on it.
    private func installRouting(worker: Int) {
        var tracks: [PublishedTrack] = []
        var subscriptions: [TrackSubscription] = []
        for plan in self.plans.values where plan.worker == worker {
            for participant in plan.participants {
                let publisher = RoutingParticipantID(rawValue: participant.participant.rawValue)
                for track in participant.published {
                    tracks.append(
                        PublishedTrack(
                            id: RoutingTrackID(rawValue: track.track.rawValue),
                            publisher: publisher,
                            kind: track.kind == .audio ? .audio : .video,
                            mediaSSRC: track.mediaSSRC,
                            rtxSSRC: track.rtxSSRC,
                            payloadTypes: track.payloadTypes,
                            headerExtensionIDs: track.headerExtensions.values.sorted(),
                            clockRate: track.clockRate,
                            transportSequenceNumberExtensionID: track.headerExtensions[Self.transportWideCCURI] ?? 0
                        )
                    )
                }
                for subscription in participant.subscriptions {
                    subscriptions.append(
                        TrackSubscription(
                            subscriber: publisher,
                            track: RoutingTrackID(rawValue: subscription.track.rawValue),
                            mediaSSRC: subscription.mediaSSRC,
                            rtxSSRC: subscription.rtxSSRC,
                            payloadTypes: subscription.payloadTypes,
                            headerExtensions: subscription.headerExtensions
                        )
                    )
                }
            }
        }
        do {
            let table = try RoutingTable(tracks: tracks, subscriptions: subscriptions)
            try self.relay.installRouting(table, onWorker: worker)
        } catch {
            self.logger.error("the routing table was refused", metadata: ["worker": "\(worker)", "error": "\(error)"])
        }
    }

    @discardableResult
    private func submit(_ command: RelayCore.Command, worker: Int) -> Bool {
        do {
            try self.relay.submit(command, toWorker: worker)
            return true
        } catch {
            self.logger.error("the relay refused a command", metadata: ["worker": "\(worker)", "error": "\(error)"])
            return false
        }
    }

    private func forgetTransport(of participant: ParticipantID) {
        guard self.transports.removeValue(forKey: participant) != nil else { return }
        do {
            try self.relay.removeTransport(TransportID(participant.rawValue))
        } catch {
            self.logger.error(
                "the relay refused a removal",
                metadata: ["participant": "\(participant)", "error": "\(error)"]
            )
        }
    }

    private func disconnect(_ participant: ParticipantID, reason: String) {
        guard let session = self.sessions.removeValue(forKey: participant) else { return }
        self.participantOfSession[session.id] = nil
        session.close(code: .normal, reason: reason)
    }

    private func participant(of session: any SignalingSession) throws(SignalingError) -> ParticipantID {
        guard let id = self.participantOfSession[session.id] else {
            throw SignalingError(.notJoined, "Send a join message with a token first.")
        }
        return id
    }

    // MARK: - Translations

    private static func audioPlan(_ plan: RoomMediaPlan) -> RelayRoomAudioPlan {
        let mode: RelayRoomAudioPlan.Mode =
            switch plan.audioMode {
            case .mixed: .mixed
            case .both: .both
            case .forwarded: plan.recording ? .both : .forwarded
            }
        return RelayRoomAudioPlan(
            mode: mode,
            speakers: plan.speakers,
            participants: plan.participants.map { participant in
                let audio = participant.published.first { $0.kind == .audio }
                return RelayRoomAudioPlan.Participant(
                    participant: RoutingParticipantID(rawValue: participant.participant.rawValue),
                    inbound: audio.map { track in
                        RelayRoomAudioPlan.InboundAudio(
                            ssrc: track.mediaSSRC,
                            payloadType: track.payloadTypes.first ?? 111,
                            clockRate: track.clockRate,
                            audioLevelExtensionID: track.headerExtensions[Self.audioLevelURI] ?? 0
                        )
                    },
                    mix: participant.mix.map { mix in
                        RelayRoomAudioPlan.MixStream(
                            ssrc: mix.ssrc,
                            payloadType: mix.payloadType,
                            audioLevelExtensionID: mix.audioLevelExtensionID ?? 0
                        )
                    }
                )
            }
        )
    }

    static let audioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    static let transportWideCCURI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    private static func signalingError(_ error: ConferenceError) -> SignalingError {
        let code: SignalingError.Code =
            switch error.code {
            case .alreadyExists: .conflict
            case .tooManyRooms: .roomFull
            case .participantNotFound: .notFound
            default: SignalingError.Code(error.code.description)
            }
        return SignalingError(code, error.message)
    }

    private static func info(_ participant: ConferenceParticipantInfo) -> Signaling.ParticipantInfo {
        Signaling.ParticipantInfo(
            id: participant.id.description,
            identity: participant.identity,
            name: participant.name
        )
    }

    private static func info(_ track: ConferenceTrackInfo) -> Signaling.TrackInfo {
        Signaling.TrackInfo(
            id: track.id.description,
            participantId: track.participant.description,
            kind: track.kind == .audio ? .audio : .video,
            muted: track.muted
        )
    }

    private static func audioMode(_ mode: ConferenceAudioMode) -> Signaling.AudioMode {
        Signaling.AudioMode(rawValue: mode.rawValue) ?? .forwarded
    }

    private static func summary(_ room: ConferenceRoomInfo) -> RoomSummary {
        RoomSummary(
            name: room.name.rawValue,
            audioMode: Self.audioMode(room.settings.audioMode),
            participants: room.participantCount,
            recording: room.recording
        )
    }

    /// The room of a recording file named `ROOM-yyyyMMdd-HHmmss.opus` or
    /// `ROOM-yyyyMMdd-HHmmss-N.opus` (``RecordingFileName``); room names may hold '-' themselves.
    static func room(ofFile file: String) -> String {
        let stem = file.hasSuffix(".opus") ? String(file.dropLast(5)) : file
        var parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        func isDigits(_ part: Substring?, count: ClosedRange<Int>) -> Bool {
            guard let part else { return false }
            return count.contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
        }
        if parts.count >= 4, isDigits(parts.last, count: 1...3), isDigits(parts[parts.count - 2], count: 6...6) {
            parts.removeLast()
        }
        guard parts.count >= 3, isDigits(parts.last, count: 6...6), isDigits(parts[parts.count - 2], count: 8...8)
        else {
            return stem
        }
        return parts.dropLast(2).joined(separator: "-")
    }

    private static func event(_ event: ConferenceEvent) -> SignalingEvent? {
        switch event {
        case .participantJoined(let participant):
            return .participantJoined(Self.info(participant))
        case .participantLeft(let id, let reason):
            return .participantLeft(participantId: id.description, reason: Signaling.LeaveReason(reason.rawValue))
        case .tracks(let tracks):
            return .tracks(tracks.map(Self.info))
        case .trackMuted(let track, let muted):
            return .trackMuted(trackId: track.description, muted: muted)
        case .recordingStarted(let file):
            return file.map { .recordingStarted(file: $0) }
        case .recordingStopped(let file):
            return file.map { .recordingStopped(file: $0) }
        case .roomClosed:
            return .roomClosed
        case .draining:
            return .draining
        }
    }
}
