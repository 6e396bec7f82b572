public import RTCWire

/// The relay's RTCP rules (sans-I/O): which feedback from a participant is forwarded to a
/// publisher (translated to the publisher's SSRC and sequence numbers, and rate-limited), and
/// which is terminated or ignored.
///
/// From a participant as a subscriber (looked up by the subscriber-facing SSRCs it receives):
///
/// - PLI and FIR for an SSRC it receives are translated to the publisher's media SSRC and
///   forwarded at most once per ``Configuration/keyframeRequestInterval`` per published track,
///   however many subscribers ask (SECURITY.md: 1000 PLI/s yield at most one request upstream per
///   interval); a forwarded FIR carries the relay's own command sequence number for that track.
/// - A generic NACK for an SSRC it receives is translated through the subscriber's
///   ``RTPRewriter`` to the publisher's sequence numbers and forwarded, at most
///   ``Configuration/nackLimitPerInterval`` sequence numbers per interval per subscriber and track
///   (10^4 NACKed numbers forward a bounded few); numbers it was never sent from the current
///   source are dropped.
/// - Feedback for an SSRC it does not receive (someone else's, a publisher's, an unknown one) is
///   ignored and counted.
/// - REMB and transport-cc from subscribers are terminated; the REMB bitrate is reported in the
///   result. (Towards publishers the relay writes transport-cc feedback of its own, about the
///   packets it receives: ``TransportWideFeedbackRecorder``.)
///
/// From a participant as a publisher: a sender report for its own media SSRC is kept (for the
/// relay's receiver reports and the sender reports it gives subscribers), one for an SSRC it does
/// not own is ignored; a BYE for its own media SSRC is reported and re-bases the track's
/// subscribers, a BYE for any other SSRC has no effect. Report blocks about the relay's own sends,
/// SDES and APP are terminated.
///
/// The policy keeps its per-track and per-delivery state in arrays aligned with the
/// ``Forwarder``'s table, and follows the forwarder to each new table by itself (state carried by
/// track id and by subscriber and outgoing SSRC), so memory is bounded by the table, not by what
/// participants send. RTCP is not the hottest path: building the result allocates a little.
/// One worker thread owns it.
public final class RTCPPolicy {
    /// The policy's limits.
    public struct Configuration: Hashable, Sendable {
        /// The SSRC the relay uses as the sender of the RTCP it originates toward publishers.
        public var reporterSSRC: UInt32
        /// The shortest time between two keyframe requests sent upstream for one track, in
        /// nanoseconds (``RelayTime`` units).
        public var keyframeRequestInterval: UInt64
        /// The length of a NACK budget interval, in nanoseconds.
        public var nackInterval: UInt64
        /// Sequence numbers forwarded upstream per interval for one subscriber and track.
        public var nackLimitPerInterval: Int
        /// The mean time between two reports the relay sends one transport (receiver reports
        /// to a publisher, sender reports to a subscriber), in nanoseconds; each interval is
        /// drawn from 0.5 to 1.5 times it (RFC 3550 6.3.1). 0 sends none.
        public var reportInterval: UInt64
        /// The relay's CNAME, in the SDES packet of each report compound (1 to 255 UTF-8
        /// bytes; longer ones are cut).
        public var cname: String
        /// The NTP time (RFC 3550's 32.32 fixed point) at ``RelayTime`` zero: sender reports
        /// carry this plus the monotonic time. 0 (the default) makes the NTP timestamps the
        /// monotonic clock's, which receivers accept (they use differences); a server sets it
        /// from the real-time clock at start (``RelayService`` does).
        public var ntpTimeAtZero: UInt64

