/// The settings of one room, chosen when it is created (by the admin API, or the configuration's
/// defaults for a room created on first join).
public struct RoomSettings: Sendable, Hashable {
    /// How the room carries audio.
    public var audioMode: AudioMode
    /// The most participants the room admits; a join beyond it gets
    /// ``ConferenceError/Code/roomFull``. At least 1.
    public var maxParticipants: Int
    /// How many speakers the mixer mixes at once (mixed rooms). At least 1.
    public var speakers: Int
    /// Whether recording starts when the room is created.
    public var recordOnStart: Bool

    /// Makes settings; the defaults are a forwarded room of at most 100 participants, 3 speakers
    /// mixed, not recorded.
    public init(
        audioMode: AudioMode = .forwarded,
        maxParticipants: Int = 100,
        speakers: Int = 3,
        recordOnStart: Bool = false
    ) {
        self.audioMode = audioMode
        self.maxParticipants = maxParticipants
        self.speakers = speakers
        self.recordOnStart = recordOnStart
    }

    /// Checks the numbers.
    ///
    /// - Throws: ``ConferenceError/Code/badRequest`` when `maxParticipants` is outside 1-10000 or
    ///   `speakers` outside 1-16.
    public func validate() throws(ConferenceError) {
        guard (1...10_000).contains(self.maxParticipants) else {
            throw ConferenceError(
                .badRequest,
                "maxParticipants must be between 1 and 10000; it is \(self.maxParticipants)."
            )
        }
        guard (1...16).contains(self.speakers) else {
            throw ConferenceError(.badRequest, "speakers must be between 1 and 16; it is \(self.speakers).")
        }
    }
}
