public import RTCWire

/// The sequence-number and timestamp translation of one delivered track for one subscriber: it
/// keeps what the subscriber sees continuous while what feeds it changes.
///
/// The subscriber's sequence numbers are the publisher's plus ``sequenceOffset`` and its
/// timestamps the publisher's plus ``timestampOffset`` (both wrapping). Offsets stay fixed while
/// one source runs, so a gap the network made stays a gap the subscriber can NACK. They are
/// re-based, so the next packet gets the sequence number after the highest one sent and a
/// timestamp advanced by the wall-clock time since it (in the track's clock units, from the
/// `now` passed in), when:
///
/// - the source changes: another SSRC (a slot switched to another publisher, or the publisher
///   renegotiated), or another ``PublishedTrack/generation`` of the same SSRC;
/// - ``markDiscontinuity()`` was called (delivery was paused and packets were skipped);
/// - the publisher restarted with the same SSRC and a new random base, detected as in RFC 3550
///   appendix A.1: a sequence number more than ``maximumDropout`` ahead or ``maximumMisorder``
///   behind, or a timestamp more than ``maximumTimestampDeviationSeconds`` away from what the
///   wall clock predicts, confirmed by the next packet following it (the first is dropped with
///   ``RoutingDropReason/unconfirmedRestart``, so one stray packet cannot move the stream).
///
/// Packets from before the current source began are dropped (``RoutingDropReason/stale``), as are
/// duplicates and packets more than 64 behind the newest sent, so the subscriber never sees a
/// sequence number twice (which SRTP would refuse to protect anyway).
///
/// A plain value: the worker keeps one per delivery in an array (see ``Forwarder``); nothing here
/// allocates, locks or reads a clock.
public struct RTPRewriter: Hashable, Sendable {
    /// What to do with one packet.
    public enum Decision: Hashable, Sendable {
        /// Forward it with these values.
        case forward(sequenceNumber: UInt16, timestamp: UInt32)
        /// Do not forward it to this subscriber.
        case drop(RoutingDropReason)
    }

    /// A forward jump of more than this many sequence numbers looks like a restart (RFC 3550 A.1).
    public static let maximumDropout = 3000
    /// A backward jump of this many sequence numbers or more looks like a restart (RFC 3550 A.1).
    public static let maximumMisorder = 100
    /// A timestamp further than this from what the arrival times predict looks like a restart.
    public static let maximumTimestampDeviationSeconds: UInt64 = 30
    /// How far behind the newest packet sent a late packet may still be forwarded.
    public static let reorderWindow = 64
    /// The longest wall-clock gap a re-base advances the timestamp by.
    static let maximumGapNanoseconds: UInt64 = 3_600 * RoutingClock.nanosecondsPerSecond

    /// The SSRC the subscriber sees, chosen by the server.
    public let ssrc: UInt32

    /// Whether any packet has been forwarded.
    public private(set) var isStarted = false
    /// The publisher SSRC of the current source (meaningful once started).
    public private(set) var currentSourceSSRC: UInt32 = 0
    /// The generation of the current source.
    public private(set) var currentSourceGeneration: UInt32 = 0
    /// Subscriber sequence number minus publisher sequence number, for the current source.
    public private(set) var sequenceOffset: UInt16 = 0
    /// Subscriber timestamp minus publisher timestamp, for the current source.
    public private(set) var timestampOffset: UInt32 = 0
    /// Whether the next packet re-bases (after ``markDiscontinuity()``).
    public private(set) var isResyncPending = false
    /// RTP packets forwarded (wraps), for the sender reports the subscriber receives.
    public private(set) var packetCount: UInt32 = 0
    /// RTP payload octets forwarded (wraps), for the sender reports the subscriber receives.
    public private(set) var octetCount: UInt32 = 0

    /// The newest subscriber sequence number sent, unwrapped to 64 bits.
    private var highestExtended: Int64 = -1
    /// The subscriber timestamp of that packet.
    private var highestTimestamp: UInt32 = 0
    /// When the newest packet was sent.
    private var lastSendTime = RelayTime(nanoseconds: 0)
    /// The first unwrapped subscriber sequence number of the current source.
    private var epochStart: Int64 = 0
    /// Bit `i` set: `highest - i` was sent.
    private var sentWindow: UInt64 = 0
    /// The newest publisher timestamp of the current source, and when it arrived.
    private var highestSourceTimestamp: UInt32 = 0
    private var highestSourceArrival = RelayTime(nanoseconds: 0)
    /// The sequence number that would confirm a suspected restart (RFC 3550's `bad_seq`).
    private var restartConfirmation: UInt16?

