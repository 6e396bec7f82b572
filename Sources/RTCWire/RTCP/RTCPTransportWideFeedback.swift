/// A transport-wide congestion control feedback message
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1; RTPFB with FMT 15), known as
/// transport-cc or TWCC: for a range of transport-wide sequence numbers, which packets arrived and
/// the arrival time of each, as deltas.
///
/// Chromium sends these whenever `a=rtcp-fb:* transport-cc` was negotiated. The packet status
/// chunks (run-length and 1-bit/2-bit status vectors) are decoded into ``packetStatuses``, one per
/// sequence number; serialising re-encodes them with chunks of its own choosing, so a parsed value
/// round-trips but the chunk layout of the original bytes may differ.
public struct RTCPTransportWideFeedback: Hashable, Sendable {
    /// What the feedback says about one transport-wide sequence number.
    public enum PacketStatus: Hashable, Sendable {
        /// Not received (symbol 0).
        case notReceived
        /// Received, with an arrival delta of 0...255 ticks of 250 microseconds from the previous
        /// received packet (or from the reference time for the first), in one byte (symbol 1).
        case receivedSmallDelta(UInt8)
        /// Received, with a signed arrival delta in ticks of 250 microseconds, in two bytes
        /// (symbol 2). Used for negative deltas and deltas over 255 ticks.
        case receivedLargeDelta(Int16)

        /// The arrival delta in ticks of 250 microseconds, or nil if the packet was not received.
        public var deltaTicks: Int? {
            switch self {
            case .notReceived: return nil
            case .receivedSmallDelta(let delta): return Int(delta)
            case .receivedLargeDelta(let delta): return Int(delta)
            }
        }

        /// The 2-bit status symbol used in packet chunks.
        var symbol: UInt16 {
            switch self {
            case .notReceived: return 0
            case .receivedSmallDelta: return 1
            case .receivedLargeDelta: return 2
            }
        }
    }

    /// The feedback message's FMT value.
    public static let format: UInt8 = 15
    /// Microseconds in one receive-delta tick.
    public static let deltaTickMicroseconds = 250
    /// Milliseconds in one unit of ``referenceTime``.
    public static let referenceTimeUnitMilliseconds = 64

    /// SSRC of the packet sender (the media receiver giving feedback).
    public var senderSSRC: UInt32
    /// SSRC of the media source (Chromium puts one of the sender's media SSRCs here; the sequence
    /// numbers are transport-wide regardless).
    public var mediaSSRC: UInt32
    /// The transport-wide sequence number of the first entry in ``packetStatuses``.
    public var baseSequenceNumber: UInt16
    /// The 24-bit reference time in units of 64 ms (0...0xFFFFFF, wrapping; serialising more
    /// throws ``WireError/Code/invalidValue``). The first received packet's delta counts from it.
    public var referenceTime: UInt32
    /// Feedback packet count, incremented (mod 256) for each feedback packet sent, to detect
    /// feedback loss.
    public var feedbackPacketCount: UInt8
    /// One status per sequence number from ``baseSequenceNumber`` on (wrapping). Between 1 and
    /// 65535 entries: parsing a packet status count of 0 throws ``WireError/Code/invalidValue``,
    /// and so does serialising an empty or longer list.
    public var packetStatuses: [PacketStatus]

    /// Makes a transport-cc feedback message.
    public init(
        senderSSRC: UInt32,
        mediaSSRC: UInt32,
        baseSequenceNumber: UInt16,
        referenceTime: UInt32,
        feedbackPacketCount: UInt8,
        packetStatuses: [PacketStatus]
    ) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.packetStatuses = packetStatuses
    }

    /// The transport-wide sequence number of `packetStatuses[index]` (wrapping from 65535 to 0).
    public func sequenceNumber(at index: Int) -> UInt16 {
        self.baseSequenceNumber &+ UInt16(truncatingIfNeeded: index)
    }
}

extension RTCPTransportWideFeedback {
    private static let headerSize = 16

