// Builders for the compounds the relay sends: a report first, then SDES with a CNAME, then any
// feedback (RFC 3550 section 6.1, RFC 4585 section 3.1).

extension RTCPCompound {
    /// The most report blocks one SR or RR can carry (the 5-bit count field).
    public static let maximumReportBlocksPerPacket = 31

    /// A regular compound from a participant that does not send media: RR, SDES CNAME, feedback.
    ///
    /// More than 31 report blocks are spread over additional RR packets with the same SSRC right
    /// after the first, as RFC 3550 section 6.4.2 describes.
    ///
    /// - Parameters:
    ///   - ssrc: the relay's SSRC for this participant's leg.
    ///   - reportBlocks: one per source received, any number.
    ///   - cname: the CNAME to describe `ssrc` with (at most 255 UTF-8 bytes, or serialising throws).
    ///   - feedback: packets to append after the SDES, such as NACK, PLI or REMB.
    public static func receiverReport(
        ssrc: UInt32,
        reportBlocks: [RTCPReportBlock],
        cname: String,
        feedback: [RTCPPacket] = []
    ) -> RTCPCompound {
        var groups = Self.split(reportBlocks)
        let first = groups.removeFirst()
        var packets: [RTCPPacket] = [.receiverReport(RTCPReceiverReport(ssrc: ssrc, reportBlocks: first))]
        Self.appendReports(groups, ssrc: ssrc, cname: cname, feedback: feedback, to: &packets)
        return RTCPCompound(packets: packets)
    }

    /// A regular compound from a participant that sends media: SR, SDES CNAME, feedback.
    ///
    /// If `report` holds more than 31 report blocks, the SR keeps the first 31 and the rest follow
    /// in additional RR packets with the same SSRC (RFC 3550 section 6.4.2).
    ///
    /// - Parameters:
    ///   - report: the sender report; its `ssrc` is also the SDES chunk's.
    ///   - cname: the CNAME to describe the sender with (at most 255 UTF-8 bytes, or serialising
    ///     throws).
    ///   - feedback: packets to append after the SDES.
    public static func senderReport(
        _ report: RTCPSenderReport,
        cname: String,
        feedback: [RTCPPacket] = []
    ) -> RTCPCompound {
        var groups = Self.split(report.reportBlocks)
        var first = report
        first.reportBlocks = groups.removeFirst()
        var packets: [RTCPPacket] = [.senderReport(first)]
        Self.appendReports(groups, ssrc: report.ssrc, cname: cname, feedback: feedback, to: &packets)
        return RTCPCompound(packets: packets)
    }

    /// Report blocks in groups of at most 31; always at least one (possibly empty) group.
    private static func split(_ blocks: [RTCPReportBlock]) -> [[RTCPReportBlock]] {
        var groups: [[RTCPReportBlock]] = []
        var start = 0
        repeat {
            let end = min(start &+ Self.maximumReportBlocksPerPacket, blocks.count)
            groups.append(Array(blocks[start..<end]))
            start = end
        } while start < blocks.count
        return groups
    }

    private static func appendReports(
        _ extraGroups: [[RTCPReportBlock]],
        ssrc: UInt32,
        cname: String,
        feedback: [RTCPPacket],
        to packets: inout [RTCPPacket]
    ) {
        for group in extraGroups {
            packets.append(.receiverReport(RTCPReceiverReport(ssrc: ssrc, reportBlocks: group)))
        }
        packets.append(.sourceDescription(RTCPSourceDescription(ssrc: ssrc, cname: cname)))
        packets.append(contentsOf: feedback)
    }
}