    /// A rewriter that has forwarded nothing yet. The first packet keeps its sequence number and
    /// timestamp (offsets 0) and gets `ssrc`.
    public init(ssrc: UInt32) {
        self.ssrc = ssrc
    }

    /// The newest subscriber sequence number sent (meaningful once started).
    public var highestSequenceNumber: UInt16 {
        UInt16(truncatingIfNeeded: self.highestExtended)
    }

    /// Decides the subscriber's sequence number and timestamp for one packet, and records it as
    /// sent if it is to be forwarded.
    ///
    /// - Parameters:
    ///   - ssrc: the publisher SSRC of the packet (its media SSRC).
    ///   - sequenceNumber: the publisher's sequence number.
    ///   - timestamp: the publisher's timestamp.
    ///   - payloadLength: payload bytes, counted for sender reports.
    ///   - generation: the track's ``PublishedTrack/generation``.
    ///   - clockRate: the track's clock rate in Hz, for timestamp re-basing.
    ///   - now: the worker's current time.
    public mutating func translate(
        ssrc: UInt32,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        payloadLength: Int,
        generation: UInt32 = 0,
        clockRate: UInt32,
        now: RelayTime
    ) -> Decision {
        if !self.isStarted || self.isResyncPending || ssrc != self.currentSourceSSRC
            || generation != self.currentSourceGeneration
        {
            self.rebase(
                ssrc: ssrc,
                generation: generation,
                sequenceNumber: sequenceNumber,
                timestamp: timestamp,
                clockRate: clockRate,
                now: now
            )
        } else if self.looksLikeRestart(
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            clockRate: clockRate,
            now: now
        ) {
            guard sequenceNumber == self.restartConfirmation else {
                self.restartConfirmation = sequenceNumber &+ 1
                return .drop(.unconfirmedRestart)
            }
            self.rebase(
                ssrc: ssrc,
                generation: generation,
                sequenceNumber: sequenceNumber,
                timestamp: timestamp,
                clockRate: clockRate,
                now: now
            )
        }

        let outgoing = sequenceNumber &+ self.sequenceOffset
        let extended = self.unwrap(outgoing)
        guard extended >= self.epochStart else {
            return .drop(.stale)
        }
        let outgoingTimestamp = timestamp &+ self.timestampOffset
        let ahead = extended &- self.highestExtended
        if ahead > 0 {
            self.sentWindow = ahead >= 64 ? 1 : (self.sentWindow &<< UInt64(ahead)) | 1
            self.highestExtended = extended
            self.highestTimestamp = outgoingTimestamp
            self.lastSendTime = now
            self.highestSourceTimestamp = timestamp
            self.highestSourceArrival = now
            self.restartConfirmation = nil
        } else {
            let behind = -ahead
            guard behind < Int64(Self.reorderWindow) else {
                return .drop(.tooOld)
            }
            let bit: UInt64 = 1 &<< UInt64(behind)
            guard self.sentWindow & bit == 0 else {
                return .drop(.duplicate)
            }
            self.sentWindow |= bit
        }
        self.packetCount &+= 1
        self.octetCount &+= UInt32(truncatingIfNeeded: payloadLength)
        return .forward(sequenceNumber: outgoing, timestamp: outgoingTimestamp)
    }

    /// Translates a parsed packet and rewrites its SSRC, sequence number and timestamp in place
    /// (the payload type, marker and everything else are left alone).
    ///
    /// - Parameters:
    ///   - header: the packet's header, parsed from `bytes` (or the packet `bytes` is a copy of);
    ///     updated with the new values.
    ///   - bytes: the subscriber's copy of the packet; unchanged when the decision is a drop.
    /// - Returns: the decision; see ``translate(ssrc:sequenceNumber:timestamp:payloadLength:generation:clockRate:now:)``.
    public mutating func rewrite(
        _ header: inout RTPHeader,
        in bytes: inout MutableSpan<UInt8>,
        generation: UInt32 = 0,
        clockRate: UInt32,
        now: RelayTime
    ) -> Decision {
        let decision = self.translate(
            ssrc: header.ssrc,
            sequenceNumber: header.sequenceNumber,
            timestamp: header.timestamp,
            payloadLength: header.payloadLength,
            generation: generation,
            clockRate: clockRate,
            now: now
        )
        if case .forward(let sequenceNumber, let timestamp) = decision {
            header.setSSRC(self.ssrc, in: &bytes)
            header.setSequenceNumber(sequenceNumber, in: &bytes)
            header.setTimestamp(timestamp, in: &bytes)
        }
        return decision
    }

