extension JitterBuffer {
    /// Counters of one jitter buffer since it was created. Every packet given to
    /// ``JitterBuffer/insert(_:sequenceNumber:timestamp:arrivalNanoseconds:audioLevel:)`` is counted
    /// in ``received`` and, if it was not stored, in exactly one of ``duplicates``, ``late`` or
    /// ``tooFarAhead``.
    public struct Statistics: Sendable, Hashable {
        /// Packets given to the buffer.
        public var received: UInt64 = 0
        /// Packets decoded normally.
        public var decoded: UInt64 = 0
        /// Sequence numbers whose packet had not arrived (or carried an empty payload) when its turn
        /// came. A lost frame is then recovered from FEC, concealed, or (past the concealment limit,
        /// or when the stream is not being decoded) replaced by silence.
        public var lost: UInt64 = 0
        /// Frames produced by the decoder's packet-loss concealment.
        public var concealed: UInt64 = 0
        /// Lost frames rebuilt from the next packet's in-band FEC.
        public var recovered: UInt64 = 0
        /// Packets that arrived after their turn had passed.
        public var late: UInt64 = 0
        /// Packets received twice.
        public var duplicates: UInt64 = 0
        /// Packets too far ahead of the playout point to store.
        public var tooFarAhead: UInt64 = 0
        /// Payloads libopus rejected (`OPUS_INVALID_PACKET`), payloads that are not 20 ms of Opus,
        /// and payloads larger than the configured maximum; each was concealed.
        public var invalid: UInt64 = 0
        /// Frames dropped unplayed to shrink the buffer or keep it within its maximum depth.
        public var discarded: UInt64 = 0
        /// Frames of silence output: DTX pauses, waits for a packet past the concealment limit.
        public var silence: UInt64 = 0
        /// Ticks at which the buffer was empty while playing (the packet was late or never came).
        public var underruns: UInt64 = 0
        /// Times the buffer started over because the sender's sequence numbers jumped.
        public var resynchronizations: UInt64 = 0
        /// Frames (20 ms each) between the playout point and the newest packet, at the last tick.
        public var depthFrames: Int = 0
        /// The depth the buffer aims at, in frames, from the measured jitter.
        public var targetDepthFrames: Int = 1
        /// The deepest the buffer has been, in frames.
        public var maximumDepthFramesSeen: Int = 0
        /// RFC 3550 interarrival jitter, in 48 kHz timestamp units.
        public var jitter: Int = 0

        /// ``depthFrames`` in milliseconds.
        public var depthMilliseconds: Int {
            self.depthFrames * 20
        }

        /// ``jitter`` in milliseconds (rounded down).
        public var jitterMilliseconds: Int {
            self.jitter / 48
        }
    }
}
