import RTCWire

/// The receiving side of transport-wide congestion control for one transport
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01): records when each RTP packet carrying a
/// transport-wide sequence number arrived, and writes the RTCP transport-cc feedback (RTPFB,
/// FMT 15) that lets the sender's bandwidth estimator (Chromium's send-side BWE) measure delay
/// and loss, and so ramp its video up.
///
/// Sans-I/O: ``record(sequenceNumber:ssrc:arrival:)`` takes the arrival time as a parameter and
/// ``appendFeedback(senderSSRC:maximumLength:into:)`` appends the plain RTCP packet to a caller's
/// reused array; the caller decides when (every 50-100 ms, and sooner when ``isUrgent``), and
/// protects and sends it.
///
/// **Window.** The sequence number is transport-wide (one counter across all the sender's
/// SSRCs), unwrapped across 65535 -> 0. Arrival times live in a ring of ``capacity`` slots
/// indexed by sequence number, allocated in `init`: recording and writing allocate nothing,
/// whatever arrives. The ring also keeps the last ``capacity`` sequence numbers already reported,
/// so that a late packet (reordered past a feedback) is reported again from its sequence number
/// on, as libwebrtc's receiver does; a packet older than the ring, or one already recorded, is
/// ignored and counted (``lateCount``, ``duplicateCount``). When the unreported span would grow
/// past the ring (a jump forward of more than ``capacity``, or feedback not written in time), the
/// oldest unreported numbers are given up (``overrunCount``): a flood of random sequence numbers
/// can neither grow memory nor make feedback longer than the ring.
///
/// **Feedback.** Each packet covers the unreported span from its start: missing numbers are
/// "not received", the first received packet's delta counts from the reference time (its arrival
/// rounded down to 64 ms), each next one from the previous one's reported time, in 250 us ticks
/// (0...255 as a small delta, otherwise a signed 16-bit large delta; a packet stops before a
/// delta that does not fit 16 bits, and the next one starts a new reference). Chunks are
/// run-length for runs of 14 or more equal symbols and for a final run, 14-symbol one-bit vectors
/// without large deltas, 7-symbol two-bit vectors otherwise. A packet never exceeds the given
/// length; what does not fit stays for the next one.
///
/// A loop-bound value: the worker owns it.
public struct TransportWideFeedbackRecorder: Sendable {
    /// Slots of the default ring: 2048, about a second of a 15 Mbit/s video sender, and 16 KiB.
    public static let defaultCapacity = 2048
    /// The RTCP packet type of transport-layer feedback (RTPFB).
    static let packetType: UInt8 = 205
    /// Bytes of the RTCP header and the fixed part of the transport-cc body.
    static let fixedLength = 20
    /// Nanoseconds per receive-delta tick (250 us).
    static let tickNanoseconds: Int64 = 250_000
    /// Nanoseconds per reference-time unit (64 ms).
    static let referenceUnitNanoseconds: UInt64 = 64_000_000
    /// A slot with no arrival.
    static let missing = UInt64.max
    /// Symbols of the status chunks.
    static let notReceived: UInt8 = 0
    static let smallDelta: UInt8 = 1
    static let largeDelta: UInt8 = 2

    /// Arrival times in nanoseconds (or ``missing``), at `sequence & mask`.
    private var arrivals: [UInt64]
    private let mask: Int64
    /// Scratch for one packet's symbols and deltas (capacity entries each, reused).
    private var symbols: [UInt8]
    private var deltas: [Int16]
    private var unwrapper = RTPSequenceNumberUnwrapper()
    /// Whether anything was recorded yet.
    private var started = false
    /// One past the highest sequence number recorded.
    private var end: Int64 = 0
    /// The oldest sequence number whose slot is still valid.
    private var historyStart: Int64 = 0
    /// The first sequence number not yet reported (`end` when everything is).
    private var reportStart: Int64 = 0

    /// Slots in the ring: the longest span of sequence numbers one feedback can cover.
    public let capacity: Int
    /// The feedback packet count of the next packet (mod 256).
    public private(set) var feedbackPacketCount: UInt8 = 0
    /// The SSRC of the last packet recorded: the feedback's media SSRC (any of the sender's will
    /// do; libwebrtc does the same).
    public private(set) var mediaSSRC: UInt32 = 0
    /// Packets recorded.
    public private(set) var recordedCount: UInt64 = 0
    /// Packets ignored because their sequence number was already recorded.
    public private(set) var duplicateCount: UInt64 = 0
    /// Packets ignored because their sequence number was older than the ring.
    public private(set) var lateCount: UInt64 = 0
    /// Sequence numbers given up unreported because the unreported span outgrew the ring.
    public private(set) var overrunCount: UInt64 = 0