    /// Makes the next packet start a new base (continuing the subscriber's sequence after the
    /// highest number sent), for example because packets were deliberately not forwarded.
    public mutating func markDiscontinuity() {
        self.isResyncPending = true
    }

    /// The subscriber sequence number a publisher sequence number of the current source was (or
    /// would be) sent as, if it falls between the start of the current source and the newest
    /// packet sent; `nil` otherwise, or if `sourceSSRC` is not the current source. Used for the
    /// original sequence number inside retransmissions.
    public func outgoingSequenceNumber(forSource sequenceNumber: UInt16, sourceSSRC: UInt32) -> UInt16? {
        guard self.isStarted, sourceSSRC == self.currentSourceSSRC else { return nil }
        let outgoing = sequenceNumber &+ self.sequenceOffset
        return self.isWithinCurrentSource(outgoing) ? outgoing : nil
    }

    /// The publisher sequence number behind a subscriber sequence number, if it was sent from the
    /// current source (between its start and the newest packet sent); `nil` otherwise. Used to
    /// translate a subscriber's NACK.
    public func sourceSequenceNumber(forOutgoing sequenceNumber: UInt16) -> UInt16? {
        guard self.isStarted, self.isWithinCurrentSource(sequenceNumber) else { return nil }
        return sequenceNumber &- self.sequenceOffset
    }

    /// The subscriber timestamp for a publisher timestamp of the current source.
    public func outgoingTimestamp(forSource timestamp: UInt32) -> UInt32 {
        timestamp &+ self.timestampOffset
    }

    // MARK: - Private

    private func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        self.highestExtended
            &+ Int64(RTPSequenceNumber.distance(from: self.highestSequenceNumber, to: sequenceNumber))
    }

    private func isWithinCurrentSource(_ outgoing: UInt16) -> Bool {
        let extended = self.unwrap(outgoing)
        return extended >= self.epochStart && extended <= self.highestExtended
    }

    /// RFC 3550 A.1's test for a restarted source, plus a timestamp check against the wall clock
    /// (a random new base lands inside the sequence window about 5 % of the time).
    private func looksLikeRestart(sequenceNumber: UInt16, timestamp: UInt32, clockRate: UInt32, now: RelayTime) -> Bool
    {
        let sourceHighest = self.highestSequenceNumber &- self.sequenceOffset
        let step = RTPSequenceNumber.distance(from: sourceHighest, to: sequenceNumber)
        if step > Self.maximumDropout || step <= -Self.maximumMisorder {
            return true
        }
        guard step > 0 else { return false }
        let elapsed = min(now.nanoseconds(since: self.highestSourceArrival), Self.maximumGapNanoseconds)
        let predicted = Int64(RoutingClock.ticks(nanoseconds: elapsed, clockRate: clockRate))
        let actual = RTPTimestamp.distance(from: self.highestSourceTimestamp, to: timestamp)
        let tolerance = Int64(
            RoutingClock.ticks(
                nanoseconds: Self.maximumTimestampDeviationSeconds * RoutingClock.nanosecondsPerSecond,
                clockRate: clockRate
            )
        )
        return abs(actual &- predicted) > tolerance
    }

    /// Starts a new source so that this packet continues the subscriber's sequence.
    private mutating func rebase(
        ssrc: UInt32,
        generation: UInt32,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        clockRate: UInt32,
        now: RelayTime
    ) {
        let nextSequenceNumber: UInt16
        let nextTimestamp: UInt32
        if self.isStarted {
            nextSequenceNumber = self.highestSequenceNumber &+ 1
            let elapsed = min(now.nanoseconds(since: self.lastSendTime), Self.maximumGapNanoseconds)
            let gap = UInt32(truncatingIfNeeded: RoutingClock.ticks(nanoseconds: elapsed, clockRate: clockRate))
            // At least one tick, so the subscriber never merges the new source's first frame
            // with the old source's last one.
            nextTimestamp = self.highestTimestamp &+ max(gap, 1)
            self.epochStart = self.highestExtended &+ 1
        } else {
            nextSequenceNumber = sequenceNumber
            nextTimestamp = timestamp
            self.highestExtended = Int64(sequenceNumber) &- 1
            self.highestTimestamp = timestamp
            self.sentWindow = 0
            self.epochStart = Int64(sequenceNumber)
            self.isStarted = true
        }
        self.sequenceOffset = nextSequenceNumber &- sequenceNumber
        self.timestampOffset = nextTimestamp &- timestamp
        self.currentSourceSSRC = ssrc
        self.currentSourceGeneration = generation
        self.highestSourceTimestamp = timestamp
        self.highestSourceArrival = now
        self.isResyncPending = false
        self.restartConfirmation = nil
    }
}
