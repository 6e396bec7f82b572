/// A REMB message (draft-alvestrand-rmcat-remb-03; PSFB with FMT 15 and the application identifier
/// `"REMB"`): the receiver's estimate of the total bitrate the listed streams may use.
public struct RTCPReceiverEstimatedMaximumBitrate: Hashable, Sendable {
    /// The feedback message's FMT value (application-layer feedback).
    public static let format: UInt8 = 15
    /// The unique identifier `"REMB"` that follows the feedback header.
    static let identifier: UInt32 = 0x5245_4D42

    /// SSRC of the packet sender.
    public var senderSSRC: UInt32
    /// The header's media source SSRC, which the draft says is always 0 (the streams are in
    /// ``ssrcs``). Kept so a parsed packet serialises back unchanged.
    public var mediaSSRC: UInt32
    /// The estimate in bits per second.
    ///
    /// On the wire it is an 18-bit mantissa shifted left by a 6-bit exponent. Parsing rejects an
    /// encoding whose value does not fit in 64 bits (``WireError/Code/invalidValue``). Serialising
    /// picks the smallest exponent, so a value with more than 18 significant bits loses its low
    /// bits (it is rounded down); parsed values always serialise exactly.
    public var bitrate: UInt64
    /// SSRCs of the streams the estimate covers; at most 255 (serialising more throws
    /// ``WireError/Code/tooMany``).
    public var ssrcs: [UInt32]

    /// Makes a REMB message.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }
}

extension RTCPReceiverEstimatedMaximumBitrate {
    /// Whether a PSFB FMT 15 body is a REMB (rather than another application-layer feedback).
    static func matches(_ body: Span<UInt8>) -> Bool {
        body.count >= 12 && body.uint32(at: 8) == Self.identifier
    }

    /// Parses the body (everything after the 4-byte common header, padding removed) of a packet
    /// for which ``matches(_:)`` returned true.
    init(parsingBody body: Span<UInt8>) throws(WireError) {
        guard body.count >= 16 else {
            throw WireError(.truncated, "RTCP REMB bitrate", offset: body.count)
        }
        let ssrcCount = Int(body[12])
        let exponent = body[13] &>> 2
        let mantissa = UInt64(body[13] & 0x03) &<< 16 | UInt64(body.uint16(at: 14))
        // Exponents up to 63 with an 18-bit mantissa can exceed 64 bits: shifting back must give
        // the mantissa again, or bits were lost.
        let bitrate = mantissa &<< UInt64(exponent)
        guard bitrate &>> UInt64(exponent) == mantissa else {
            throw WireError(.invalidValue, "RTCP REMB bitrate beyond 64 bits", offset: 13)
        }
        guard (body.count &- 16) / 4 >= ssrcCount else {
            throw WireError(.truncated, "RTCP REMB SSRC count beyond the packet", offset: 12)
        }
        guard body.count &- 16 == ssrcCount &* 4 else {
            throw WireError(.invalidLength, "RTCP REMB bytes after the SSRC list", offset: 16 &+ ssrcCount &* 4)
        }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(ssrcCount)
        for index in 0..<ssrcCount {
            ssrcs.append(body.uint32(at: 16 &+ index &* 4))
        }
        self.init(senderSSRC: body.uint32(at: 0), mediaSSRC: body.uint32(at: 4), bitrate: bitrate, ssrcs: ssrcs)
    }

    /// Appends the body and returns the header's FMT field.
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.ssrcs.count <= 255 else {
            throw WireError(.tooMany, "RTCP REMB SSRCs (at most 255)")
        }
        var exponent: UInt64 = 0
        // At most 46 steps: a 64-bit value shifted right 46 times fits in 18 bits.
        while self.bitrate &>> exponent > 0x3_FFFF {
            exponent &+= 1
        }
        let mantissa = self.bitrate &>> exponent
        bytes.appendUInt32(self.senderSSRC)
        bytes.appendUInt32(self.mediaSSRC)
        bytes.appendUInt32(Self.identifier)
        bytes.append(UInt8(self.ssrcs.count))
        bytes.append(UInt8(truncatingIfNeeded: exponent &<< 2 | mantissa &>> 16))
        bytes.appendUInt16(UInt16(truncatingIfNeeded: mantissa))
        for ssrc in self.ssrcs {
            bytes.appendUInt32(ssrc)
        }
        return Self.format
    }
}
