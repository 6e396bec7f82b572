import Conference
import RTCWire
import Testing

/// Rooms and participants: grants, limits, create-on-join, draining, closing, muting, recording,
/// placement.
@Suite("Conference rooms")
struct RoomTests {
    @Test func joinWithoutJoinGrantIsForbiddenAndChangesNothing() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        _ = try conference.createRoom(room)
        let before = ConferenceSnapshot(conference)
        expectConferenceError(.forbidden) { () throws(ConferenceError) in
            _ = try conference.join(room: room, identity: "x", grants: [.publish, .subscribe, .create])
        }
        #expect(ConferenceSnapshot(conference) == before)
    }

    @Test func joinWithoutCreateGrantNeedsAnExistingRoom() throws {
        var conference = TestConference.make()
        expectConferenceError(.roomNotFound) { () throws(ConferenceError) in
            _ = try conference.join(room: try TestConference.room("nope"), identity: "x", grants: [.join])
        }
        #expect(conference.rooms().isEmpty)
    }

    @Test func createOnJoinMakesARoomThatClosesWhenEmpty() throws {
        var conference = TestConference.make(defaults: RoomSettings(audioMode: .mixed, speakers: 2))
        let room = try TestConference.room("auto")
        let alice = try conference.join(room: room, identity: "alice", name: "Alice", grants: TestConference.all)
        #expect(alice.room.createdOnJoin)
        #expect(alice.room.settings.audioMode == .mixed)
        #expect(alice.room.number == 1)
        #expect(alice.participant.id == ParticipantID(rawValue: 1))
        #expect(alice.participant.name == "Alice")
        #expect(alice.participants.isEmpty)
        #expect(alice.effects.changedPlans == [room])
        let bob = try conference.join(room: room, identity: "bob", grants: [.join])
        #expect(bob.participant.name == "bob")
        #expect(bob.participants.map(\.id) == [alice.participant.id])
        #expect(
            bob.effects.events == [
                ConferenceDelivery(recipient: alice.participant.id, event: .participantJoined(bob.participant))
            ]
        )
        #expect(bob.effects.changedPlans.isEmpty)

        let left = try conference.leave(alice.participant.id)
        #expect(
            left.events == [
                ConferenceDelivery(
                    recipient: bob.participant.id,
                    event: .participantLeft(alice.participant.id, reason: .left)
                )
            ]
        )
        #expect(left.closedRooms.isEmpty)
        let last = try conference.leave(bob.participant.id, reason: .disconnected)
        #expect(last.closedRooms.map(\.name) == [room])
        #expect(last.closedRooms.first?.number == 1)
        #expect(conference.rooms().isEmpty)
        #expect(conference.mediaPlan(for: room) == nil)
        // Numbers are never reused.
        let again = try conference.join(room: room, identity: "carol", grants: TestConference.all)
        #expect(again.room.number == 2)
        #expect(again.participant.id == ParticipantID(rawValue: 3))
    }

    @Test func adminRoomsStayWhenEmpty() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("standing")
        let created = try conference.createRoom(room, settings: RoomSettings(maxParticipants: 5))
        #expect(!created.room.createdOnJoin)
        #expect(created.effects.changedPlans == [room])
        let alice = try conference.join(room: room, identity: "alice", grants: [.join])
        let effects = try conference.leave(alice.participant.id)
        #expect(effects.closedRooms.isEmpty)
        #expect(conference.room(room)?.participantCount == 0)
        expectConferenceError(.alreadyExists) { () throws(ConferenceError) in
            _ = try conference.createRoom(room)
        }
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            _ = try conference.createRoom(try TestConference.room("bad"), settings: RoomSettings(maxParticipants: 0))
        }
        #expect(conference.rooms().map(\.name) == [room])
    }

    @Test func roomFull() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("small")
        _ = try conference.createRoom(room, settings: RoomSettings(maxParticipants: 2))
        _ = try conference.join(room: room, identity: "a", grants: [.join])
        _ = try conference.join(room: room, identity: "b", grants: [.join])
        let before = ConferenceSnapshot(conference)
        expectConferenceError(.roomFull) { () throws(ConferenceError) in
            _ = try conference.join(room: room, identity: "c", grants: [.join])
        }
        #expect(ConferenceSnapshot(conference) == before)
    }

    @Test func tooManyRooms() throws {
        var conference = TestConference.make(maxRooms: 1)
        _ = try conference.createRoom(try TestConference.room("one"))
        expectConferenceError(.tooManyRooms) { () throws(ConferenceError) in
            _ = try conference.join(room: try TestConference.room("two"), identity: "a", grants: TestConference.all)
        }
        #expect(conference.rooms().count == 1)
    }

    @Test func badIdentityOrName() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            _ = try conference.join(room: room, identity: "", grants: TestConference.all)
        }
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            _ = try conference.join(
                room: room,
                identity: "a",
                name: String(repeating: "n", count: 257),
                grants: TestConference.all
            )
        }
        #expect(conference.rooms().isEmpty)
    }

    @Test func drainingRefusesJoinsAndRoomsAndTellsEveryone() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let alice = try conference.join(room: room, identity: "alice", grants: TestConference.all)
        let effects = conference.startDraining()
        #expect(conference.isDraining)
        #expect(effects.events == [ConferenceDelivery(recipient: alice.participant.id, event: .draining)])
        #expect(conference.startDraining().events.isEmpty)
        expectConferenceError(.draining) { () throws(ConferenceError) in
            _ = try conference.join(room: room, identity: "bob", grants: TestConference.all)
        }
        expectConferenceError(.draining) { () throws(ConferenceError) in
            _ = try conference.createRoom(try TestConference.room("new"))
        }
        // Those already in may still negotiate.
        _ = try conference.negotiate(alice.participant.id, offer: OfferFixtures.chromiumAudio)
        #expect(try conference.participants(of: room).count == 1)
    }

    @Test func closeRoomRemovesEveryone() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        _ = try conference.createRoom(room)
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all)
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all)
        _ = try conference.negotiate(a.participant.id, offer: OfferFixtures.chromiumAudio)
        let effects = try conference.closeRoom(room)
        #expect(effects.events.map(\.event) == [.roomClosed, .roomClosed])
        #expect(Set(effects.removedParticipants) == [a.participant.id, b.participant.id])
        #expect(effects.closedRooms.map(\.name) == [room])
        #expect(conference.participant(a.participant.id) == nil)
        #expect(conference.rooms().isEmpty)
        expectConferenceError(.roomNotFound) { () throws(ConferenceError) in
            _ = try conference.closeRoom(room)
        }
        expectConferenceError(.participantNotFound) { () throws(ConferenceError) in
            _ = try conference.leave(a.participant.id)
        }
    }

    @Test func adminRemovalListsTheParticipantToDisconnect() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all)
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all)
        _ = try conference.negotiate(a.participant.id, offer: OfferFixtures.chromiumAudio)
        let effects = try conference.leave(a.participant.id, reason: .removed)
        #expect(effects.removedParticipants == [a.participant.id])
        #expect(
            effects.events(for: b.participant.id) == [
                .participantLeft(a.participant.id, reason: .removed), .tracks([]),
            ]
        )
        #expect(effects.changedPlans == [room])
    }

    @Test func mutingTellsTheOthers() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all)
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all)
        let published = try conference.negotiate(a.participant.id, offer: OfferFixtures.chromiumCamera).published
        let audioTrack = try #require(published.first { $0.kind == .audio })
        let effects = try conference.setMuted(a.participant.id, kind: .audio, muted: true)
        #expect(
            effects.events == [
                ConferenceDelivery(recipient: b.participant.id, event: .trackMuted(audioTrack.id, muted: true))
            ]
        )
        #expect(effects.changedPlans.isEmpty)
        #expect(conference.tracks(of: room).map(\.muted) == [true, false])
        #expect(try conference.setMuted(a.participant.id, kind: .audio, muted: true).events.isEmpty)
        // A track published while muted starts muted.
        _ = try conference.setMuted(b.participant.id, kind: .audio, muted: true)
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 42)]
        let bobs = try conference.negotiate(b.participant.id, offer: builder.text).published
        #expect(bobs.map(\.muted) == [true])
    }

    @Test func recordingNeedsTheRecordGrant() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all)
        let recorder = try conference.join(room: room, identity: "rec", grants: [.join, .record])
        expectConferenceError(.forbidden) { () throws(ConferenceError) in
            _ = try conference.startRecording(room, by: a.participant.id)
        }
        #expect(conference.room(room)?.recording == false)
        let started = try conference.startRecording(room, file: "r-1.opus", by: recorder.participant.id)
        #expect(
            started.events.map(\.event) == [.recordingStarted(file: "r-1.opus"), .recordingStarted(file: "r-1.opus")]
        )
        #expect(started.changedPlans == [room])
        #expect(conference.mediaPlan(for: room)?.recording == true)
        expectConferenceError(.alreadyExists) { () throws(ConferenceError) in
            _ = try conference.startRecording(room)
        }
        let stopped = try conference.stopRecording(room)
        #expect(stopped.events.first?.event == .recordingStopped(file: "r-1.opus"))
        #expect(conference.mediaPlan(for: room)?.recording == false)
        #expect(try conference.stopRecording(room).events.isEmpty)
    }

    @Test func recordOnStart() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("rec")
        _ = try conference.createRoom(room, settings: RoomSettings(audioMode: .mixed, recordOnStart: true))
        #expect(conference.mediaPlan(for: room)?.recording == true)
        #expect(conference.mediaPlan(for: room)?.audioMode == .mixed)
    }

    @Test func placementDefaultsToTheLeastLoadedWorker() throws {
        var conference = TestConference.make()
        let a = try conference.join(room: try TestConference.room("a"), identity: "1", grants: TestConference.all)
        _ = try conference.join(room: try TestConference.room("a"), identity: "2", grants: TestConference.all)
        let b = try conference.join(room: try TestConference.room("b"), identity: "3", grants: TestConference.all)
        let c = try conference.join(room: try TestConference.room("c"), identity: "4", grants: TestConference.all)
        #expect(a.room.worker == 0)
        #expect(b.room.worker == 1)
        // Worker 1 has one participant, worker 0 two.
        #expect(c.room.worker == 1)
        #expect(conference.mediaPlan(for: try TestConference.room("c"))?.worker == 1)
    }

    @Test func placementFunctionFromTheConfiguration() throws {
        var conference = TestConference.make(placement: { name, load in
            name.rawValue == "pinned" ? load.count - 1 : 99
        })
        let pinned = try conference.createRoom(try TestConference.room("pinned")).room
        #expect(pinned.worker == 1)
        // 99 is out of range: least loaded (worker 0, no participants, fewer rooms).
        let other = try conference.createRoom(try TestConference.room("other")).room
        #expect(other.worker == 0)
        // The answer's candidate is the room's worker.
        let joined = try conference.join(
            room: try TestConference.room("pinned"),
            identity: "a",
            grants: TestConference.all
        )
        let answer = try SessionDescription.answer(
            conference.negotiate(joined.participant.id, offer: OfferFixtures.aiortcAudio).answer
        )
        #expect(answer.media.first?.candidates.first?.port == TestConference.workers[1].port)
    }
}