        /// The defaults: one keyframe request per second per track, 64 NACKed sequence numbers per
        /// second per subscriber and track.
        ///
        /// - Parameters:
        ///   - reporterSSRC: the relay's SSRC in RTCP it sends to publishers; must not be one a
        ///     publisher negotiated.
        ///   - keyframeRequestIntervalMilliseconds: see ``keyframeRequestInterval``.
        ///   - nackIntervalMilliseconds: see ``nackInterval``.
        ///   - nackLimitPerInterval: see ``nackLimitPerInterval``; 0 disables NACK forwarding.
        ///   - reportIntervalMilliseconds: see ``reportInterval``; 0 disables the relay's reports.
        ///   - cname: see ``cname``.
        ///   - ntpTimeAtZero: see ``ntpTimeAtZero``.
        public init(
            reporterSSRC: UInt32 = 1,
            keyframeRequestIntervalMilliseconds: UInt64 = 1000,
            nackIntervalMilliseconds: UInt64 = 1000,
            nackLimitPerInterval: Int = 64,
            reportIntervalMilliseconds: UInt64 = 1000,
            cname: String = "parley-relay",
            ntpTimeAtZero: UInt64 = 0
        ) {
            self.reporterSSRC = reporterSSRC
            self.keyframeRequestInterval = RelayTime.milliseconds(keyframeRequestIntervalMilliseconds).nanoseconds
            self.nackInterval = RelayTime.milliseconds(nackIntervalMilliseconds).nanoseconds
            self.nackLimitPerInterval = max(nackLimitPerInterval, 0)
            self.reportInterval = RelayTime.milliseconds(reportIntervalMilliseconds).nanoseconds
            self.cname = cname
            self.ntpTimeAtZero = ntpTimeAtZero
        }
    }

    /// NACK numbers forwarded for one delivery in the current interval.
    struct NACKBudget: Hashable, Sendable {
        var intervalStart: RelayTime?
        var used = 0
    }

    /// The limits in force.
    public let configuration: Configuration
    /// What the policy has done so far.
    public private(set) var counters = RTCPPolicyCounters()

    /// The table the arrays below are aligned with.
    private var table: RoutingTable = .empty
    /// Per track: when a keyframe request was last sent upstream.
    private var lastKeyframeRequest: [RelayTime?] = []
    /// Per track: the next FIR command sequence number.
    private var fullIntraRequestSequence: [UInt8] = []
    /// Per delivery.
    private var nackBudgets: [NACKBudget] = []

    /// A policy with these limits.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Applies the policy to one RTCP compound (after SRTCP unprotect and parsing) from a
    /// participant.
    ///
    /// - Parameters:
    ///   - compound: the parsed compound.
    ///   - participant: who sent it (the participant of the authenticated transport).
    ///   - forwarder: the worker's forwarder: its table says who receives and owns what, and its
    ///     rewriters translate NACKs. A legitimate BYE marks the track's rewriters for re-basing;
    ///     a sender report is stored in its statistics.
    ///   - now: the worker's current time.
    ///   - result: receives the actions; it is appended to, not emptied.
    public func handle(
        _ compound: RTCPCompound,
        from participant: RoutingParticipantID,
        forwarder: Forwarder,
        now: RelayTime,
        into result: inout RTCPPolicyResult
    ) {
        self.synchronize(with: forwarder.table)
        for packet in compound.packets {
            switch packet {
            case .senderReport(let report):
                self.counters.reportBlocksTerminated &+= UInt64(report.reportBlocks.count)
                self.keepSenderReport(report, from: participant, forwarder: forwarder, now: now)
            case .receiverReport(let report):
                self.counters.reportBlocksTerminated &+= UInt64(report.reportBlocks.count)
            case .goodbye(let goodbye):
                self.goodbye(goodbye, from: participant, forwarder: forwarder, into: &result)
            case .pictureLossIndication(let request):
                if let track = self.admitKeyframeRequest(for: request.mediaSSRC, from: participant, now: now) {
                    let publisherTrack = self.table.tracks[track]
                    let upstream = RTCPPictureLossIndication(
                        senderSSRC: self.configuration.reporterSSRC,
                        mediaSSRC: publisherTrack.mediaSSRC
                    )
                    result.upstream.append(
                        .init(publisher: publisherTrack.publisher, packet: .pictureLossIndication(upstream))
                    )
                }
            case .fullIntraRequest(let request):
                for entry in request.entries {
                    if let track = self.admitKeyframeRequest(for: entry.ssrc, from: participant, now: now) {
                        let publisherTrack = self.table.tracks[track]
                        let sequenceNumber = self.fullIntraRequestSequence[track]
                        self.fullIntraRequestSequence[track] = sequenceNumber &+ 1
                        let upstream = RTCPFullIntraRequest(
                            senderSSRC: self.configuration.reporterSSRC,
                            entries: [.init(ssrc: publisherTrack.mediaSSRC, sequenceNumber: sequenceNumber)]
                        )
                        result.upstream.append(
                            .init(publisher: publisherTrack.publisher, packet: .fullIntraRequest(upstream))
                        )
                    }
                }
            case .genericNACK(let nack):
                self.negativeAcknowledgement(nack, from: participant, forwarder: forwarder, now: now, into: &result)
            case .receiverEstimatedMaximumBitrate(let estimate):
                self.counters.bandwidthFeedbackTerminated &+= 1
                result.estimatedBitrate = estimate.bitrate
            case .transportWideFeedback:
                self.counters.bandwidthFeedbackTerminated &+= 1
            case .sourceDescription, .applicationDefined, .unknown:
                self.counters.otherPacketsTerminated &+= 1
            }
        }
    }

