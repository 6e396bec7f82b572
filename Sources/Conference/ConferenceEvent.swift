/// An event for one participant, which the signaling layer writes as the protocol's JSON message
/// of the same name.
public enum ConferenceEvent: Sendable, Hashable {
    /// `participant_joined`: someone else joined the room.
    case participantJoined(ParticipantInfo)
    /// `participant_left`: someone else left the room.
    case participantLeft(ParticipantID, reason: LeaveReason)
    /// `tracks`: the full list of the room's tracks, in publication order, after it changed.
    case tracks([TrackInfo])
    /// `track_muted`: another participant's track was muted or unmuted.
    case trackMuted(TrackID, muted: Bool)
    /// `recording_started`, with the file name when the caller gave one.
    case recordingStarted(file: String?)
    /// `recording_stopped`, with the file name when known.
    case recordingStopped(file: String?)
    /// `room_closed`: the room was closed; the recipient is out of it (close the socket with 1000).
    case roomClosed
    /// `draining`: the server is shutting down.
    case draining
}

/// One event addressed to one participant.
public struct ConferenceDelivery: Sendable, Hashable {
    /// Who gets it.
    public var recipient: ParticipantID
    /// What they get.
    public var event: ConferenceEvent

    /// Addresses an event.
    public init(recipient: ParticipantID, event: ConferenceEvent) {
        self.recipient = recipient
        self.event = event
    }
}
