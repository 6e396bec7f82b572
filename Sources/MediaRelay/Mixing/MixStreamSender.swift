/// The RTP state of one mixed stream the relay sends a participant: its SSRC, payload type and
/// audio-level extension id, and the sequence number and timestamp that run on across ticks.
///
/// Every 20 ms tick moves the timestamp by 960 (48 kHz), sent or not, so a receiver sees real
/// time pass; the sequence number moves only with a packet actually sent, so it stays continuous
/// for the receiver. The first packet after a tick without one (the stream's start, or a gap while
/// the participant could not be reached) carries the marker bit: the start of a talkspurt
/// (RFC 3551 section 4.1).
struct MixStreamSender {
    /// The stream's parameters from the room's plan.
    private(set) var stream: RelayRoomAudioPlan.MixStream
    /// The sequence number of the next packet.
    private(set) var sequenceNumber: UInt16
    /// The timestamp of the next tick's frame.
    private(set) var timestamp: UInt32
    /// Whether the previous tick sent a packet (else the next one is marked).
    private(set) var sentLastTick = false

    /// A stream starting at random sequence number and timestamp (RFC 3550 section 5.1).
    init(stream: RelayRoomAudioPlan.MixStream) {
        self.stream = stream
        self.sequenceNumber = UInt16.random(in: .min ... .max)
        self.timestamp = UInt32.random(in: .min ... .max)
    }

    /// Takes new parameters from a new plan; the numbering carries on when the SSRC is the same,
    /// and starts afresh (random) for a new SSRC.
    mutating func update(_ stream: RelayRoomAudioPlan.MixStream) {
        if stream.ssrc != self.stream.ssrc {
            self = MixStreamSender(stream: stream)
        } else {
            self.stream = stream
        }
    }

    /// Bytes of the RTP header written: 12, plus 8 for the one-byte extension block holding the
    /// audio level.
    var headerLength: Int {
        self.stream.audioLevelExtensionID == 0 ? 12 : 20
    }

    /// Writes this tick's packet (header, then `payload`) at the start of `slot`.
    ///
    /// - Parameters:
    ///   - level: the RFC 6464 level of the frame (-dBov), written when the stream has an
    ///     audio-level id.
    ///   - voiceActivity: the extension's V bit.
    /// - Returns: the packet's length, or 0 when it does not fit in `slot` with `reserve` bytes
    ///   to spare (for the SRTP trailer).
    func write(
        payload: Span<UInt8>,
        level: UInt8,
        voiceActivity: Bool,
        into slot: inout MutableSpan<UInt8>,
        reserve: Int
    ) -> Int {
        let header = self.headerLength
        let length = header &+ payload.count
        guard length &+ reserve <= slot.count else { return 0 }
        let hasExtension = self.stream.audioLevelExtensionID != 0
        slot[0] = hasExtension ? 0x90 : 0x80
        slot[1] = (self.sentLastTick ? 0 : 0x80) | (self.stream.payloadType & 0x7F)
        slot[2] = UInt8(truncatingIfNeeded: self.sequenceNumber >> 8)
        slot[3] = UInt8(truncatingIfNeeded: self.sequenceNumber)
        for byte in 0..<4 {
            let shift = UInt32(24 - 8 * byte)
            slot[4 + byte] = UInt8(truncatingIfNeeded: self.timestamp >> shift)
            slot[8 + byte] = UInt8(truncatingIfNeeded: self.stream.ssrc >> shift)
        }
        if hasExtension {
            // RFC 8285 one-byte form: 0xBEDE, one 32-bit word; the element (id, length - 1 = 0),
            // the level byte (V bit and -dBov), two bytes of padding.
            slot[12] = 0xBE
            slot[13] = 0xDE
            slot[14] = 0
            slot[15] = 1
            slot[16] = self.stream.audioLevelExtensionID << 4
            slot[17] = (voiceActivity ? 0x80 : 0) | min(level, 127)
            slot[18] = 0
            slot[19] = 0
        }
        for index in 0..<payload.count {
            slot[header &+ index] = payload[index]
        }
        return length
    }

    /// Ends a tick: the timestamp moves one frame on, the sequence number one packet if `sent`.
    mutating func advance(sent: Bool) {
        if sent {
            self.sequenceNumber &+= 1
        }
        self.timestamp &+= 960
        self.sentLastTick = sent
    }
}