    /// Parses the body (everything after the 4-byte common header, padding removed).
    ///
    /// The last chunk may describe more symbols than the packet status count; the extra ones are
    /// ignored, as libwebrtc does. Up to three bytes after the receive deltas are the draft's zero
    /// padding; more are rejected. A packet without its receive deltas is rejected as truncated.
    init(parsingBody body: Span<UInt8>) throws(WireError) {
        guard body.count >= Self.headerSize else {
            throw WireError(.truncated, "RTCP transport-cc header", offset: body.count)
        }
        let statusCount = Int(body.uint16(at: 10))
        guard statusCount > 0 else {
            throw WireError(.invalidValue, "RTCP transport-cc packet status count 0", offset: 10)
        }
        var statuses: [PacketStatus] = []
        statuses.reserveCapacity(statusCount)
        var position = Self.headerSize
        // Each pass consumes two bytes, so the loop ends within body.count / 2 passes.
        while statuses.count < statusCount {
            guard body.count &- position >= 2 else {
                throw WireError(.truncated, "RTCP transport-cc packet chunks", offset: position)
            }
            let chunk = body.uint16(at: position)
            let remaining = statusCount &- statuses.count
            if chunk & 0x8000 == 0 {
                // Run-length chunk: T=0, a 2-bit symbol, a 13-bit run length.
                let run = min(Int(chunk & 0x1FFF), remaining)
                let status = try Self.placeholder(symbol: (chunk &>> 13) & 0x03, offset: position)
                statuses.append(contentsOf: repeatElement(status, count: run))
            } else if chunk & 0x4000 == 0 {
                // One-bit status vector: T=1, S=0, 14 symbols (0 not received, 1 small delta).
                for index in 0..<min(14, remaining) {
                    let received = chunk &>> (13 &- index) & 0x01 != 0
                    statuses.append(received ? .receivedSmallDelta(0) : .notReceived)
                }
            } else {
                // Two-bit status vector: T=1, S=1, 7 symbols.
                for index in 0..<min(7, remaining) {
                    let symbol = chunk &>> (12 &- 2 &* index) & 0x03
                    statuses.append(try Self.placeholder(symbol: symbol, offset: position))
                }
            }
            position &+= 2
        }
        // The statuses now say which deltas follow and how wide each is; read them in order.
        for index in statuses.indices {
            switch statuses[index] {
            case .notReceived:
                break
            case .receivedSmallDelta:
                guard position < body.count else {
                    throw WireError(.truncated, "RTCP transport-cc receive deltas", offset: position)
                }
                statuses[index] = .receivedSmallDelta(body[position])
                position &+= 1
            case .receivedLargeDelta:
                guard body.count &- position >= 2 else {
                    throw WireError(.truncated, "RTCP transport-cc receive deltas", offset: position)
                }
                statuses[index] = .receivedLargeDelta(Int16(bitPattern: body.uint16(at: position)))
                position &+= 2
            }
        }
        guard body.count &- position < 4 else {
            throw WireError(.invalidLength, "RTCP transport-cc bytes after the receive deltas", offset: position)
        }
        self.init(
            senderSSRC: body.uint32(at: 0),
            mediaSSRC: body.uint32(at: 4),
            baseSequenceNumber: body.uint16(at: 8),
            referenceTime: body.uint24(at: 12),
            feedbackPacketCount: body[15],
            packetStatuses: statuses
        )
    }

    /// A status for a chunk symbol, with a zero delta until the deltas are read.
    private static func placeholder(symbol: UInt16, offset: Int) throws(WireError) -> PacketStatus {
        switch symbol {
        case 0: return .notReceived
        case 1: return .receivedSmallDelta(0)
        case 2: return .receivedLargeDelta(0)
        default: throw WireError(.invalidValue, "RTCP transport-cc reserved status symbol 3", offset: offset)
        }
    }

    /// Appends the body (zero-padded to 32 bits, as the draft does, without the RTCP padding bit)
    /// and returns the header's FMT field.
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        let statuses = self.packetStatuses
        guard !statuses.isEmpty, statuses.count <= 0xFFFF else {
            throw WireError(.invalidValue, "RTCP transport-cc packet status count (1...65535)")
        }
        guard self.referenceTime <= 0xFF_FFFF else {
            throw WireError(.invalidValue, "RTCP transport-cc reference time (24 bits)")
        }
        let start = bytes.count
        bytes.appendUInt32(self.senderSSRC)
        bytes.appendUInt32(self.mediaSSRC)
        bytes.appendUInt16(self.baseSequenceNumber)
        bytes.appendUInt16(UInt16(statuses.count))
        bytes.appendUInt24(self.referenceTime)
        bytes.append(self.feedbackPacketCount)

        // Chunks: a run-length chunk for a run of 14 or more equal symbols (or a run that ends the
        // list), otherwise a 14-symbol one-bit vector when the next 14 symbols have no large
        // delta, otherwise a 7-symbol two-bit vector. Each pass covers at least one symbol.
        var index = 0
        while index < statuses.count {
            let symbol = statuses[index].symbol
            var run = 1
            while index &+ run < statuses.count && run < 0x1FFF && statuses[index &+ run].symbol == symbol {
                run &+= 1
            }
            if run >= 14 || index &+ run == statuses.count {
                bytes.appendUInt16(symbol &<< 13 | UInt16(run))
                index &+= run
                continue
            }
            let oneBitEnd = min(index &+ 14, statuses.count)
            if !statuses[index..<oneBitEnd].contains(where: { $0.symbol == 2 }) {
                var chunk: UInt16 = 0x8000
                for offset in 0..<(oneBitEnd &- index) {
                    chunk |= statuses[index &+ offset].symbol &<< (13 &- offset)
                }
                bytes.appendUInt16(chunk)
                index = oneBitEnd
            } else {
                let twoBitEnd = min(index &+ 7, statuses.count)
                var chunk: UInt16 = 0xC000
                for offset in 0..<(twoBitEnd &- index) {
                    chunk |= statuses[index &+ offset].symbol &<< (12 &- 2 &* offset)
                }
                bytes.appendUInt16(chunk)
                index = twoBitEnd
            }
        }

        for status in statuses {
            switch status {
            case .notReceived:
                break
            case .receivedSmallDelta(let delta):
                bytes.append(delta)
            case .receivedLargeDelta(let delta):
                bytes.appendUInt16(UInt16(bitPattern: delta))
            }
        }
        bytes.rtcpAlign(from: start)
        return Self.format
    }
}
