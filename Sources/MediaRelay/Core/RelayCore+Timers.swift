extension RelayCore {
    /// The earliest deadline of any transport (connect timeout, consent expiry, DTLS
    /// retransmission), of the relay's next RTCP reports or transport-cc feedback, or nil when
    /// none is pending. A scan over the open transports.
    public var nextDeadline: RelayTime? {
        var earliest: RelayTime? = self.reports.schedule.earliest
        if let feedback = self.transportFeedbackDeadline {
            earliest = min(earliest ?? feedback, feedback)
        }
        for entry in self.entries.values {
            if let deadline = entry.transport.nextDeadline {
                earliest = min(earliest ?? deadline, deadline)
            }
        }
        if let tick = self.nextMixingDeadline {
            earliest = min(earliest ?? tick, tick)
        }
        return earliest
    }

    /// Runs the timers of every transport whose deadline has come: DTLS retransmissions go to
    /// their tuples, and transports that time out (connect, consent) close and are forgotten.
    /// Each transport moves its deadline past `now` or closes, so the core's does too.
    public mutating func timersFired(now: RelayTime, send: inout SendBatch) {
        self.dueTransports.removeAll(keepingCapacity: true)
        for (id, entry) in self.entries {
            if let deadline = entry.transport.nextDeadline, deadline <= now {
                self.dueTransports.append(id)
            }
        }
        for index in self.dueTransports.indices {
            let id = self.dueTransports[index]
            guard let entry = self.entries[id] else { continue }
            self.process(entry.transport.handleTimer(now: now), of: id, now: now, send: &send)
        }
        self.mixingTimersFired(now: now, send: &send)
        self.sendDueReports(now: now, send: &send)
        self.sendDueTransportFeedback(now: now, send: &send)
    }
}
