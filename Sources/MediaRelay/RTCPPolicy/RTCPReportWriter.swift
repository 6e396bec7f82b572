import RTCWire

/// Appends the RTCP packets of the relay's own reports (RFC 3550 6.4) to a reused byte array,
/// field by field: a sender report without report blocks, a receiver report with up to 31
/// blocks, and an SDES packet with one CNAME chunk. Nothing here allocates once the array has
/// the capacity (RTCWire's general serializer builds intermediate arrays; these three fixed
/// layouts need none).
enum RTCPReportWriter {
    /// Bytes of a sender report without report blocks.
    static let senderReportLength = 28

    /// Bytes of a receiver report with `blocks` report blocks.
    static func receiverReportLength(blocks: Int) -> Int {
        8 &+ 24 &* blocks
    }

    /// Appends a sender report with no report blocks.
    static func appendSenderReport(_ report: RTCPSenderReport, to bytes: inout [UInt8]) {
        // V=2, P=0, RC=0; PT=200; length 6 (words minus one).
        Self.appendHeader(count: 0, type: 200, words: 6, to: &bytes)
        Self.append32(report.ssrc, to: &bytes)
        Self.append32(UInt32(truncatingIfNeeded: report.ntpTimestamp &>> 32), to: &bytes)
        Self.append32(UInt32(truncatingIfNeeded: report.ntpTimestamp), to: &bytes)
        Self.append32(report.rtpTimestamp, to: &bytes)
        Self.append32(report.packetCount, to: &bytes)
        Self.append32(report.octetCount, to: &bytes)
    }

    /// Appends a receiver report from `ssrc` with `blocks` (at most 31; more are left out).
    static func appendReceiverReport(ssrc: UInt32, blocks: ArraySlice<RTCPReportBlock>, to bytes: inout [UInt8]) {
        let count = min(blocks.count, RTCPCompound.maximumReportBlocksPerPacket)
        Self.appendHeader(count: UInt8(count), type: 201, words: UInt16(1 &+ 6 &* count), to: &bytes)
        Self.append32(ssrc, to: &bytes)
        for block in blocks.prefix(count) {
            Self.append32(block.ssrc, to: &bytes)
            // Cumulative lost is a signed 24-bit field after the 8-bit fraction.
            let lost = UInt32(bitPattern: block.cumulativeLost) & 0x00FF_FFFF
            Self.append32(UInt32(block.fractionLost) &<< 24 | lost, to: &bytes)
            Self.append32(block.extendedHighestSequenceNumber, to: &bytes)
            Self.append32(block.jitter, to: &bytes)
            Self.append32(block.lastSenderReport, to: &bytes)
            Self.append32(block.delaySinceLastSenderReport, to: &bytes)
        }
    }

    /// The bytes of an SDES packet with one chunk: `ssrc` and its CNAME (cut to 255 bytes), null
    /// terminated and padded to a 32-bit boundary. Made once per core (allocates).
    static func sourceDescription(ssrc: UInt32, cname: String) -> [UInt8] {
        let name = Array(cname.utf8.prefix(255))
        // SSRC, type, length, text, then at least one null octet, to a multiple of four.
        let chunk = 4 + 2 + name.count
        let padded = (chunk + 1 + 3) / 4 * 4
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + padded)
        Self.appendHeader(count: 1, type: 202, words: UInt16(padded / 4), to: &bytes)
        Self.append32(ssrc, to: &bytes)
        bytes.append(1)
        bytes.append(UInt8(name.count))
        bytes.append(contentsOf: name)
        while bytes.count < 4 + padded {
            bytes.append(0)
        }
        return bytes
    }

    private static func appendHeader(count: UInt8, type: UInt8, words: UInt16, to bytes: inout [UInt8]) {
        bytes.append(0x80 | (count & 0x1F))
        bytes.append(type)
        bytes.append(UInt8(truncatingIfNeeded: words &>> 8))
        bytes.append(UInt8(truncatingIfNeeded: words))
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value &>> 24))
        bytes.append(UInt8(truncatingIfNeeded: value &>> 16))
        bytes.append(UInt8(truncatingIfNeeded: value &>> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
