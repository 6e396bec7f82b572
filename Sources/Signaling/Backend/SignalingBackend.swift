/// What the signaling endpoint needs from the rest of the server: rooms, participants, media
/// negotiation and recordings. ParleyServer implements it with Conference and the relay; tests
/// implement it with a fake.
///
/// The endpoint calls the per-connection functions in order for one session (never two at once
/// for the same session): ``join(_:session:)`` first, then any of ``offer(sdp:session:)``,
/// ``candidate(_:session:)``, ``mute(kind:muted:session:)``, ``startRecording(session:)``,
/// ``stopRecording(session:)``, and finally ``leave(session:reason:)`` exactly once if and only
/// if the join succeeded, whatever ended the connection. A failed call must leave the room
/// unchanged. Errors are ``SignalingError``s; the endpoint sends them to the client with the
/// message as written, so it should say what to do.
public protocol SignalingBackend: Sendable {
    /// Adds the participant described by `request` to `request.claims.room` and returns what the
    /// client is told (`joined`). Throw `room_not_found` (no room and no `create` grant),
    /// `room_full`, `draining`, `forbidden`.
    func join(_ request: JoinRequest, session: any SignalingSession) async throws(SignalingError) -> JoinedPayload

    /// Negotiates the client's SDP offer (first or renegotiation) and returns the answer SDP.
    /// Throw `bad_offer`, `unsupported_offer`, `forbidden` (publishing without `publish`).
    func offer(sdp: String, session: any SignalingSession) async throws(SignalingError) -> String

    /// A trickled candidate (may be ignored by an ICE-lite server).
    func candidate(_ candidate: CandidateInfo, session: any SignalingSession) async throws(SignalingError)

    /// The client muted or unmuted its tracks of `kind`; the backend tells the others
    /// (`track_muted`).
    func mute(kind: TrackKind, muted: Bool, session: any SignalingSession) async throws(SignalingError)

    /// Starts recording the session's room (needs the `record` grant: `forbidden` otherwise);
    /// the backend sends `recording_started` to the room.
    func startRecording(session: any SignalingSession) async throws(SignalingError)

    /// Stops recording the session's room (needs `record`); the backend sends
    /// `recording_stopped` to the room.
    func stopRecording(session: any SignalingSession) async throws(SignalingError)

    /// The participant of `session` is gone. Called exactly once per successful join; must be
    /// idempotent with respect to removals the backend did itself (it then does nothing).
    func leave(session: any SignalingSession, reason: LeaveReason) async

    /// Admin: every room.
    func listRooms() async throws(SignalingError) -> [RoomSummary]
    /// Admin: creates a room; throw `conflict` if it exists, `draining` while draining.
    func createRoom(_ request: CreateRoomRequest) async throws(SignalingError) -> RoomSummary
    /// Admin: closes a room (participants get `room_closed` and close 1000); `room_not_found`.
    func closeRoom(name: String) async throws(SignalingError)
    /// Admin: the participants of a room; `room_not_found`.
    func listParticipants(room: String) async throws(SignalingError) -> [ParticipantInfo]
    /// Admin: removes a participant (it gets closed, the others `participant_left` with reason
    /// `removed`); `room_not_found` or `not_found`.
    func removeParticipant(room: String, participantId: String) async throws(SignalingError)
    /// Admin: starts recording a room and returns the file name; `room_not_found`, `conflict`.
    func startRecording(room: String) async throws(SignalingError) -> String
    /// Admin: stops recording a room; `room_not_found`, `conflict` when not recording.
    func stopRecording(room: String) async throws(SignalingError)
    /// Admin: the recordings on disk.
    func listRecordings() async throws(SignalingError) -> [RecordingInfo]

    /// Whether the server is draining: `/healthz` answers 503 and joins get `draining`.
    var isDraining: Bool { get async }
}
