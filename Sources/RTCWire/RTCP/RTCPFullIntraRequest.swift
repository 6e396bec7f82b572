/// A FIR (RFC 5104 section 4.3.1, PSFB with FMT 4): a request for a full intra (decoder refresh)
/// picture, carrying a command sequence number per target so repeats can be told from new requests.
public struct RTCPFullIntraRequest: Hashable, Sendable {
    /// One FCI entry: whom the request is for, and the request's sequence number.
    public struct Entry: Hashable, Sendable {
        /// SSRC of the media sender that should send the intra picture.
        public var ssrc: UInt32
        /// Command sequence number, incremented (mod 256) for each new request to this SSRC.
        public var sequenceNumber: UInt8

        /// Makes an entry.
        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    /// The feedback message's FMT value.
    public static let format: UInt8 = 4

    /// SSRC of the packet sender.
    public var senderSSRC: UInt32
    /// The header's media source SSRC, which RFC 5104 says is unused and set to 0 (the targets are
    /// in ``entries``). Kept so a parsed packet serialises back unchanged.
    public var mediaSSRC: UInt32
    /// The FCI entries; at least one. Parsing an empty FCI and serialising an empty list both
    /// throw ``WireError/Code/invalidLength``.
    public var entries: [Entry]

    /// Makes a FIR.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }
}

extension RTCPFullIntraRequest {
    /// Parses the body (everything after the 4-byte common header, padding removed). The three
    /// reserved bytes of each entry are ignored.
    init(parsingBody body: Span<UInt8>) throws(WireError) {
        guard body.count >= 8 else {
            throw WireError(.truncated, "RTCP FIR feedback header", offset: body.count)
        }
        let fciSize = body.count &- 8
        guard fciSize % 8 == 0, fciSize > 0 else {
            throw WireError(.invalidLength, "RTCP FIR FCI not a non-zero multiple of 8 bytes", offset: 8)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(fciSize / 8)
        var position = 8
        while position < body.count {
            entries.append(Entry(ssrc: body.uint32(at: position), sequenceNumber: body[position &+ 4]))
            position &+= 8
        }
        self.init(senderSSRC: body.uint32(at: 0), mediaSSRC: body.uint32(at: 4), entries: entries)
    }

    /// Appends the body and returns the header's FMT field.
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard !self.entries.isEmpty else {
            throw WireError(.invalidLength, "RTCP FIR without FCI entries")
        }
        bytes.appendUInt32(self.senderSSRC)
        bytes.appendUInt32(self.mediaSSRC)
        for entry in self.entries {
            bytes.appendUInt32(entry.ssrc)
            bytes.append(entry.sequenceNumber)
            bytes.append(contentsOf: [0, 0, 0])
        }
        return Self.format
    }
}
