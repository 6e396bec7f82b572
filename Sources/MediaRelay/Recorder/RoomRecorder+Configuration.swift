public import RTCAudio

extension RoomRecorder {
    /// What a room's recordings hold and how often their pages go to disk.
    public struct Configuration: Sendable, Hashable {
        /// The longest time, in nanoseconds, between two forced flushes (default 1 s): at most
        /// this much audio is lost if the process dies. Clamped to 20 ms...10 s.
        public var flushInterval: UInt64
        /// 1 or 2: the channels of the Opus stream recorded (the room mixer's full mix is mono).
        public var channels: Int
        /// The encoder's lookahead in 48 kHz samples (``OpusEncoder/lookahead``): the pre-skip of
        /// the file's OpusHead.
        public var preSkip: Int
        /// Parley's version, for the file's vendor string and `ENCODER` tag.
        public var version: String
        /// More `NAME=value` tags for every file.
        public var comments: [String]

        /// A configuration for a stream of `channels` channels whose encoder has a lookahead of
        /// `preSkip` samples. 312 is libopus's lookahead at 48 kHz for the VOIP and audio
        /// applications; prefer ``init(encoder:flushInterval:version:comments:)``.
        public init(
            flushInterval: UInt64 = 1_000_000_000,
            channels: Int = 1,
            preSkip: Int = 312,
            version: String = "dev",
            comments: [String] = []
        ) {
            self.flushInterval = min(max(flushInterval, 20_000_000), 10_000_000_000)
            self.channels = channels
            self.preSkip = preSkip
            self.version = version
            self.comments = comments
        }

        /// A configuration for what `encoder` produces: its channel count, and its lookahead as the
        /// pre-skip.
        public init(
            encoder: OpusEncoder,
            flushInterval: UInt64 = 1_000_000_000,
            version: String = "dev",
            comments: [String] = []
        ) {
            self.init(
                flushInterval: flushInterval,
                channels: encoder.configuration.channels,
                preSkip: encoder.lookahead,
                version: version,
                comments: comments
            )
        }
    }
}
