extension RoomMixer {
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
