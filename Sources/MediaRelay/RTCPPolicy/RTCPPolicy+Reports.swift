public import RTCWire

// The RTCP the relay originates: receiver reports to publishers about the relay's leg, and sender
// reports to subscribers translated from the publishers' ones.

extension RTCPPolicy {
    /// The relay's receiver report to a publisher: one report block per media stream of its that
    /// the relay has received (loss, jitter, extended highest sequence number, LSR/DLSR), from the
    /// relay's reporter SSRC, with an SDES CNAME; `nil` if nothing was received from it yet.
    ///
    /// Each call starts a new loss-fraction interval for those streams: call it once per report
    /// sent (RFC 3550 suggests about every 5 s; WebRTC stacks send about once a second).
    ///
    /// - Parameters:
    ///   - publisher: the participant to report to.
    ///   - forwarder: the worker's forwarder, whose statistics are read and advanced.
    ///   - cname: the relay's CNAME for the SDES item (at most 255 UTF-8 bytes).
    ///   - now: when the report is sent.
    public func receiverReport(
        to publisher: RoutingParticipantID,
        forwarder: Forwarder,
        cname: String,
        now: RelayTime
    ) -> RTCPCompound? {
        self.synchronize(with: forwarder.table)
        var blocks: [RTCPReportBlock] = []
        for (index, track) in forwarder.table.tracks.enumerated() where track.publisher == publisher {
            if let block = forwarder.inboundStatistics[index].makeReportBlock(ssrc: track.mediaSSRC, now: now) {
                blocks.append(block)
            }
        }
        guard !blocks.isEmpty else { return nil }
        return RTCPCompound.receiverReport(ssrc: self.configuration.reporterSSRC, reportBlocks: blocks, cname: cname)
    }

    /// A sender report for one subscriber about the track it receives through `delivery`: the
    /// publisher's last sender report carried forward to `now` (NTP and RTP timestamps advanced
    /// by the time since it arrived, so the NTP/RTP mapping stays the publisher's), with the
    /// subscriber's SSRC, the subscriber's timestamp offset applied, and the packet and octet
    /// counts of what this subscriber was sent. `nil` if the publisher has sent no sender report
    /// yet, or the subscriber's stream is not currently fed by this track (just switched).
    ///
    /// - Parameters:
    ///   - delivery: an index into the forwarder's table's deliveries; another value traps.
    ///   - forwarder: the worker's forwarder.
    ///   - now: when the report is sent.
    public func senderReport(forDelivery delivery: Int, forwarder: Forwarder, now: RelayTime) -> RTCPSenderReport? {
        let table = forwarder.table
        let target = table.deliveries[delivery]
        let track = table.tracks[target.track]
        guard let report = forwarder.inboundStatistics[target.track].lastSenderReport else { return nil }
        let rewriter = forwarder.rewriters[delivery]
        guard rewriter.isStarted, rewriter.currentSourceSSRC == track.mediaSSRC,
            rewriter.currentSourceGeneration == track.generation
        else { return nil }
        let elapsed = now.nanoseconds(since: report.arrival)
        let ticks = UInt32(truncatingIfNeeded: RoutingClock.ticks(nanoseconds: elapsed, clockRate: track.clockRate))
        return RTCPSenderReport(
            ssrc: target.mediaSSRC,
            ntpTimestamp: report.ntpTimestamp &+ RoutingClock.ntpDuration(nanoseconds: elapsed),
            rtpTimestamp: rewriter.outgoingTimestamp(forSource: report.rtpTimestamp &+ ticks),
            packetCount: rewriter.packetCount,
            octetCount: rewriter.octetCount
        )
    }
}

extension RTCPPolicy {
    /// The relay's own sender report for one subscriber's stream through `delivery`, as the
    /// sending end of that leg: the subscriber's SSRC; the NTP timestamp of `now`
    /// (``Configuration/ntpTimeAtZero`` plus the monotonic time); the RTP timestamp of the same
    /// instant on the subscriber's rewritten timeline, extrapolated from the newest packet of
    /// the source with the track's clock rate; and the packet and octet counts of what this
    /// subscriber was sent. `nil` until a packet was forwarded, while the delivery is paused, or
    /// when the stream is not currently fed by this track (it just switched).
    ///
    /// Unlike ``senderReport(forDelivery:forwarder:now:)`` it needs no sender report from the
    /// publisher and keeps one NTP timeline (the relay's) for every stream it sends.
    ///
    /// - Parameters:
    ///   - delivery: an index into the forwarder's table's deliveries; another value traps.
    ///   - forwarder: the worker's forwarder.
    ///   - now: when the report is sent.
    public func relaySenderReport(forDelivery delivery: Int, forwarder: Forwarder, now: RelayTime) -> RTCPSenderReport?
    {
        let table = forwarder.table
        let target = table.deliveries[delivery]
        guard !target.isPaused else { return nil }
        let track = table.tracks[target.track]
        let rewriter = forwarder.rewriters[delivery]
        guard rewriter.isStarted, rewriter.currentSourceSSRC == track.mediaSSRC,
            rewriter.currentSourceGeneration == track.generation
        else { return nil }
        let statistics = forwarder.inboundStatistics[target.track]
        guard statistics.hasReceived else { return nil }
        let elapsed = now.nanoseconds(since: statistics.newestArrival)
        let ticks = UInt32(truncatingIfNeeded: RoutingClock.ticks(nanoseconds: elapsed, clockRate: track.clockRate))
        return RTCPSenderReport(
            ssrc: target.mediaSSRC,
            ntpTimestamp: self.configuration.ntpTimeAtZero &+ RoutingClock.ntpDuration(nanoseconds: now.nanoseconds),
            rtpTimestamp: rewriter.outgoingTimestamp(forSource: statistics.newestTimestamp &+ ticks),
            packetCount: rewriter.packetCount,
            octetCount: rewriter.octetCount
        )
    }
}
