/// A generic NACK (RFC 4585 section 6.2.1, RTPFB with FMT 1): the media receiver reports RTP
/// packets it has not received, so the sender can retransmit them.
///
/// On the wire each entry is a packet ID (PID) plus a 16-bit bitmask of lost packets (BLP) after
/// it; ``lostSequenceNumbers`` expands them. The list is attacker-controlled: the relay must bound
/// how many retransmissions one NACK can cause (SECURITY.md).
public struct RTCPGenericNACK: Hashable, Sendable {
    /// One FCI entry: a lost packet and a bitmask of up to 16 more.
    public struct Entry: Hashable, Sendable {
        /// PID: the sequence number of a lost packet.
        public var packetID: UInt16
        /// BLP: bit `i` (least significant first) set means `packetID + i + 1` (wrapping) is lost
        /// too.
        public var lostPacketBitmask: UInt16

        /// Makes an entry.
        public init(packetID: UInt16, lostPacketBitmask: UInt16) {
            self.packetID = packetID
            self.lostPacketBitmask = lostPacketBitmask
        }
    }

    /// The feedback message's FMT value.
    public static let format: UInt8 = 1

    /// SSRC of the packet sender (the media receiver asking).
    public var senderSSRC: UInt32
    /// SSRC of the media source whose packets are missing.
    public var mediaSSRC: UInt32
    /// The FCI entries in wire order; at least one (RFC 4585). Parsing an empty FCI and
    /// serialising an empty list both throw ``WireError/Code/invalidLength``.
    public var entries: [Entry]

    /// Makes a NACK from wire entries.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Makes a NACK reporting `lostSequenceNumbers`, packing each number into the bitmask of the
    /// entry before it when it is 1...16 later (wrapping) and later than the ones already there,
    /// so that ``lostSequenceNumbers`` gives back exactly this list, order and duplicates included.
    /// Sorted input (in wrapping order) packs densely.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: [UInt16]) {
        var entries: [Entry] = []
        var lastOffset: UInt16 = 0
        for sequenceNumber in lostSequenceNumbers {
            if let last = entries.last {
                let offset = sequenceNumber &- last.packetID
                if offset > lastOffset && offset <= 16 {
                    entries[entries.count &- 1].lostPacketBitmask |= 1 &<< (offset &- 1)
                    lastOffset = offset
                    continue
                }
            }
            entries.append(Entry(packetID: sequenceNumber, lostPacketBitmask: 0))
            lastOffset = 0
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: entries)
    }

    /// Every sequence number the entries report lost, in wire order: each PID followed by the
    /// bitmask's packets in increasing order, wrapping from 65535 to 0.
    public var lostSequenceNumbers: [UInt16] {
        var numbers: [UInt16] = []
        numbers.reserveCapacity(self.entries.count)
        for entry in self.entries {
            numbers.append(entry.packetID)
            var mask = entry.lostPacketBitmask
            var offset: UInt16 = 1
            while mask != 0 {
                if mask & 1 != 0 {
                    numbers.append(entry.packetID &+ offset)
                }
                mask &>>= 1
                offset &+= 1
            }
        }
        return numbers
    }
}

extension RTCPGenericNACK {
    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>) throws(WireError) {
        guard body.count >= 8 else {
            throw WireError(.truncated, "RTCP NACK feedback header", offset: body.count)
        }
        let fciSize = body.count &- 8
        guard fciSize % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP NACK FCI not a multiple of 4 bytes", offset: 8)
        }
        guard fciSize > 0 else {
            throw WireError(.invalidLength, "RTCP NACK without FCI entries", offset: 8)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(fciSize / 4)
        var position = 8
        while position < body.count {
            entries.append(
                Entry(packetID: body.uint16(at: position), lostPacketBitmask: body.uint16(at: position &+ 2))
            )
            position &+= 4
        }
        self.init(senderSSRC: body.uint32(at: 0), mediaSSRC: body.uint32(at: 4), entries: entries)
    }

    /// Appends the body and returns the header's FMT field.
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard !self.entries.isEmpty else {
            throw WireError(.invalidLength, "RTCP NACK without FCI entries")
        }
        bytes.appendUInt32(self.senderSSRC)
        bytes.appendUInt32(self.mediaSSRC)
        for entry in self.entries {
            bytes.appendUInt16(entry.packetID)
            bytes.appendUInt16(entry.lostPacketBitmask)
        }
        return Self.format
    }
}
