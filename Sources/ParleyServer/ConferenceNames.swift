import Conference

// The module `Conference` and its state machine `Conference` share a name, so
// `Conference.AudioMode` means a member of the struct. Files that import Signaling as well
// (which has its own AudioMode, TrackInfo, ...) use these names for the Conference types.
typealias ConferenceAudioMode = AudioMode
typealias ConferenceParticipantInfo = ParticipantInfo
typealias ConferenceRoomInfo = RoomInfo
typealias ConferenceTrackInfo = TrackInfo
typealias ConferenceTrackKind = TrackKind
typealias ConferenceLeaveReason = LeaveReason
