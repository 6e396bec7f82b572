/// The conference's record of one room.
struct RoomState: Sendable {
    let name: RoomName
    let number: UInt64
    let worker: Int
    let settings: RoomSettings
    let createdOnJoin: Bool
    var recording: Bool
    var recordingFile: String?
    /// In join order.
    var participants: [ParticipantID]

    func info() -> RoomInfo {
        RoomInfo(
            name: self.name,
            number: self.number,
            worker: self.worker,
            settings: self.settings,
            participantCount: self.participants.count,
            recording: self.recording,
            recordingFile: self.recordingFile,
            createdOnJoin: self.createdOnJoin
        )
    }

    func closed() -> ClosedRoom {
        ClosedRoom(name: self.name, number: self.number, worker: self.worker, wasRecording: self.recording)
    }
}
