extension RoomMixer {
    /// A participant's handle in one room mixer, from ``RoomMixer/addParticipant()``.
    ///
    /// The ``index`` is dense (`0..<maximumParticipants`) so the relay can keep per-participant
    /// tables in arrays; the ``generation`` tells a handle of a participant that left from the one
    /// of a newcomer that reuses its index: the mixer ignores stale handles.
    public struct Participant: Sendable, Hashable, CustomStringConvertible {
        /// The participant's slot in the room, `0..<maximumParticipants`.
        public let index: Int
        /// How many times the slot was handed out before.
        public let generation: UInt32

        /// A handle; the mixer creates them.
        public init(index: Int, generation: UInt32) {
            self.index = index
            self.generation = generation
        }

        /// `participant 12.3`.
        public var description: String {
            "participant \(self.index).\(self.generation)"
        }
    }
}
