/// A core's mixed rooms: the rooms configured on it, which room (and member) each participant's
/// audio goes to, the mixing clock, and the recording writer.
///
/// Held by ``RelayCore`` and driven by its room commands, its media path and its timers (see
/// `RelayCore+Mixing.swift`). When the last reference goes (the worker stopped and dropped its
/// core), every recording still running is stopped with its EOS page and reported, and a writer
/// the core created is stopped (which writes and syncs what is queued).
///
/// Not thread-safe: the worker owns it.
final class RelayMixing {
    /// Where one participant's audio goes.
    struct Route {
        /// The participant's room.
        let room: MixedRoom
        /// Its position in the room's members.
        let member: Int
    }

    /// The tick period: one Opus frame.
    static let tickNanoseconds: UInt64 = 20_000_000
    /// How far the clock may fall behind (a stalled worker) before the missed ticks are dropped
    /// rather than run in a burst.
    static let maximumLagNanoseconds: UInt64 = 60_000_000

    /// The rooms by id.
    var rooms: [RelayRoomID: MixedRoom] = [:]
    /// The room and member of every participant of a configured room.
    var routes: [RoutingParticipantID: Route] = [:]
    /// When the rooms next tick; nil while there is no room.
    var nextTick: RelayTime?
    /// Where events go (the core's sink, set when the first room is configured).
    var events: RelayEventSink = .discarding
    /// The writer recordings use; created at the first recording when none was given.
    var recordingWriter: RecordingWriter?
    /// Whether ``recordingWriter`` was created here (and so is stopped here).
    var ownsWriter = false
    /// The version written in recordings' tags.
    var recordingVersion = "dev"

    deinit {
        for room in self.rooms.values {
            if let file = room.recorder?.stop() {
                self.events.deliver(.recordingStopped(room.id, path: file.path))
            }
        }
        if self.ownsWriter {
            self.recordingWriter?.stop()
        }
    }

    /// The writer, created (with its thread) when none exists yet.
    func writer() throws(RecordingError) -> RecordingWriter {
        if let writer = self.recordingWriter {
            return writer
        }
        let writer = try RecordingWriter()
        self.recordingWriter = writer
        self.ownsWriter = true
        return writer
    }

    /// Points every participant of `room` at it (after its plan changed), and forgets those
    /// that `previous` listed and the room no longer does.
    func reroute(_ room: MixedRoom, previous: [RoutingParticipantID]) {
        for participant in previous where room.memberPosition[participant] == nil {
            if self.routes[participant]?.room === room {
                self.routes[participant] = nil
            }
        }
        for (position, member) in room.members.enumerated() {
            self.routes[member.participant] = Route(room: room, member: position)
        }
    }

    /// Forgets a room and its routes.
    func remove(_ room: MixedRoom) {
        for member in room.members where self.routes[member.participant]?.room === room {
            self.routes[member.participant] = nil
        }
        self.rooms[room.id] = nil
        if self.rooms.isEmpty {
            self.nextTick = nil
        }
    }
}

@available(*, unavailable)
extension RelayMixing: Sendable {}