    // MARK: - Rules

    /// The track a keyframe request for a subscriber-facing SSRC goes to, if the sender receives
    /// that SSRC and the track's interval has passed; records the request as sent.
    private func admitKeyframeRequest(for ssrc: UInt32, from participant: RoutingParticipantID, now: RelayTime) -> Int?
    {
        guard let (delivery, stream) = self.table.delivery(subscriber: participant, outgoingSSRC: ssrc),
            stream == .media
        else {
            self.counters.feedbackForUnreceivedSSRC &+= 1
            return nil
        }
        let track = self.table.deliveries[delivery].track
        if let last = self.lastKeyframeRequest[track],
            now.nanoseconds(since: last) < self.configuration.keyframeRequestInterval
        {
            self.counters.keyframeRequestsRateLimited &+= 1
            return nil
        }
        self.lastKeyframeRequest[track] = now
        self.counters.keyframeRequestsForwarded &+= 1
        return track
    }

    private func negativeAcknowledgement(
        _ nack: RTCPGenericNACK,
        from participant: RoutingParticipantID,
        forwarder: Forwarder,
        now: RelayTime,
        into result: inout RTCPPolicyResult
    ) {
        guard let (delivery, stream) = self.table.delivery(subscriber: participant, outgoingSSRC: nack.mediaSSRC),
            stream == .media
        else {
            self.counters.feedbackForUnreceivedSSRC &+= 1
            return
        }
        let track = self.table.tracks[self.table.deliveries[delivery].track]
        let rewriter = forwarder.rewriters[delivery]
        // Offsets describe only the rewriter's current source; if the track has moved on (a new
        // generation not yet seen), nothing can be translated.
        let translatable =
            rewriter.isStarted && rewriter.currentSourceSSRC == track.mediaSSRC
            && rewriter.currentSourceGeneration == track.generation

        var budget = self.nackBudgets[delivery]
        if let start = budget.intervalStart, now.nanoseconds(since: start) < self.configuration.nackInterval {
            // Same interval: keep counting.
        } else {
            budget = NACKBudget(intervalStart: now, used: 0)
        }
        var lost: [UInt16] = []
        for entry in nack.entries {
            // The PID, then each bit of the BLP: at most 17 numbers per entry, and the entries
            // came from one datagram, so this loop is bounded by the datagram's size.
            var mask = UInt32(entry.lostPacketBitmask) &<< 1 | 1
            var offset: UInt16 = 0
            while mask != 0 {
                if mask & 1 != 0 {
                    let outgoing = entry.packetID &+ offset
                    if !translatable {
                        self.counters.nackedSequenceNumbersUntranslatable &+= 1
                    } else if let source = rewriter.sourceSequenceNumber(forOutgoing: outgoing) {
                        if budget.used < self.configuration.nackLimitPerInterval {
                            budget.used &+= 1
                            lost.append(source)
                        } else {
                            self.counters.nackedSequenceNumbersOverBudget &+= 1
                        }
                    } else {
                        self.counters.nackedSequenceNumbersUntranslatable &+= 1
                    }
                }
                mask &>>= 1
                offset &+= 1
            }
        }
        self.nackBudgets[delivery] = budget
        guard !lost.isEmpty else { return }
        self.counters.nackedSequenceNumbersForwarded &+= UInt64(lost.count)
        let upstream = RTCPGenericNACK(
            senderSSRC: self.configuration.reporterSSRC,
            mediaSSRC: track.mediaSSRC,
            lostSequenceNumbers: lost
        )
        result.upstream.append(.init(publisher: track.publisher, packet: .genericNACK(upstream)))
    }

