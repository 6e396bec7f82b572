extension Conference {
    /// The longest identity or display name accepted, in UTF-8 bytes.
    public static let maximumNameLength = 256

    /// Adds a participant to a room, creating the room with the default settings when it does not
    /// exist and `grants` has `create`.
    ///
    /// The participant has no media until its first ``negotiate(_:offer:)``. The others get
    /// `participant_joined`. The same identity may join more than once (two tabs): each join is a
    /// new participant.
    ///
    /// - Parameters:
    ///   - room: the room of the token.
    ///   - identity: the token's subject (1-256 bytes).
    ///   - name: the display name; nil or empty uses the identity (at most 256 bytes).
    ///   - grants: the token's grants.
    /// - Throws: ``ConferenceError/Code/draining``, ``ConferenceError/Code/forbidden`` (no `join`
    ///   grant), ``ConferenceError/Code/roomNotFound`` (no such room and no `create` grant),
    ///   ``ConferenceError/Code/roomFull``, ``ConferenceError/Code/tooManyRooms``, or
    ///   ``ConferenceError/Code/badRequest`` for an empty or overlong identity or name.
    public mutating func join(
        room: RoomName,
        identity: String,
        name: String? = nil,
        grants: Grants
    ) throws(ConferenceError) -> JoinResult {
        guard !self.isDraining else {
            throw ConferenceError(
                .draining,
                "The server is shutting down and accepts no new participants; try again later."
            )
        }
        guard grants.contains(.join) else {
            throw ConferenceError(
                .forbidden,
                "The token has no join grant; ask for a token with the join grant for this room."
            )
        }
        guard !identity.isEmpty, identity.utf8.count <= Self.maximumNameLength else {
            throw ConferenceError(
                .badRequest,
                "The identity must be 1 to \(Self.maximumNameLength) bytes long; fix the token's sub claim."
            )
        }
        let displayName = (name?.isEmpty ?? true) ? identity : name ?? identity
        guard displayName.utf8.count <= Self.maximumNameLength else {
            throw ConferenceError(
                .badRequest,
                "The name is longer than \(Self.maximumNameLength) bytes; choose a shorter name."
            )
        }
        var effects = ConferenceEffects()
        if let existing = self.roomStates[room] {
            guard existing.participants.count < existing.settings.maxParticipants else {
                throw ConferenceError(
                    .roomFull,
                    "The room \"\(room)\" has \(existing.settings.maxParticipants) participants, its maximum; "
                        + "try again when someone leaves."
                )
            }
        } else {
            guard grants.contains(.create) else {
                throw Self.roomNotFound(room)
            }
            _ = try self.addRoom(room, settings: self.configuration.defaultRoomSettings, onJoin: true)
            effects.changedPlans = [room]
        }

        let id = ParticipantID(rawValue: self.nextParticipant)
        self.nextParticipant += 1
        let info = ParticipantInfo(id: id, identity: identity, name: displayName, grants: grants, room: room)
        let others = (try? self.participants(of: room)) ?? []
        let tracks = self.tracks(of: room)
        effects.events = self.broadcast(.participantJoined(info), room: room)
        self.participantStates[id] = ParticipantState(info: info)
        self.roomStates[room]?.participants.append(id)
        guard let roomInfo = self.room(room) else {
            // Unreachable: the room was found or created above.
            throw ConferenceError(.internal, "The room vanished while joining; try again.")
        }
        return JoinResult(participant: info, room: roomInfo, participants: others, tracks: tracks, effects: effects)
    }

    /// Removes a participant: the others get `participant_left` (and `tracks` when it published),
    /// its media leaves the room's plan, and a room created by a join closes when it empties.
    ///
    /// - Parameters:
    ///   - participant: who leaves.
    ///   - reason: why; with ``LeaveReason/removed`` the participant is also listed in
    ///     ``ConferenceEffects/removedParticipants`` so its connection gets closed.
    /// - Throws: ``ConferenceError/Code/participantNotFound``.
    public mutating func leave(
        _ participant: ParticipantID,
        reason: LeaveReason = .left
    ) throws(ConferenceError) -> ConferenceEffects {
        guard let state = self.participantStates[participant] else {
            throw Self.participantNotFound(participant)
        }
        let room = state.info.room
        let before = self.plans([room])
        let published = !state.tracks().isEmpty
        self.participantStates[participant] = nil
        self.roomStates[room]?.participants.removeAll { $0 == participant }

        var effects = ConferenceEffects()
        effects.events = self.broadcast(.participantLeft(participant, reason: reason), room: room)
        if published {
            effects.events += self.tracksEvents(room: room)
        }
        if reason == .removed || reason == .roomClosed {
            effects.removedParticipants = [participant]
        }
        if let roomState = self.roomStates[room], roomState.createdOnJoin, roomState.participants.isEmpty {
            self.roomStates[room] = nil
            effects.closedRooms = [roomState.closed()]
        } else {
            effects.changedPlans = self.changedPlans(before)
        }
        return effects
    }

    /// Mutes or unmutes all of a participant's tracks of one kind (and those it publishes later);
    /// the others get `track_muted` for each track whose state changed.
    ///
    /// - Throws: ``ConferenceError/Code/participantNotFound``.
    public mutating func setMuted(
        _ participant: ParticipantID,
        kind: TrackKind,
        muted: Bool
    ) throws(ConferenceError) -> ConferenceEffects {
        guard var state = self.participantStates[participant] else {
            throw Self.participantNotFound(participant)
        }
        guard state.isMuted(kind) != muted else {
            return ConferenceEffects()
        }
        switch kind {
        case .audio: state.mutedAudio = muted
        case .video: state.mutedVideo = muted
        }
        self.participantStates[participant] = state
        var effects = ConferenceEffects()
        for track in state.tracks() where track.kind == kind {
            effects.events += self.broadcast(
                .trackMuted(track.id, muted: muted),
                room: state.info.room,
                except: participant
            )
        }
        return effects
    }
}
