public import RTCWire

/// What the relay received of one publisher's media stream, kept as RFC 3550 appendix A describes,
/// so the relay can send the publisher receiver reports about its own leg: loss fraction,
/// cumulative loss, extended highest sequence number, interarrival jitter, and the LSR/DLSR pair
/// for round-trip time.
///
/// Feed it every media packet with ``record(sequenceNumber:timestamp:arrival:)`` (the
/// ``Forwarder`` does, in ``Forwarder/ingest(_:from:now:)``) and every sender report of the
/// stream with ``recordSenderReport(_:arrival:)``; take a report block with
/// ``makeReportBlock(ssrc:now:)`` each time the relay sends an RR (it starts a new reporting
/// interval for the loss fraction).
///
/// Sequence numbers follow RFC 3550 A.1 without probation (SRTP already authenticated the
/// sender): a jump of more than 3000 ahead or 100 behind is not counted, unless the next packet
/// follows it, in which case the source restarted and the statistics start again from it. Jitter
/// is A.8's integer form: 16 times the estimate is kept, and the reported value is that divided by
/// 16. A plain value; nothing here allocates or reads a clock.
public struct InboundStreamStatistics: Hashable, Sendable {
    /// The last sender report received for the stream.
    public struct SenderReport: Hashable, Sendable {
        /// Its NTP timestamp.
        public var ntpTimestamp: UInt64
        /// Its RTP timestamp (the same instant on the media clock).
        public var rtpTimestamp: UInt32
        /// Packets the publisher says it sent.
        public var packetCount: UInt32
        /// Payload octets the publisher says it sent.
        public var octetCount: UInt32
        /// When the relay received it.
        public var arrival: RelayTime

        /// Records a sender report.
        public init(
            ntpTimestamp: UInt64,
            rtpTimestamp: UInt32,
            packetCount: UInt32,
            octetCount: UInt32,
            arrival: RelayTime
        ) {
            self.ntpTimestamp = ntpTimestamp
            self.rtpTimestamp = rtpTimestamp
            self.packetCount = packetCount
            self.octetCount = octetCount
            self.arrival = arrival
        }
    }

    /// RFC 3550 A.1's MAX_DROPOUT.
    static let maximumDropout: UInt16 = 3000
    /// RFC 3550 A.1's MAX_MISORDER.
    static let maximumMisorder: UInt16 = 100
    /// RFC 3550 A.1's RTP_SEQ_MOD.
    static let sequenceModulus: UInt32 = 1 << 16

    /// The stream's clock rate in Hz, which arrival times are converted to for jitter.
    public let clockRate: UInt32
    /// Whether any packet has been counted.
    public private(set) var hasReceived = false
    /// Packets counted since the stream (re)started, duplicates included (RFC 3550's `received`).
    public private(set) var received: UInt32 = 0
    /// The last sender report received, or `nil`.
    public private(set) var lastSenderReport: SenderReport?
    /// The RTP timestamp of the newest packet (the one with the highest sequence number), for
    /// the sender reports the relay gives subscribers (meaningful once ``hasReceived``).
    public private(set) var newestTimestamp: UInt32 = 0
    /// When the newest packet arrived.
    public private(set) var newestArrival = RelayTime(nanoseconds: 0)

    private var baseSequenceNumber: UInt32 = 0
    private var maximumSequenceNumber: UInt16 = 0
    /// Wraps seen, times 65536 (RFC 3550's `cycles`).
    private var cycles: UInt32 = 0
    /// The sequence number that would confirm a restart; above 65535 when none is pending.
    private var badSequenceNumber: UInt32 = Self.sequenceModulus &+ 1
    private var expectedPrior: Int64 = 0
    private var receivedPrior: UInt32 = 0
    /// The previous packet's relative transit time, in clock ticks.
    private var transit: UInt32?
    /// 16 times the jitter estimate.
    private var scaledJitter: UInt32 = 0

    /// Statistics for a stream with this clock rate (a rate of 0 makes jitter always 0).
    public init(clockRate: UInt32) {
        self.clockRate = clockRate
    }

    /// The extended highest sequence number received: wraps in the high 16 bits, the sequence
    /// number in the low 16.
    public var extendedHighestSequenceNumber: UInt32 {
        self.cycles &+ UInt32(self.maximumSequenceNumber)
    }

    /// Packets expected since the stream (re)started: the extended highest sequence number minus
    /// the first one, plus one (0 before any packet).
    public var expected: Int64 {
        guard self.hasReceived else { return 0 }
        return Int64(self.cycles) &+ Int64(self.maximumSequenceNumber) &- Int64(self.baseSequenceNumber) &+ 1
    }

    /// Expected minus received: negative when duplicates arrived. The report block clamps it to
    /// 24 bits.
    public var cumulativeLost: Int64 {
        self.expected &- Int64(self.received)
    }

    /// The interarrival jitter estimate, in clock ticks.
    public var jitter: UInt32 {
        self.scaledJitter &>> 4
    }