    /// A recorder with nothing recorded.
    ///
    /// - Parameter capacity: ring slots, rounded up to a power of two, 16...4096 (clamped: with
    ///   4096, ``minimumFeedbackLength`` is 1192 bytes, still one datagram).
    public init(capacity: Int = Self.defaultCapacity) {
        var slots = 16
        while slots < min(max(capacity, 16), 4096) {
            slots &*= 2
        }
        self.capacity = slots
        self.mask = Int64(slots &- 1)
        self.arrivals = [UInt64](repeating: Self.missing, count: slots)
        self.symbols = [UInt8](repeating: 0, count: slots)
        self.deltas = [Int16](repeating: 0, count: slots)
    }

    /// The smallest `maximumLength` for which ``appendFeedback(senderSSRC:maximumLength:into:)``
    /// always makes progress: the fixed part, the chunks of a whole ring, one large delta.
    public var minimumFeedbackLength: Int {
        (Self.fixedLength &+ 2 &* ((self.capacity &+ 6) / 7) &+ 2 &+ 3) & ~3
    }

    /// Sequence numbers waiting to be reported (received or not), 0...``capacity``.
    public var pendingCount: Int {
        Int(self.end &- self.reportStart)
    }

    /// Whether feedback should be written now rather than at the next interval: half the ring is
    /// unreported.
    public var isUrgent: Bool {
        self.pendingCount >= self.capacity / 2
    }

    /// Records the arrival of a packet carrying transport-wide sequence number `sequenceNumber`.
    /// Constant work per call (at most ``capacity`` slot writes for a jump forward), no
    /// allocation.
    ///
    /// - Parameters:
    ///   - ssrc: the packet's SSRC (kept as the feedback's media SSRC).
    ///   - arrival: when it arrived (the worker's clock).
    public mutating func record(sequenceNumber: UInt16, ssrc: UInt32, arrival: RelayTime) {
        let value = self.unwrapper.unwrap(sequenceNumber)
        // UInt64.max is the empty mark: an arrival at that instant is recorded a nanosecond early.
        let time = min(arrival.nanoseconds, Self.missing &- 1)
        guard self.started else {
            self.started = true
            self.historyStart = value
            self.reportStart = value
            self.end = value &+ 1
            self.store(time, at: value, ssrc: ssrc)
            return
        }
        if value >= self.end {
            // Newer: the numbers skipped become "not received" (only those still in the ring).
            let capacity = Int64(self.capacity)
            var gap = max(self.end, value &- capacity &+ 1)
            while gap < value {
                self.arrivals[Int(gap & self.mask)] = Self.missing
                gap &+= 1
            }
            self.end = value &+ 1
            self.historyStart = max(self.historyStart, self.end &- capacity)
            if self.reportStart < self.historyStart {
                self.overrunCount &+= UInt64(self.historyStart &- self.reportStart)
                self.reportStart = self.historyStart
            }
            self.store(time, at: value, ssrc: ssrc)
        } else if value >= self.historyStart {
            guard self.arrivals[Int(value & self.mask)] == Self.missing else {
                self.duplicateCount &+= 1
                return
            }
            self.store(time, at: value, ssrc: ssrc)
            // Late: report again from here on, so the sender learns it arrived after all.
            self.reportStart = min(self.reportStart, value)
        } else {
            self.lateCount &+= 1
        }
    }

    private mutating func store(_ time: UInt64, at value: Int64, ssrc: UInt32) {
        self.arrivals[Int(value & self.mask)] = time
        self.mediaSSRC = ssrc
        self.recordedCount &+= 1
    }

