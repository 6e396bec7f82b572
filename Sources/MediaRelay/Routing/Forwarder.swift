public import RTCWire

/// The worker's SFU state and packet path: validates each inbound RTP packet against the installed
/// ``RoutingTable``, and writes each subscriber's rewritten copy into a buffer the caller provides
/// (typically a slot of its send batch), ready for SRTP protection with that subscriber's session.
///
/// The table is immutable; everything that changes per packet lives here, in arrays aligned with
/// the table: one ``RTPRewriter`` per delivery, one ``InboundStreamStatistics`` per track, and the
/// drop counters. ``install(_:)`` swaps in a new table between two batches and carries that state
/// over (a delivery by its subscriber and outgoing SSRC, a track by its publisher SSRC), so a
/// subscription moved to another track continues its sequence numbers.
///
/// The packet path, for one datagram after SRTP unprotect:
///
/// ```swift
/// let header = try RTPHeader(parsing: packet)
/// guard case .forward(let route) = forwarder.ingest(header, from: participant, now: now) else { return }
/// for delivery in forwarder.deliveries(for: route) {
///     // pick the subscriber's send slot and session, then:
///     let result = forwarder.forward(packet, header: header, route: route, delivery: delivery,
///                                    into: &slot, trailerLength: session.trailerLength, now: now)
///     if case .written(let length) = result { /* protect slot[0..<length], commit the slot */ }
/// }
/// ```
///
/// None of these calls allocates, locks or awaits. The forwarder belongs to one worker thread.
public final class Forwarder {
    /// Whether an inbound packet may be forwarded.
    public enum Ingress: Hashable, Sendable {
        /// It belongs to this track and stream; fan it out to ``deliveries(for:)``.
        case forward(RoutingTable.Route)
        /// It must be dropped (counted in ``dropCount(_:)``).
        case drop(RoutingDropReason)
    }

    /// What ``forward(_:header:route:delivery:into:trailerLength:now:)`` did for one subscriber.
    public enum Output: Hashable, Sendable {
        /// The rewritten packet is the first `length` bytes of the destination.
        case written(length: Int)
        /// Nothing was written for this subscriber (counted in ``dropCount(_:)``).
        case dropped(RoutingDropReason)
    }

    /// The table in use.
    public private(set) var table: RoutingTable
    /// One per delivery of ``table``.
    var rewriters: [RTPRewriter]
    /// One per delivery of ``table``.
    var rtxSequencers: [RTXSequencer]
    /// One per track of ``table``: what the relay received of the publisher's media stream.
    var inboundStatistics: [InboundStreamStatistics]
    /// Indexed by `RoutingDropReason.rawValue`.
    private var drops: [UInt64]

    /// A forwarder using `table` (by default an empty one).
    public init(table: RoutingTable = .empty) {
        self.table = table
        self.rewriters = table.deliveries.map { RTPRewriter(ssrc: $0.mediaSSRC) }
        self.rtxSequencers = [RTXSequencer](repeating: RTXSequencer(), count: table.deliveries.count)
        self.inboundStatistics = table.tracks.map { InboundStreamStatistics(clockRate: $0.clockRate) }
        self.drops = [UInt64](repeating: 0, count: RoutingDropReason.allCases.count)
    }

    /// Replaces the table, carrying state over to the new one.
    ///
    /// Call it between batches of datagrams (it allocates the new state arrays). A delivery keeps
    /// its rewriter when the new table has a delivery with the same subscriber and outgoing media
    /// SSRC, even if it now delivers another track (the rewriter then re-bases on the new source's
    /// first packet, so the subscriber's sequence continues); a track keeps its receive statistics
    /// when the new table has a track with the same publisher SSRC, generation and clock rate.
    /// A delivery marked paused in the new table re-bases on the first packet after it resumes.
    public func install(_ table: RoutingTable) {
        let old = self.table
        var oldDeliveries: [RoutingTable.DeliveryKey: Int] = [:]
        for index in old.deliveries.indices {
            oldDeliveries[old.key(ofDelivery: index)] = index
        }
        var rewriters: [RTPRewriter] = []
        var rtxSequencers: [RTXSequencer] = []
        rewriters.reserveCapacity(table.deliveries.count)
        rtxSequencers.reserveCapacity(table.deliveries.count)
        for index in table.deliveries.indices {
            if let oldIndex = oldDeliveries[table.key(ofDelivery: index)] {
                rewriters.append(self.rewriters[oldIndex])
                rtxSequencers.append(self.rtxSequencers[oldIndex])
            } else {
                rewriters.append(RTPRewriter(ssrc: table.deliveries[index].mediaSSRC))
                rtxSequencers.append(RTXSequencer())
            }
        }

        var oldTracks: [UInt32: Int] = [:]
        for (index, track) in old.tracks.enumerated() {
            oldTracks[track.mediaSSRC] = index
        }
        var statistics: [InboundStreamStatistics] = []
        statistics.reserveCapacity(table.tracks.count)
        for track in table.tracks {
            if let oldIndex = oldTracks[track.mediaSSRC], old.tracks[oldIndex].generation == track.generation,
                old.tracks[oldIndex].clockRate == track.clockRate
            {
                statistics.append(self.inboundStatistics[oldIndex])
            } else {
                statistics.append(InboundStreamStatistics(clockRate: track.clockRate))
            }
        }

        self.table = table
        self.rewriters = rewriters
        self.rtxSequencers = rtxSequencers
        self.inboundStatistics = statistics
    }

