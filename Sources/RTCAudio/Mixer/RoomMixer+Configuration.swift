extension RoomMixer {
    /// A room mixer's sizes and the settings of its parts. Everything a tick needs is allocated
    /// from these in `init` (and per participant in ``RoomMixer/addParticipant()``).
    public struct Configuration: Sendable, Hashable {
        /// The most participants the room holds (default 1000). Clamped to 1...100 000.
        public var maximumParticipants: Int
        /// The speaker selection: how many speakers (N, default 3) and the hysteresis.
        public var selection: SpeakerSelector.Configuration
        /// The per-stream level smoothing.
        public var smoothing: AudioLevelSmoother.Configuration
        /// Each inbound stream's jitter buffer.
        public var jitterBuffer: JitterBuffer.Configuration
        /// The limiter on every mixed output.
        public var limiter: Limiter.Configuration
        /// The encoder of every mixed output (mono is required: the mixer works in mono).
        public var encoder: OpusEncoder.Configuration
        /// The room's mode at creation; ``RoomMixer/mode`` can change it later.
        public var mode: MixingMode

        /// A room of up to 1000 participants, 3 speakers, Parley's encoder defaults (mono, 32 kbit/s,
        /// complexity 5, VOIP), mixed mode.
        public init(
            maximumParticipants: Int = 1000,
            selection: SpeakerSelector.Configuration = SpeakerSelector.Configuration(),
            smoothing: AudioLevelSmoother.Configuration = AudioLevelSmoother.Configuration(),
            jitterBuffer: JitterBuffer.Configuration = JitterBuffer.Configuration(),
            limiter: Limiter.Configuration = Limiter.Configuration(),
            encoder: OpusEncoder.Configuration = OpusEncoder.Configuration(),
            mode: MixingMode = .mixed
        ) {
            self.maximumParticipants = maximumParticipants
            self.selection = selection
            self.smoothing = smoothing
            self.jitterBuffer = jitterBuffer
            self.limiter = limiter
            self.encoder = encoder
            self.mode = mode
        }
    }
}