    /// Counts one media packet (RFC 3550 A.1 `update_seq`, A.8 jitter).
    ///
    /// - Parameters:
    ///   - sequenceNumber: the packet's sequence number.
    ///   - timestamp: the packet's RTP timestamp.
    ///   - arrival: when it arrived.
    public mutating func record(sequenceNumber: UInt16, timestamp: UInt32, arrival: RelayTime) {
        if !self.hasReceived {
            self.restart(at: sequenceNumber)
            self.hasReceived = true
            self.newestTimestamp = timestamp
            self.newestArrival = arrival
        } else {
            let delta = sequenceNumber &- self.maximumSequenceNumber
            if delta < Self.maximumDropout {
                // In order, with a permissible gap.
                if sequenceNumber < self.maximumSequenceNumber {
                    self.cycles &+= Self.sequenceModulus
                }
                self.maximumSequenceNumber = sequenceNumber
                self.newestTimestamp = timestamp
                self.newestArrival = arrival
            } else if UInt32(delta) <= Self.sequenceModulus &- UInt32(Self.maximumMisorder) {
                // A very large jump: count it only if the next packet confirms a restart.
                guard UInt32(sequenceNumber) == self.badSequenceNumber else {
                    self.badSequenceNumber = UInt32(sequenceNumber &+ 1)
                    return
                }
                self.restart(at: sequenceNumber)
                self.newestTimestamp = timestamp
                self.newestArrival = arrival
            }
            // Otherwise a duplicate or reordered packet: counted, no change to the highest.
        }
        self.received &+= 1

        // RFC 3550 A.8: transit = arrival - timestamp on the media clock; the jitter follows the
        // absolute change of transit with gain 1/16. Only differences matter, so both wrap.
        let arrivalTicks = UInt32(
            truncatingIfNeeded: RoutingClock.ticks(nanoseconds: arrival.nanoseconds, clockRate: self.clockRate)
        )
        let transit = arrivalTicks &- timestamp
        if let previous = self.transit {
            let change = Int64(Int32(bitPattern: transit &- previous).magnitude)
            let jitter = Int64(self.scaledJitter)
            let updated = jitter &+ change &- ((jitter &+ 8) &>> 4)
            self.scaledJitter = UInt32(clamping: updated)
        }
        self.transit = transit
    }

    /// Records a sender report of the stream, for the next report block's LSR and DLSR.
    public mutating func recordSenderReport(_ report: RTCPSenderReport, arrival: RelayTime) {
        self.lastSenderReport = SenderReport(
            ntpTimestamp: report.ntpTimestamp,
            rtpTimestamp: report.rtpTimestamp,
            packetCount: report.packetCount,
            octetCount: report.octetCount,
            arrival: arrival
        )
    }

    /// A report block about the stream, and the start of a new reporting interval; `nil` before
    /// any packet (RFC 3550 reports only on sources heard from).
    ///
    /// - Parameters:
    ///   - ssrc: the publisher's SSRC the block is about.
    ///   - now: when the report is sent, for DLSR.
    public mutating func makeReportBlock(ssrc: UInt32, now: RelayTime) -> RTCPReportBlock? {
        guard self.hasReceived else { return nil }
        let expected = self.expected
        let expectedInterval = expected &- self.expectedPrior
        self.expectedPrior = expected
        let receivedInterval = Int64(self.received &- self.receivedPrior)
        self.receivedPrior = self.received
        let lostInterval = expectedInterval &- receivedInterval
        let fraction: UInt8
        if expectedInterval <= 0 || lostInterval <= 0 {
            fraction = 0
        } else {
            // 256 (everything lost) does not fit the 8-bit field: report 255/256.
            fraction = UInt8(clamping: (lostInterval &<< 8) / expectedInterval)
        }
        let cumulativeLost = Int32(clamping: min(max(self.cumulativeLost, -0x80_0000), 0x7F_FFFF))
        var lastSenderReport: UInt32 = 0
        var delay: UInt32 = 0
        if let report = self.lastSenderReport {
            // LSR is the middle 32 bits of the NTP timestamp; DLSR is in units of 1/65536 s.
            lastSenderReport = UInt32(truncatingIfNeeded: report.ntpTimestamp &>> 16)
            delay = RoutingClock.compactDuration(nanoseconds: now.nanoseconds(since: report.arrival))
        }
        return RTCPReportBlock(
            ssrc: ssrc,
            fractionLost: fraction,
            cumulativeLost: cumulativeLost,
            extendedHighestSequenceNumber: self.extendedHighestSequenceNumber,
            jitter: self.jitter,
            lastSenderReport: lastSenderReport,
            delaySinceLastSenderReport: delay
        )
    }

    /// RFC 3550 A.1 `init_seq`: the stream (re)starts at this sequence number.
    private mutating func restart(at sequenceNumber: UInt16) {
        self.baseSequenceNumber = UInt32(sequenceNumber)
        self.maximumSequenceNumber = sequenceNumber
        self.badSequenceNumber = Self.sequenceModulus &+ 1
        self.cycles = 0
        self.received = 0
        self.receivedPrior = 0
        self.expectedPrior = 0
        // A restarted source has a new timestamp base: its transit times are not comparable.
        self.transit = nil
    }
}
