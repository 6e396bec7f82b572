/// How many entries each table of a ``Meeting`` holds, with the conference's rooms and
/// participants: every field returns to zero once everyone has left and every room created by a
/// join has closed, so a leak shows as a count that only grows.
struct MeetingTableSizes: Sendable, Equatable, CustomStringConvertible {
    /// Rooms in the conference.
    var rooms = 0
    /// Participants in the conference.
    var participants = 0
    /// Signaling sessions of joined participants.
    var sessions = 0
    /// Sessions mapped back to their participant.
    var participantsOfSessions = 0
    /// Participants whose transport the relay holds.
    var transports = 0
    /// Media plans last given to the relay.
    var plans = 0
    /// Relay room numbers mapped back to rooms.
    var roomNumbers = 0
    /// Recording requests waiting for the relay.
    var pendingRecordings = 0
    /// Rooms being recorded, with their file.
    var recordingFiles = 0

    var description: String {
        "rooms \(self.rooms), participants \(self.participants), sessions \(self.sessions)/"
            + "\(self.participantsOfSessions), transports \(self.transports), plans \(self.plans), "
            + "room numbers \(self.roomNumbers), recordings \(self.pendingRecordings)/\(self.recordingFiles)"
    }
}
