public import RTCWire

extension JitterBuffer {
    /// What a tick plays: the answer of ``JitterBuffer/advance()``, and of
    /// ``JitterBuffer/decode(into:)`` for what it actually wrote.
    public enum FrameKind: Sendable, Hashable {
        /// Nothing received yet (or still filling to the start depth): silence, no decoding.
        case idle
        /// A received packet, decoded.
        case packet
        /// A lost frame rebuilt from the next packet's in-band FEC.
        case recovered
        /// A lost frame filled by the decoder's concealment.
        case concealed
        /// Silence: a DTX pause, or a wait past the concealment limit. No decoding.
        case silence

        /// Whether producing this frame needs the decoder.
        public var needsDecoder: Bool {
            switch self {
            case .packet, .recovered, .concealed: return true
            case .idle, .silence: return false
            }
        }
    }

    /// The frame chosen for one tick by ``JitterBuffer/advance()``.
    public struct Frame: Sendable, Hashable {
        /// What will be played.
        public var kind: FrameKind
        /// The RFC 6464 level of the packet played, when it carried one (``FrameKind/packet`` only).
        public var audioLevel: RTPAudioLevel?

        /// A frame of the given kind.
        public init(kind: FrameKind, audioLevel: RTPAudioLevel? = nil) {
            self.kind = kind
            self.audioLevel = audioLevel
        }
    }

    /// The result of ``JitterBuffer/insert(_:sequenceNumber:timestamp:arrivalNanoseconds:audioLevel:)``.
    public enum InsertResult: Sendable, Hashable {
        /// Stored, to be played in turn.
        case stored
        /// Already received: dropped.
        case duplicate
        /// Its turn has passed: dropped.
        case late
        /// Too far ahead of the playout point: dropped.
        case tooFarAhead
        /// The sequence number jumped for long enough that the buffer started over from this packet.
        case resynchronized
    }
}