    private func goodbye(
        _ goodbye: RTCPGoodbye,
        from participant: RoutingParticipantID,
        forwarder: Forwarder,
        into result: inout RTCPPolicyResult
    ) {
        for ssrc in goodbye.ssrcs {
            guard let owner = self.table.ssrcOwners[ssrc], owner.publisher == participant else {
                // Someone else's (or nobody's) SSRC: no effect at all (SECURITY.md).
                self.counters.goodbyesIgnored &+= 1
                continue
            }
            guard owner.route.stream == .media else { continue }
            result.goodbyes.append(self.table.tracks[owner.route.track].id)
            // If the source comes back it may have a new base: its subscribers re-base.
            forwarder.markDiscontinuity(track: owner.route.track)
        }
    }

    private func keepSenderReport(
        _ report: RTCPSenderReport,
        from participant: RoutingParticipantID,
        forwarder: Forwarder,
        now: RelayTime
    ) {
        guard let owner = self.table.ssrcOwners[report.ssrc], owner.publisher == participant,
            owner.route.stream == .media
        else {
            self.counters.senderReportsIgnored &+= 1
            return
        }
        forwarder.inboundStatistics[owner.route.track].recordSenderReport(report, arrival: now)
    }

    // MARK: - Following the forwarder's table

    /// Re-aligns the per-track and per-delivery arrays with `table` if it is not the one they
    /// were built for.
    func synchronize(with table: RoutingTable) {
        guard table !== self.table else { return }
        let old = self.table
        var keyframe: [RelayTime?] = []
        var fir: [UInt8] = []
        keyframe.reserveCapacity(table.tracks.count)
        fir.reserveCapacity(table.tracks.count)
        for track in table.tracks {
            if let oldIndex = old.trackIndex(of: track.id) {
                keyframe.append(self.lastKeyframeRequest[oldIndex])
                fir.append(self.fullIntraRequestSequence[oldIndex])
            } else {
                keyframe.append(nil)
                fir.append(0)
            }
        }
        var oldDeliveries: [RoutingTable.DeliveryKey: Int] = [:]
        for index in old.deliveries.indices {
            oldDeliveries[old.key(ofDelivery: index)] = index
        }
        var budgets: [NACKBudget] = []
        budgets.reserveCapacity(table.deliveries.count)
        for index in table.deliveries.indices {
            if let oldIndex = oldDeliveries[table.key(ofDelivery: index)] {
                budgets.append(self.nackBudgets[oldIndex])
            } else {
                budgets.append(NACKBudget())
            }
        }
        self.table = table
        self.lastKeyframeRequest = keyframe
        self.fullIntraRequestSequence = fir
        self.nackBudgets = budgets
    }
}

@available(*, unavailable)
extension RTCPPolicy: Sendable {}
