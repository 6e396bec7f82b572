/// Rooms, participants, grants and the SDP answer policy of a Parley server, as a state machine
/// with no I/O.
///
/// The server keeps one `Conference` inside an actor and calls it for every signaling request.
/// Each mutating call either throws a ``ConferenceError`` and changes nothing, or returns
/// ``ConferenceEffects`` (sometimes inside a result with more): the events to send to which
/// participants, the rooms whose ``RoomMediaPlan`` changed (read them with ``mediaPlan(for:)`` and
/// give them to the relay), rooms to tear down, and connections to close.
///
/// Participant and track numbers count up from 1 and are never reused; ICE credentials, SSRCs
/// and SDP session IDs come from ``ConferenceConfiguration/random``, so a seeded generator makes a
/// test's answers reproducible.
///
/// Not thread-safe by itself (a value type): keep it in one actor.
public struct Conference: Sendable {
    /// The configuration given at creation (its `random` is not used after ``init(configuration:)``;
    /// the conference keeps its own copy of the generator).
    public let configuration: ConferenceConfiguration
    var random: any RandomNumberGenerator & Sendable
    var roomStates: [RoomName: RoomState] = [:]
    var participantStates: [ParticipantID: ParticipantState] = [:]
    var nextRoomNumber: UInt64 = 1
    var nextParticipant: UInt64 = 1
    var nextTrack: UInt64 = 1

    /// Whether ``startDraining()`` was called: no new rooms or participants are accepted.
    public internal(set) var isDraining = false

    /// Makes an empty conference.
    ///
    /// - Precondition: the configuration has at least one worker and one fingerprint, and
    ///   `maxRooms` is at least 1 (a misconfigured server stops at start-up, not at the first join).
    public init(configuration: ConferenceConfiguration) {
        precondition(!configuration.workers.isEmpty, "Conference needs at least one relay worker")
        precondition(!configuration.fingerprints.isEmpty, "Conference needs the relay's certificate fingerprint")
        precondition(configuration.maxRooms >= 1, "Conference needs maxRooms >= 1")
        self.configuration = configuration
        self.random = configuration.random
    }

    // MARK: Queries

    /// Every room, sorted by name.
    public func rooms() -> [RoomInfo] {
        self.roomStates.values.sorted { $0.name < $1.name }.map { $0.info() }
    }

    /// The room called `name`, or nil.
    public func room(_ name: RoomName) -> RoomInfo? {
        self.roomStates[name]?.info()
    }

    /// The participants of a room in join order.
    ///
    /// - Throws: ``ConferenceError/Code/roomNotFound``.
    public func participants(of room: RoomName) throws(ConferenceError) -> [ParticipantInfo] {
        guard let state = self.roomStates[room] else {
            throw Self.roomNotFound(room)
        }
        return state.participants.compactMap { self.participantStates[$0]?.info }
    }

    /// The participant with that number, or nil.
    public func participant(_ id: ParticipantID) -> ParticipantInfo? {
        self.participantStates[id]?.info
    }

    /// The tracks of a room in publication order (the order of the protocol's track lists); empty
    /// for an unknown room.
    public func tracks(of room: RoomName) -> [TrackInfo] {
        guard let state = self.roomStates[room] else {
            return []
        }
        var tracks: [TrackInfo] = []
        for id in state.participants {
            tracks += self.participantStates[id]?.tracks() ?? []
        }
        return tracks.sorted { $0.id < $1.id }
    }

    // MARK: Helpers shared by the extensions

    static func roomNotFound(_ room: RoomName) -> ConferenceError {
        ConferenceError(.roomNotFound, "There is no room \"\(room)\"; check the name, or create the room first.")
    }

    static func participantNotFound(_ id: ParticipantID) -> ConferenceError {
        ConferenceError(.participantNotFound, "There is no participant \(id); it may have left already.")
    }

    /// The events that tell every participant of `room` but `except` the new track list.
    func tracksEvents(room: RoomName, except: ParticipantID? = nil) -> [ConferenceDelivery] {
        guard let state = self.roomStates[room] else {
            return []
        }
        let tracks = self.tracks(of: room)
        return state.participants.filter { $0 != except }.map {
            ConferenceDelivery(recipient: $0, event: .tracks(tracks))
        }
    }

    /// `event` for every participant of `room` but `except`.
    func broadcast(_ event: ConferenceEvent, room: RoomName, except: ParticipantID? = nil) -> [ConferenceDelivery] {
        guard let state = self.roomStates[room] else {
            return []
        }
        return state.participants.filter { $0 != except }.map { ConferenceDelivery(recipient: $0, event: event) }
    }

    /// The rooms among `rooms` whose plan now differs from `before`.
    func changedPlans(_ before: [RoomName: RoomMediaPlan?]) -> [RoomName] {
        before.keys.sorted().filter { self.mediaPlan(for: $0) != before[$0] ?? nil }
    }

    /// The plans of `rooms` now, to compare after a change.
    func plans(_ rooms: [RoomName]) -> [RoomName: RoomMediaPlan?] {
        var result: [RoomName: RoomMediaPlan?] = [:]
        for room in rooms {
            result[room] = .some(self.mediaPlan(for: room))
        }
        return result
    }
}