    /// Validates an inbound RTP packet and records it in the publisher's receive statistics.
    ///
    /// The packet is forwarded only if its SSRC was negotiated by `participant` (the participant
    /// whose authenticated transport it arrived on) and its payload type too: a participant
    /// sending with someone else's SSRC gets ``RoutingDropReason/ssrcOwnedByAnotherParticipant``
    /// and changes nothing (no statistics, no rewriter state).
    ///
    /// - Parameters:
    ///   - header: the header parsed from the packet after SRTP unprotect.
    ///   - participant: who sent it.
    ///   - now: the worker's current time (the packet's arrival time, for jitter).
    public func ingest(_ header: RTPHeader, from participant: RoutingParticipantID, now: RelayTime) -> Ingress {
        guard let owner = self.table.ssrcOwners[header.ssrc] else {
            return self.drop(.unknownSSRC)
        }
        guard owner.publisher == participant else {
            return self.drop(.ssrcOwnedByAnotherParticipant)
        }
        let route = owner.route
        guard self.table.publisherNegotiated(payloadType: header.payloadType, track: route.track) else {
            return self.drop(.payloadTypeNotNegotiatedByPublisher)
        }
        switch route.stream {
        case .media:
            self.inboundStatistics[route.track].record(
                sequenceNumber: header.sequenceNumber,
                timestamp: header.timestamp,
                arrival: now
            )
        case .retransmission:
            break
        case .forwardErrorCorrection:
            return self.drop(.streamNotForwarded)
        }
        return .forward(route)
    }

    /// The indexes of the deliveries (subscribers) a routed packet fans out to: pass each to
    /// ``forward(_:header:route:delivery:into:trailerLength:now:)``. Empty for FEC.
    public func deliveries(for route: RoutingTable.Route) -> Range<Int> {
        route.stream == .forwardErrorCorrection ? 0..<0 : self.table.tracks[route.track].deliveries
    }

