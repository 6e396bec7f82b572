import RTCSecurity
import RTCWire

extension RelayCore {
    /// The core's state for the RTCP it originates: when each transport gets its next reports,
    /// the SDES packet closing each compound, and scratch for report blocks. Everything is sized
    /// at init, so sending reports allocates nothing in steady state.
    struct Reports {
        /// When each connected transport reports next.
        var schedule: RTCPReportSchedule
        /// The relay's SDES (reporter SSRC and CNAME), appended to every compound.
        let sourceDescription: [UInt8]
        /// Report blocks about one publisher's streams.
        var blocks: [RTCPReportBlock] = []
        /// The most bytes of plain RTCP one datagram carries (the SRTCP trailer goes after).
        let maximumCompoundLength: Int

        init(configuration: RelayCoreConfiguration) {
            let policy = configuration.rtcpPolicy
            self.schedule = RTCPReportSchedule(
                interval: policy.reportInterval,
                capacity: configuration.maximumTransports
            )
            self.sourceDescription = RTCPReportWriter.sourceDescription(ssrc: policy.reporterSSRC, cname: policy.cname)
            self.blocks.reserveCapacity(RTCPCompound.maximumReportBlocksPerPacket)
            self.maximumCompoundLength = max(
                RTCPReportWriter.senderReportLength,
                configuration.limits.maximumDatagramSize &- SRTPProfile.maximumRTCPTrailerLength
            )
        }
    }

    /// Sends the reports of every transport whose report time has come (called from
    /// ``timersFired(now:send:)``): to each connected transport, one SRTCP compound (more if
    /// it would not fit a datagram) holding a sender report for each stream the relay sends it,
    /// a receiver report about the streams the relay receives from it, and the relay's SDES.
    mutating func sendDueReports(now: RelayTime, send: inout SendBatch) {
        guard let earliest = self.reports.schedule.earliest, earliest <= now else { return }
        self.reports.schedule.takeDue(now: now)
        for index in self.reports.schedule.due.indices {
            let id = self.reports.schedule.due[index]
            guard let entry = self.entries[id], entry.transport.canSend else { continue }
            self.sendReports(to: entry, now: now, send: &send)
        }
    }

    /// Writes and sends one transport's reports.
    mutating func sendReports(to entry: Entry, now: RelayTime, send: inout SendBatch) {
        let participant = entry.participant
        let forwarder = self.forwarder
        let policy = self.rtcpPolicy
        let table = forwarder.table
        self.rtcpBytes.removeAll(keepingCapacity: true)

        // Sender reports: one per stream this participant receives.
        for delivery in table.deliveries.indices where table.deliveries[delivery].subscriber == participant {
            guard let report = policy.relaySenderReport(forDelivery: delivery, forwarder: forwarder, now: now) else {
                continue
            }
            self.makeRoom(RTCPReportWriter.senderReportLength, through: entry.transport, send: &send)
            RTCPReportWriter.appendSenderReport(report, to: &self.rtcpBytes)
            self.counters.add(.senderReportsSent)
        }

        // Receiver report blocks: one per stream of this participant's the relay received.
        self.reports.blocks.removeAll(keepingCapacity: true)
        for track in table.tracks.indices where table.tracks[track].publisher == participant {
            let ssrc = table.tracks[track].mediaSSRC
            guard let block = forwarder.inboundStatistics[track].makeReportBlock(ssrc: ssrc, now: now) else {
                continue
            }
            if self.reports.blocks.count == RTCPCompound.maximumReportBlocksPerPacket {
                self.appendReceiverReport(through: entry.transport, send: &send)
            }
            self.reports.blocks.append(block)
        }
        if !self.reports.blocks.isEmpty {
            self.appendReceiverReport(through: entry.transport, send: &send)
        }
        self.finishCompound(through: entry.transport, send: &send)
    }

    /// Appends a receiver report of the collected blocks, and forgets them.
    private mutating func appendReceiverReport(through transport: Transport, send: inout SendBatch) {
        let length = RTCPReportWriter.receiverReportLength(blocks: self.reports.blocks.count)
        self.makeRoom(length, through: transport, send: &send)
        RTCPReportWriter.appendReceiverReport(
            ssrc: self.rtcpPolicy.configuration.reporterSSRC,
            blocks: self.reports.blocks[...],
            to: &self.rtcpBytes
        )
        self.counters.add(.receiverReportsSent)
        self.reports.blocks.removeAll(keepingCapacity: true)
    }

    /// Sends the compound being built if `length` more bytes (and the SDES) would not fit a
    /// datagram.
    private mutating func makeRoom(_ length: Int, through transport: Transport, send: inout SendBatch) {
        let needed = self.rtcpBytes.count &+ length &+ self.reports.sourceDescription.count
        if needed > self.reports.maximumCompoundLength {
            self.finishCompound(through: transport, send: &send)
        }
    }

    /// Closes the compound being built with the SDES, protects it and queues it; nothing if it
    /// is empty.
    private mutating func finishCompound(through transport: Transport, send: inout SendBatch) {
        guard !self.rtcpBytes.isEmpty else { return }
        self.rtcpBytes.append(contentsOf: self.reports.sourceDescription)
        self.sendRTCP(self.rtcpBytes, through: transport, send: &send)
        self.rtcpBytes.removeAll(keepingCapacity: true)
    }
}