    /// Appends one RTCP transport-cc feedback packet (header included, not protected) covering
    /// the oldest unreported sequence numbers, at most `maximumLength` bytes, and marks them
    /// reported. Call it again while ``pendingCount`` is not 0 to report the rest. Allocates
    /// nothing when `bytes` has the capacity.
    ///
    /// - Parameters:
    ///   - senderSSRC: the SSRC the feedback is sent from (the relay's).
    ///   - maximumLength: the most bytes to append; below ``minimumFeedbackLength`` nothing is
    ///     written (false), so that every call that writes reports at least one received packet.
    ///   - bytes: where the packet goes (appended).
    /// - Returns: whether a packet was appended (false when nothing is pending).
    public mutating func appendFeedback(senderSSRC: UInt32, maximumLength: Int, into bytes: inout [UInt8]) -> Bool {
        guard self.reportStart < self.end, maximumLength >= self.minimumFeedbackLength else { return false }
        let base = self.reportStart
        // The span always ends with a received packet (the highest recorded), so this finds one.
        var first = base
        while first < self.end && self.arrivals[Int(first & self.mask)] == Self.missing {
            first &+= 1
        }
        guard first < self.end else {
            self.reportStart = self.end
            return false
        }
        let referenceUnits = self.arrivals[Int(first & self.mask)] / Self.referenceUnitNanoseconds
        let count = self.collectStatuses(
            base: base,
            reference: Int64(referenceUnits &* Self.referenceUnitNanoseconds),
            maximumLength: maximumLength
        )
        guard count > 0 else { return false }

        let start = bytes.count
        bytes.append(0x80 | RTCPTransportWideFeedback.format)
        bytes.append(Self.packetType)
        bytes.append(0)
        bytes.append(0)
        Self.append(senderSSRC, to: &bytes)
        Self.append(self.mediaSSRC, to: &bytes)
        Self.append(UInt16(truncatingIfNeeded: base), to: &bytes)
        Self.append(UInt16(count), to: &bytes)
        let reference = UInt32(truncatingIfNeeded: referenceUnits) & 0xFF_FFFF
        bytes.append(UInt8(truncatingIfNeeded: reference >> 16))
        bytes.append(UInt8(truncatingIfNeeded: reference >> 8))
        bytes.append(UInt8(truncatingIfNeeded: reference))
        bytes.append(self.feedbackPacketCount)
        self.appendChunks(count: count, to: &bytes)
        for index in 0..<count {
            switch self.symbols[index] {
            case Self.smallDelta:
                bytes.append(UInt8(truncatingIfNeeded: self.deltas[index]))
            case Self.largeDelta:
                Self.append(UInt16(bitPattern: self.deltas[index]), to: &bytes)
            default:
                break
            }
        }
        // The draft's zero padding to 32 bits (no RTCP padding bit, as RTCWire writes it).
        while (bytes.count &- start) % 4 != 0 {
            bytes.append(0)
        }
        let words = (bytes.count &- start) / 4 &- 1
        bytes[start &+ 2] = UInt8(truncatingIfNeeded: words >> 8)
        bytes[start &+ 3] = UInt8(truncatingIfNeeded: words)

        self.reportStart = base &+ Int64(count)
        self.feedbackPacketCount &+= 1
        return true
    }

    /// Fills ``symbols`` and ``deltas`` for the statuses from `base` that fit `maximumLength`,
    /// ending with a received packet, and returns how many.
    private mutating func collectStatuses(base: Int64, reference: Int64, maximumLength: Int) -> Int {
        var count = 0
        var deltaBytes = 0
        var reported = reference
        var sequence = base
        while sequence < self.end {
            let index = Int(sequence &- base)
            let arrival = self.arrivals[Int(sequence & self.mask)]
            sequence &+= 1
            guard arrival != Self.missing else {
                self.symbols[index] = Self.notReceived
                continue
            }
            // Rounded to the nearest tick; arrivals are far below Int64.max nanoseconds.
            let difference = Int64(arrival) &- reported
            let ticks = Self.floorDivide(difference &+ Self.tickNanoseconds / 2, by: Self.tickNanoseconds)
            let size: Int
            if ticks >= 0 && ticks <= 255 {
                size = 1
                self.symbols[index] = Self.smallDelta
            } else if ticks >= Int64(Int16.min) && ticks <= Int64(Int16.max) {
                size = 2
                self.symbols[index] = Self.largeDelta
            } else {
                break
            }
            // Chunks cost at most 2 bytes per 7 statuses (two-bit vectors), so this bound holds.
            let statuses = index &+ 1
            let chunkBytes = 2 &* ((statuses &+ 6) / 7)
            let length = (Self.fixedLength &+ chunkBytes &+ deltaBytes &+ size &+ 3) & ~3
            guard length <= maximumLength else { break }
            self.deltas[index] = Int16(truncatingIfNeeded: ticks)
            deltaBytes &+= size
            reported &+= ticks &* Self.tickNanoseconds
            count = statuses
        }
        return count
    }

    /// Appends the status chunks of the first `count` symbols.
    private func appendChunks(count: Int, to bytes: inout [UInt8]) {
        var index = 0
        while index < count {
            let symbol = self.symbols[index]
            var run = 1
            while index &+ run < count && run < 0x1FFF && self.symbols[index &+ run] == symbol {
                run &+= 1
            }
            if run >= 14 || index &+ run == count {
                Self.append(UInt16(symbol) << 13 | UInt16(run), to: &bytes)
                index &+= run
                continue
            }
            let oneBitEnd = min(index &+ 14, count)
            var hasLarge = false
            for offset in index..<oneBitEnd where self.symbols[offset] == Self.largeDelta {
                hasLarge = true
            }
            if !hasLarge {
                var chunk: UInt16 = 0x8000
                for offset in 0..<(oneBitEnd &- index) {
                    chunk |= UInt16(self.symbols[index &+ offset]) << (13 &- offset)
                }
                Self.append(chunk, to: &bytes)
                index = oneBitEnd
            } else {
                let twoBitEnd = min(index &+ 7, count)
                var chunk: UInt16 = 0xC000
                for offset in 0..<(twoBitEnd &- index) {
                    chunk |= UInt16(self.symbols[index &+ offset]) << (12 &- 2 &* offset)
                }
                Self.append(chunk, to: &bytes)
                index = twoBitEnd
            }
        }
    }

    private static func floorDivide(_ value: Int64, by divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient &- 1 : quotient
    }

    private static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
