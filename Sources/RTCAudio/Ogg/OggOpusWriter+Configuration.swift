extension OggOpusWriter {
    /// What an Ogg Opus stream says about itself: its OpusHead fields and its OpusTags comments.
    ///
    /// The recorder fills it from the room's mix encoder (``init(encoder:serialNumber:room:startTime:version:comments:)``)
    /// and from the wall clock it reads itself: the writer has no clock.
    public struct Configuration: Sendable, Hashable {
        /// The Ogg logical stream's serial number; any value, ideally random per file.
        public var serialNumber: UInt32
        /// 1 (mono) or 2 (stereo): OpusHead's channel count, with channel mapping family 0.
        public var channels: Int
        /// Samples at 48 kHz a decoder discards at the start: the encoder's lookahead
        /// (``OpusEncoder/lookahead``), 0...65 535.
        public var preSkip: Int
        /// The room recorded, written as the `ROOM` comment.
        public var room: String
        /// When the recording started, in ISO 8601 (for example `2025-05-01T09:30:00Z`), written
        /// as the `START` comment. The writer does not check the format.
        public var startTime: String
        /// Parley's version: the vendor string is `Parley <version>` and the `ENCODER` comment the
        /// same.
        public var version: String
        /// More user comments, each `NAME=value` (Vorbis comment form: the name printable ASCII
        /// without `=`, the value any UTF-8), written after `ROOM`, `START` and `ENCODER`.
        public var comments: [String]

        /// Describes a stream; the header fields other than these are fixed: OpusHead version 1,
        /// input sample rate 48 000 Hz, output gain 0, channel mapping family 0.
        public init(
            serialNumber: UInt32,
            channels: Int,
            preSkip: Int,
            room: String,
            startTime: String,
            version: String,
            comments: [String] = []
        ) {
            self.serialNumber = serialNumber
            self.channels = channels
            self.preSkip = preSkip
            self.room = room
            self.startTime = startTime
            self.version = version
            self.comments = comments
        }

        /// Describes the stream `encoder` produces: its channel count, and its lookahead as the
        /// pre-skip.
        public init(
            encoder: OpusEncoder,
            serialNumber: UInt32,
            room: String,
            startTime: String,
            version: String,
            comments: [String] = []
        ) {
            self.init(
                serialNumber: serialNumber,
                channels: encoder.configuration.channels,
                preSkip: encoder.lookahead,
                room: room,
                startTime: startTime,
                version: version,
                comments: comments
            )
        }
    }
}
