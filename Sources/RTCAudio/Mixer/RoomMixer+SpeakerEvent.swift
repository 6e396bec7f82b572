extension RoomMixer {
    /// A participant starting or stopping as one of the room's speakers, for the control plane's
    /// active-speaker signaling.
    public struct SpeakerEvent: Sendable, Hashable {
        /// Who.
        public var participant: Participant
        /// The speaker slot it took or left (its mix-minus stream is ``MixedStream/mixMinus(slot:)``).
        public var slot: Int
        /// True when it started speaking, false when it stopped (or left the room).
        public var started: Bool

        /// An event.
        public init(participant: Participant, slot: Int, started: Bool) {
            self.participant = participant
            self.slot = slot
            self.started = started
        }
    }
}
