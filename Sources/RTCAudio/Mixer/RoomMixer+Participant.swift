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

    /// Work counters: they prove the cost model (N + 1 encodes per tick, decodes only where needed).
    public struct Statistics: Sendable, Hashable {
        /// Ticks run.
        public var ticks: UInt64 = 0
        /// Frames given to a decoder (decode, FEC or concealment) since creation.
        public var decodes: UInt64 = 0
        /// Opus encodes since creation.
        public var encodes: UInt64 = 0
        /// Encodes libopus refused (the stream's payload is empty for that tick).
        public var encodeFailures: UInt64 = 0
        /// Decoder runs in the last tick.
        public var lastTickDecodes: Int = 0
        /// Encodes in the last tick.
        public var lastTickEncodes: Int = 0
        /// Speaker events dropped because they were not drained (see
        /// ``RoomMixer/drainSpeakerEvents(_:)``).
        public var droppedSpeakerEvents: UInt64 = 0
    }
}
