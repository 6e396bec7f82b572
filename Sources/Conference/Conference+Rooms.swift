extension Conference {
    /// Creates a room (the admin API's `POST /v1/rooms`).
    ///
    /// The room gets the next room number and a worker from the configuration's placement. It is
    /// reported in ``ConferenceEffects/changedPlans`` (its plan has no participants yet, but says
    /// whether to record from the start).
    ///
    /// - Parameters:
    ///   - name: the room's name.
    ///   - settings: its settings; nil takes ``ConferenceConfiguration/defaultRoomSettings``.
    /// - Throws: ``ConferenceError/Code/draining``, ``ConferenceError/Code/alreadyExists``,
    ///   ``ConferenceError/Code/tooManyRooms``, or ``ConferenceError/Code/badRequest`` for settings
    ///   out of range.
    public mutating func createRoom(
        _ name: RoomName,
        settings: RoomSettings? = nil
    ) throws(ConferenceError) -> (room: RoomInfo, effects: ConferenceEffects) {
        let room = try self.addRoom(name, settings: settings ?? self.configuration.defaultRoomSettings, onJoin: false)
        return (room.info(), ConferenceEffects(changedPlans: [name]))
    }

    /// Checks and inserts a room; shared by ``createRoom(_:settings:)`` and create-on-join.
    mutating func addRoom(_ name: RoomName, settings: RoomSettings, onJoin: Bool) throws(ConferenceError) -> RoomState {
        guard !self.isDraining else {
            throw ConferenceError(
                .draining,
                "The server is shutting down and creates no rooms; try again on another server or later."
            )
        }
        guard self.roomStates[name] == nil else {
            throw ConferenceError(
                .alreadyExists,
                "A room called \"\(name)\" exists already; join it, or choose another name."
            )
        }
        guard self.roomStates.count < self.configuration.maxRooms else {
            throw ConferenceError(
                .tooManyRooms,
                "The server hosts \(self.configuration.maxRooms) rooms, its maximum; close a room or try again later."
            )
        }
        try settings.validate()
        let room = RoomState(
            name: name,
            number: self.nextRoomNumber,
            worker: self.placeRoom(name),
            settings: settings,
            createdOnJoin: onJoin,
            recording: settings.recordOnStart,
            recordingFile: nil,
            participants: []
        )
        self.nextRoomNumber += 1
        self.roomStates[name] = room
        return room
    }

    /// The worker for a new room: the configured placement, or the least loaded worker.
    func placeRoom(_ name: RoomName) -> Int {
        var load = self.configuration.workers.indices.map { WorkerLoad(worker: $0, rooms: 0, participants: 0) }
        for room in self.roomStates.values where load.indices.contains(room.worker) {
            load[room.worker].rooms += 1
            load[room.worker].participants += room.participants.count
        }
        if let placement = self.configuration.placement {
            let chosen = placement(name, load)
            if load.indices.contains(chosen) {
                return chosen
            }
        }
        let best = load.min {
            ($0.participants, $0.rooms, $0.worker) < ($1.participants, $1.rooms, $1.worker)
        }
        return best?.worker ?? 0
    }

    /// Closes a room (the admin API's `DELETE /v1/rooms/{name}`): every participant gets
    /// `room_closed` and is listed in ``ConferenceEffects/removedParticipants``; the room is in
    /// ``ConferenceEffects/closedRooms``.
    ///
    /// - Throws: ``ConferenceError/Code/roomNotFound``.
    public mutating func closeRoom(_ name: RoomName) throws(ConferenceError) -> ConferenceEffects {
        guard let room = self.roomStates[name] else {
            throw Self.roomNotFound(name)
        }
        var effects = ConferenceEffects()
        effects.events = self.broadcast(.roomClosed, room: name)
        effects.removedParticipants = room.participants
        effects.closedRooms = [room.closed()]
        for id in room.participants {
            self.participantStates[id] = nil
        }
        self.roomStates[name] = nil
        return effects
    }

    /// Marks a room as recorded and tells its participants (`recording_started`).
    ///
    /// - Parameters:
    ///   - room: the room.
    ///   - file: the recording's file name, for the event, when the caller knows it.
    ///   - participant: who asked, or nil for the admin API; a participant needs the `record` grant
    ///     and must be in the room.
    /// - Throws: ``ConferenceError/Code/roomNotFound``, ``ConferenceError/Code/forbidden``, or
    ///   ``ConferenceError/Code/alreadyExists`` when the room is being recorded already.
    public mutating func startRecording(
        _ room: RoomName,
        file: String? = nil,
        by participant: ParticipantID? = nil
    ) throws(ConferenceError) -> ConferenceEffects {
        try self.checkRecordingRights(room, participant)
        guard let state = self.roomStates[room], !state.recording else {
            throw ConferenceError(
                .alreadyExists,
                "The room \"\(room)\" is being recorded already; stop that recording first."
            )
        }
        let before = self.plans([room])
        self.roomStates[room]?.recording = true
        self.roomStates[room]?.recordingFile = file
        return ConferenceEffects(
            events: self.broadcast(.recordingStarted(file: file), room: room),
            changedPlans: self.changedPlans(before)
        )
    }

    /// Marks a room as not recorded and tells its participants (`recording_stopped`); nothing
    /// happens when it was not being recorded.
    ///
    /// - Throws: ``ConferenceError/Code/roomNotFound`` or ``ConferenceError/Code/forbidden`` (as
    ///   ``startRecording(_:file:by:)``).
    public mutating func stopRecording(
        _ room: RoomName,
        by participant: ParticipantID? = nil
    ) throws(ConferenceError) -> ConferenceEffects {
        try self.checkRecordingRights(room, participant)
        guard let state = self.roomStates[room], state.recording else {
            return ConferenceEffects()
        }
        let before = self.plans([room])
        self.roomStates[room]?.recording = false
        self.roomStates[room]?.recordingFile = nil
        return ConferenceEffects(
            events: self.broadcast(.recordingStopped(file: state.recordingFile), room: room),
            changedPlans: self.changedPlans(before)
        )
    }

    private func checkRecordingRights(_ room: RoomName, _ participant: ParticipantID?) throws(ConferenceError) {
        guard self.roomStates[room] != nil else {
            throw Self.roomNotFound(room)
        }
        guard let participant else {
            return
        }
        guard let state = self.participantStates[participant], state.info.room == room,
            state.info.grants.contains(.record)
        else {
            throw ConferenceError(
                .forbidden,
                "Recording needs the record grant in a token for this room; ask for such a token."
            )
        }
    }

    /// Stops accepting rooms and participants (SIGTERM) and tells every participant (`draining`).
    /// Existing participants may still renegotiate, mute and leave. A second call does nothing.
    public mutating func startDraining() -> ConferenceEffects {
        guard !self.isDraining else {
            return ConferenceEffects()
        }
        self.isDraining = true
        var effects = ConferenceEffects()
        for room in self.roomStates.keys.sorted() {
            effects.events += self.broadcast(.draining, room: room)
        }
        return effects
    }
}
