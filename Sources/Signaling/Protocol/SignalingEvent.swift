/// An event the server pushes to a client without being asked (protocol v1, "server -> client
/// events").
///
/// A backend sends one through ``SignalingSession/send(_:)``; the endpoint encodes it as one JSON
/// text frame, for example `{"type":"track_muted","trackId":"t12","muted":true}`. Replies to
/// client messages (`joined`, `answer`, `pong`, `error`) are not events: the endpoint sends them.
public enum SignalingEvent: Sendable, Hashable {
    /// `{"type":"participant_joined","participant":P}`: someone joined the room.
    case participantJoined(ParticipantInfo)
    /// `{"type":"participant_left","participantId":"p7","reason":"left"}`.
    case participantLeft(participantId: String, reason: LeaveReason)
    /// `{"type":"tracks","tracks":[T...]}`: the full, ordered list of tracks in the room changed.
    case tracks([TrackInfo])
    /// `{"type":"track_muted","trackId":"t12","muted":true}`.
    case trackMuted(trackId: String, muted: Bool)
    /// `{"type":"active_speakers","participantIds":["p7","p9"]}`, loudest first.
    case activeSpeakers(participantIds: [String])
    /// `{"type":"recording_started","file":"..."}`.
    case recordingStarted(file: String)
    /// `{"type":"recording_stopped","file":"..."}`.
    case recordingStopped(file: String)
    /// `{"type":"room_closed"}`: the room was closed; the backend then closes the session with
    /// ``SignalingCloseCode/normal``.
    case roomClosed
    /// `{"type":"draining"}`: the server is shutting down; no new joins are accepted.
    case draining

    /// The `type` string of this event.
    public var type: String {
        switch self {
        case .participantJoined: "participant_joined"
        case .participantLeft: "participant_left"
        case .tracks: "tracks"
        case .trackMuted: "track_muted"
        case .activeSpeakers: "active_speakers"
        case .recordingStarted: "recording_started"
        case .recordingStopped: "recording_stopped"
        case .roomClosed: "room_closed"
        case .draining: "draining"
        }
    }
}
