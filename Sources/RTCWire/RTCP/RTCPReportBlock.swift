/// One reception report block of an SR or RR (RFC 3550 section 6.4.1): what one receiver saw of
/// one source since the previous report.
///
/// Fields are stored as they appear on the wire, so a parsed block serialises to the same bytes.
public struct RTCPReportBlock: Hashable, Sendable {
    /// The size of a report block on the wire.
    public static let size = 24

    /// SSRC of the source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the previous report, as a fixed-point number with the binary
    /// point at the left edge (`lost * 256 / expected`).
    public var fractionLost: UInt8
    /// Cumulative number of packets lost, a signed 24-bit value on the wire (duplicates can make it
    /// negative). When serialising, values outside -8388608...8388607 are clamped to that range,
    /// as RFC 3550 section 6.4.1 asks.
    public var cumulativeLost: Int32
    /// Extended highest sequence number received: cycles in the upper 16 bits, sequence number in
    /// the lower 16.
    public var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter, in RTP timestamp units.
    public var jitter: UInt32
    /// LSR: the middle 32 bits of the NTP timestamp of the last SR received from this source, or 0.
    public var lastSenderReport: UInt32
    /// DLSR: delay since that SR was received, in units of 1/65536 seconds, or 0.
    public var delaySinceLastSenderReport: UInt32

    /// Makes a report block; every field defaults to zero except the SSRC.
    public init(
        ssrc: UInt32,
        fractionLost: UInt8 = 0,
        cumulativeLost: Int32 = 0,
        extendedHighestSequenceNumber: UInt32 = 0,
        jitter: UInt32 = 0,
        lastSenderReport: UInt32 = 0,
        delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }
}

extension RTCPReportBlock {
    /// Reads `count` blocks starting at `offset`; the caller has checked they fit in `bytes`.
    static func parseBlocks(_ bytes: Span<UInt8>, at offset: Int, count: Int) -> [RTCPReportBlock] {
        var blocks: [RTCPReportBlock] = []
        blocks.reserveCapacity(count)
        var position = offset
        for _ in 0..<count {
            // The 24-bit cumulative loss is signed: shift it to the top of an Int32 and back down
            // to sign-extend it.
            let lostField = bytes.uint32(at: position &+ 4) & 0x00FF_FFFF
            let cumulativeLost = Int32(bitPattern: lostField &<< 8) &>> 8
            blocks.append(
                RTCPReportBlock(
                    ssrc: bytes.uint32(at: position),
                    fractionLost: bytes[position &+ 4],
                    cumulativeLost: cumulativeLost,
                    extendedHighestSequenceNumber: bytes.uint32(at: position &+ 8),
                    jitter: bytes.uint32(at: position &+ 12),
                    lastSenderReport: bytes.uint32(at: position &+ 16),
                    delaySinceLastSenderReport: bytes.uint32(at: position &+ 20)
                )
            )
            position &+= RTCPReportBlock.size
        }
        return blocks
    }

    /// Appends the block's 24 bytes.
    func serialize(into bytes: inout [UInt8]) {
        bytes.appendUInt32(self.ssrc)
        bytes.append(self.fractionLost)
        let clamped = min(max(self.cumulativeLost, -0x80_0000), 0x7F_FFFF)
        bytes.appendUInt24(UInt32(bitPattern: clamped) & 0x00FF_FFFF)
        bytes.appendUInt32(self.extendedHighestSequenceNumber)
        bytes.appendUInt32(self.jitter)
        bytes.appendUInt32(self.lastSenderReport)
        bytes.appendUInt32(self.delaySinceLastSenderReport)
    }
}
