/// Reads what the jitter buffer needs from an Opus packet's framing (RFC 6716 section 3) without
/// decoding it: whether its first frame carries in-band FEC (LBRR) data.
///
/// Every read is bounds-checked: a malformed packet answers `false`, and the decoder reports it
/// properly when the packet is decoded.
enum OpusPacketInspector {
    /// Whether `packet` carries LBRR (in-band FEC) data for the frame before it.
    ///
    /// LBRR exists only in SILK and hybrid packets (TOC configurations 0-15). The SILK layer codes
    /// its per-frame VAD flags and then its LBRR flag as the first bits of the first frame, each with
    /// probability one half, so they are the top bits of the frame's first byte (libopus 1.5's
    /// `opus_packet_has_lbrr` reads them the same way).
    static func hasLBRR(_ packet: Span<UInt8>) -> Bool {
        guard let frameOffset = Self.firstFrameOffset(packet), frameOffset < packet.count else {
            return false
        }
        let toc = packet[0]
        let configuration = toc >> 3
        // CELT-only packets (configurations 16-31) have no SILK layer and so no LBRR.
        guard configuration < 16 else { return false }
        // SILK frame duration from the configuration: 10, 20, 40, 60 ms (hybrid: 10, 20 ms).
        let silkFrames: Int
        if configuration < 12 {
            silkFrames = Int(configuration & 3) < 2 ? 1 : Int(configuration & 3)
        } else {
            silkFrames = 1
        }
        let first = packet[frameOffset]
        // Mid channel: one VAD flag per 20 ms SILK frame, then the LBRR flag.
        var lbrr = (first >> UInt8(7 - silkFrames)) & 1 == 1
        if toc & 0x04 != 0 {
            // Stereo: the side channel's VAD flags and LBRR flag follow the mid channel's.
            lbrr = lbrr || (first >> UInt8(6 - 2 * silkFrames)) & 1 == 1
        }
        return lbrr
    }

    /// The offset of the first frame's data, or nil when the framing is malformed.
    static func firstFrameOffset(_ packet: Span<UInt8>) -> Int? {
        guard !packet.isEmpty else { return nil }
        switch packet[0] & 3 {
        case 0, 1:
            // One frame, or two frames of equal size: the data follows the TOC byte.
            return 1
        case 2:
            // Two frames, the first one's length coded in one or two bytes.
            guard packet.count >= 2 else { return nil }
            return packet[1] < 252 ? 2 : 3
        default:
            // Code 3: a frame-count byte, optional padding length bytes, then (VBR) M-1 lengths.
            guard packet.count >= 2 else { return nil }
            let countByte = packet[1]
            let frames = Int(countByte & 0x3F)
            guard frames >= 1 else { return nil }
            var offset = 2
            if countByte & 0x40 != 0 {
                // Padding length: each 255 adds 254 and continues; bounded by the packet size.
                while true {
                    guard offset < packet.count else { return nil }
                    let value = packet[offset]
                    offset += 1
                    if value != 255 { break }
                }
            }
            if countByte & 0x80 != 0 {
                for _ in 0..<(frames - 1) {
                    guard offset < packet.count else { return nil }
                    offset += packet[offset] < 252 ? 1 : 2
                }
            }
            return offset
        }
    }
}
