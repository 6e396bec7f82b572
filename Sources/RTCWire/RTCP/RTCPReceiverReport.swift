/// An RR packet (RFC 3550 section 6.4.2, PT 201): reception report blocks from a participant that
/// is not sending media, or extra blocks after an SR or RR that ran out of its 31 slots.
///
/// The relay sends these upstream to every publisher so its loss and jitter statistics reflect the
/// relay's leg, not the subscribers'.
public struct RTCPReceiverReport: Hashable, Sendable {
    /// SSRC of the packet's sender (the reporter).
    public var ssrc: UInt32
    /// Reception report blocks; at most 31 per packet (serialising more throws
    /// ``WireError/Code/tooMany``). An RR with none is valid and common.
    public var reportBlocks: [RTCPReportBlock]
    /// Profile-specific extension words after the report blocks, kept opaque. Must be a multiple
    /// of four bytes (serialising anything else throws ``WireError/Code/invalidLength``).
    public var profileExtension: [UInt8]

    /// Makes a receiver report.
    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = [], profileExtension: [UInt8] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }
}

extension RTCPReceiverReport {
    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>, count: UInt8) throws(WireError) {
        guard body.count >= 4 else {
            throw WireError(.truncated, "RTCP RR sender SSRC", offset: body.count)
        }
        let blocksSize = Int(count) * RTCPReportBlock.size
        guard body.count &- 4 >= blocksSize else {
            throw WireError(.truncated, "RTCP RR report count larger than the packet", offset: body.count)
        }
        let extensionStart = 4 &+ blocksSize
        guard (body.count &- extensionStart) % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP RR profile extension not 32-bit aligned", offset: extensionStart)
        }
        self.init(
            ssrc: body.uint32(at: 0),
            reportBlocks: RTCPReportBlock.parseBlocks(body, at: 4, count: Int(count)),
            profileExtension: body.rtcpCopy(extensionStart..<body.count)
        )
    }

    /// Appends the body and returns the header's count field (the number of report blocks).
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.reportBlocks.count <= 31 else {
            throw WireError(.tooMany, "RTCP RR report blocks (at most 31)")
        }
        guard self.profileExtension.count % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP RR profile extension not 32-bit aligned")
        }
        bytes.appendUInt32(self.ssrc)
        for block in self.reportBlocks {
            block.serialize(into: &bytes)
        }
        bytes.append(contentsOf: self.profileExtension)
        return UInt8(self.reportBlocks.count)
    }
}
