/// An SR packet (RFC 3550 section 6.4.1, PT 200): transmission statistics from a source that sends
/// media, plus reception report blocks for the sources it receives.
///
/// The relay sends one for every stream it originates (the mixed audio) so receivers can map RTP
/// timestamps to wall-clock time and compute round-trip times.
public struct RTCPSenderReport: Hashable, Sendable {
    /// SSRC of the sender.
    public var ssrc: UInt32
    /// The 64-bit NTP timestamp (seconds since 1900 in the upper 32 bits, fraction in the lower)
    /// of the moment this report was sent.
    public var ntpTimestamp: UInt64
    /// The same instant in the RTP clock of the sender's stream.
    public var rtpTimestamp: UInt32
    /// RTP packets sent since the stream started (wraps).
    public var packetCount: UInt32
    /// RTP payload octets sent since the stream started (wraps).
    public var octetCount: UInt32
    /// Reception report blocks. At most 31 fit in one packet: serialising more throws
    /// ``WireError/Code/tooMany``; ``RTCPCompound/senderReport(_:cname:feedback:)`` splits a longer
    /// list into extra RR packets instead.
    public var reportBlocks: [RTCPReportBlock]
    /// Profile-specific extension words after the report blocks, kept opaque. Must be a multiple
    /// of four bytes (serialising anything else throws ``WireError/Code/invalidLength``).
    public var profileExtension: [UInt8]

    /// Makes a sender report.
    public init(
        ssrc: UInt32,
        ntpTimestamp: UInt64,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reportBlocks: [RTCPReportBlock] = [],
        profileExtension: [UInt8] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }
}

extension RTCPSenderReport {
    private static let senderInfoSize = 24

    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>, count: UInt8) throws(WireError) {
        guard body.count >= Self.senderInfoSize else {
            throw WireError(.truncated, "RTCP SR sender info", offset: body.count)
        }
        let blocksSize = Int(count) * RTCPReportBlock.size
        guard body.count &- Self.senderInfoSize >= blocksSize else {
            throw WireError(.truncated, "RTCP SR report count larger than the packet", offset: body.count)
        }
        let extensionStart = Self.senderInfoSize &+ blocksSize
        guard (body.count &- extensionStart) % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP SR profile extension not 32-bit aligned", offset: extensionStart)
        }
        self.init(
            ssrc: body.uint32(at: 0),
            ntpTimestamp: body.uint64(at: 4),
            rtpTimestamp: body.uint32(at: 12),
            packetCount: body.uint32(at: 16),
            octetCount: body.uint32(at: 20),
            reportBlocks: RTCPReportBlock.parseBlocks(body, at: Self.senderInfoSize, count: Int(count)),
            profileExtension: body.rtcpCopy(extensionStart..<body.count)
        )
    }

    /// Appends the body and returns the header's count field (the number of report blocks).
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.reportBlocks.count <= 31 else {
            throw WireError(.tooMany, "RTCP SR report blocks (at most 31)")
        }
        guard self.profileExtension.count % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP SR profile extension not 32-bit aligned")
        }
        bytes.appendUInt32(self.ssrc)
        bytes.appendUInt64(self.ntpTimestamp)
        bytes.appendUInt32(self.rtpTimestamp)
        bytes.appendUInt32(self.packetCount)
        bytes.appendUInt32(self.octetCount)
        for block in self.reportBlocks {
            block.serialize(into: &bytes)
        }
        bytes.append(contentsOf: self.profileExtension)
        return UInt8(self.reportBlocks.count)
    }
}