    /// Writes one subscriber's copy of a packet: copies it into `destination`, then rewrites in
    /// place its SSRC (the subscriber's), sequence number and timestamp (continuous for the
    /// subscriber), payload type (the subscriber's number; dropped if it negotiated none), and
    /// header extension ids (translated; elements it did not negotiate erased). The marker bit,
    /// CSRCs, payload and padding are copied unchanged. A retransmission also gets its original
    /// sequence number (the payload's first two bytes) translated.
    ///
    /// - Parameters:
    ///   - packet: the plaintext packet, exactly `header.packetLength` bytes or more (the rest is
    ///     ignored); a shorter span is a programming error and traps.
    ///   - header: parsed from `packet`.
    ///   - route: what ``ingest(_:from:now:)`` returned for it.
    ///   - delivery: one of ``deliveries(for:)``; another index traps.
    ///   - destination: where to write; it must hold the packet plus `trailerLength` bytes.
    ///   - trailerLength: room to leave after the packet for the SRTP tag the caller adds next.
    ///   - now: the worker's current time.
    /// - Returns: the length written, or why nothing was.
    public func forward(
        _ packet: Span<UInt8>,
        header: RTPHeader,
        route: RoutingTable.Route,
        delivery: Int,
        into destination: inout MutableSpan<UInt8>,
        trailerLength: Int,
        now: RelayTime
    ) -> Output {
        let table = self.table
        let target = table.deliveries[delivery]
        let track = table.tracks[route.track]
        if target.isPaused {
            // Skipped packets must not become a gap the subscriber NACKs: re-base on resume.
            self.rewriters[delivery].markDiscontinuity()
            return self.dropped(.paused)
        }
        guard let payloadType = table.outgoingPayloadType(delivery: delivery, publisherPayloadType: header.payloadType)
        else {
            return self.dropped(.payloadTypeNotNegotiated)
        }
        let length = header.packetLength
        precondition(packet.count >= length, "the packet span is shorter than its parsed header says")
        guard trailerLength >= 0, destination.count &- trailerLength >= length else {
            return self.dropped(.destinationTooSmall)
        }

        let ssrc: UInt32
        let sequenceNumber: UInt16
        let timestamp: UInt32
        var originalSequenceNumber: UInt16? = nil
        switch route.stream {
        case .media:
            let decision = self.rewriters[delivery].translate(
                ssrc: header.ssrc,
                sequenceNumber: header.sequenceNumber,
                timestamp: header.timestamp,
                payloadLength: header.payloadLength,
                generation: track.generation,
                clockRate: track.clockRate,
                now: now
            )
            switch decision {
            case .forward(let newSequenceNumber, let newTimestamp):
                sequenceNumber = newSequenceNumber
                timestamp = newTimestamp
            case .drop(let reason):
                return self.dropped(reason)
            }
            ssrc = target.mediaSSRC
        case .retransmission:
            guard let rtxSSRC = target.rtxSSRC else {
                return self.dropped(.retransmissionNotNegotiated)
            }
            guard header.payloadLength >= 2 else {
                return self.dropped(.malformedRetransmission)
            }
            let offset = header.payloadOffset
            let original = UInt16(packet[offset]) &<< 8 | UInt16(packet[offset &+ 1])
            let rewriter = self.rewriters[delivery]
            guard let translated = rewriter.outgoingSequenceNumber(forSource: original, sourceSSRC: track.mediaSSRC)
            else {
                return self.dropped(.retransmissionNotTranslatable)
            }
            originalSequenceNumber = translated
            ssrc = rtxSSRC
            sequenceNumber = self.rtxSequencers[delivery].take(initial: header.sequenceNumber)
            timestamp = rewriter.outgoingTimestamp(forSource: header.timestamp)
        case .forwardErrorCorrection:
            return self.dropped(.streamNotForwarded)
        }

        Self.copy(packet, count: length, into: &destination)
        var rewritten = header
        rewritten.setSSRC(ssrc, in: &destination)
        rewritten.setSequenceNumber(sequenceNumber, in: &destination)
        rewritten.setTimestamp(timestamp, in: &destination)
        rewritten.setPayloadType(payloadType, in: &destination)
        if let originalSequenceNumber {
            let offset = header.payloadOffset
            destination[offset] = UInt8(truncatingIfNeeded: originalSequenceNumber &>> 8)
            destination[offset &+ 1] = UInt8(truncatingIfNeeded: originalSequenceNumber)
        }
        if let block = header.extensionBlock {
            let form = block.form
            // The closure never returns an id the form cannot carry, so this cannot throw; `try?`
            // on a typed throw allocates nothing.
            try? rewritten.translateExtensionIDs(in: &destination) { id in
                guard let mapped = table.outgoingExtensionID(delivery: delivery, publisherID: id),
                    form.canCarry(id: mapped)
                else { return nil }
                return mapped
            }
        }
        return .written(length: length)
    }

    /// How many packets were dropped (or not delivered to one subscriber) for this reason since
    /// the forwarder was made.
    public func dropCount(_ reason: RoutingDropReason) -> UInt64 {
        self.drops[reason.rawValue]
    }

    /// The rewriter state of a delivery of ``table``.
    ///
    /// - Parameter delivery: an index into the table's deliveries; another value traps.
    public func rewriter(forDelivery delivery: Int) -> RTPRewriter {
        self.rewriters[delivery]
    }

    /// What the relay received of a track's media stream.
    ///
    /// - Parameter track: an index into the table's tracks; another value traps.
    public func statistics(forTrack track: Int) -> InboundStreamStatistics {
        self.inboundStatistics[track]
    }

    /// Makes every delivery of a track re-base on its next packet, for example after the publisher
    /// said BYE for it.
    public func markDiscontinuity(track: Int) {
        for delivery in self.table.tracks[track].deliveries {
            self.rewriters[delivery].markDiscontinuity()
        }
    }

    // MARK: - Private

    private func drop(_ reason: RoutingDropReason) -> Ingress {
        self.drops[reason.rawValue] &+= 1
        return .drop(reason)
    }

    private func dropped(_ reason: RoutingDropReason) -> Output {
        self.drops[reason.rawValue] &+= 1
        return .dropped(reason)
    }

    /// Copies the first `count` bytes of `source` to the start of `destination`; the caller has
    /// checked both are long enough.
    private static func copy(_ source: Span<UInt8>, count: Int, into destination: inout MutableSpan<UInt8>) {
        // One memcpy instead of a checked loop: the bounds were checked just above by the caller
        // (source.count >= count, destination.count >= count), and the scopes keep the pointers
        // from escaping.
        destination.withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { bytes in
                guard let from = bytes.baseAddress, let to = target.baseAddress, count > 0 else { return }
                to.update(from: from, count: count)
            }
        }
    }
}

@available(*, unavailable)
extension Forwarder: Sendable {}
