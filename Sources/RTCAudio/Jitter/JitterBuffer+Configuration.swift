extension JitterBuffer {
    /// The limits and tuning of one jitter buffer. The defaults suit WebRTC Opus at 20 ms per packet.
    public struct Configuration: Sendable, Hashable {
        /// The most audio the buffer holds ahead of the playout point, in 20 ms frames (default 10,
        /// 200 ms). When a burst would take the buffer deeper, the oldest frames are discarded.
        /// Values below 1 are treated as 1, values above 250 (5 s) as 250.
        public var maximumDepthFrames: Int

        /// The largest payload stored (default 1500, the relay's datagram limit). A larger payload is
        /// counted as invalid and concealed. Storage is preallocated for this size per slot.
        public var maximumPayloadSize: Int

        /// Consecutive concealed frames the decoder's concealment may produce before the buffer
        /// outputs plain silence instead (default 5, 100 ms): libopus's concealment fades out anyway,
        /// and a long silence (a muted sender, a DTX pause) must not cost a decode per tick.
        public var concealmentLimit: Int

        /// How many ticks the buffer watches its depth before it shrinks by one frame (default 25,
        /// 500 ms): it shrinks only when its depth stayed above the target for a whole window.
        public var shrinkWindowTicks: Int

        /// Consecutive out-of-window packets, each following the one before, after which the buffer
        /// decides the sender restarted its sequence numbers and starts over from them (default 8).
        public var resynchronizationThreshold: Int

        /// How many times the RFC 3550 interarrival jitter the target depth adds to one frame
        /// (default 3).
        public var jitterMultiplier: Int

        /// The defaults described on each property.
        public init(
            maximumDepthFrames: Int = 10,
            maximumPayloadSize: Int = 1500,
            concealmentLimit: Int = 5,
            shrinkWindowTicks: Int = 25,
            resynchronizationThreshold: Int = 8,
            jitterMultiplier: Int = 3
        ) {
            self.maximumDepthFrames = maximumDepthFrames
            self.maximumPayloadSize = maximumPayloadSize
            self.concealmentLimit = concealmentLimit
            self.shrinkWindowTicks = shrinkWindowTicks
            self.resynchronizationThreshold = resynchronizationThreshold
            self.jitterMultiplier = jitterMultiplier
        }
    }
}
