import RTCWire

// Transport-wide congestion control feedback towards publishers: each RTP packet from a
// participant whose routing table entry names a transport-wide sequence number extension id is
// recorded on arrival (the packet path: a few stores into a preallocated ring), and on a timer
// every recorder with something pending writes its RTCP transport-cc feedback, protected with
// the publisher's SRTCP session and sent to its bound tuple. Without this feedback Chromium's
// send-side bandwidth estimator never raises its video bitrate.

extension RelayCore {
    /// How long a recorded packet waits at most before its feedback is sent (unless the
    /// recorder fills up first): libwebrtc's receivers use 50-250 ms.
    static let transportFeedbackIntervalNanoseconds: UInt64 = 50_000_000
    /// Feedback packets one transport sends per timer run; what is left goes 50 ms later.
    static let transportFeedbackPacketsPerRun = 8
    /// The most bytes of one feedback packet before SRTCP's trailer (under a typical MTU).
    static let transportFeedbackMaximumLength = 1200

    /// Records a publisher's RTP packet that carries the transport-wide sequence number under
    /// the negotiated id (an element of another length is ignored). No allocation, no lock.
    mutating func recordTransportSequence(
        _ header: RTPHeader,
        packet: Span<UInt8>,
        into feedback: PublisherFeedback,
        now: RelayTime
    ) {
        let found: UInt16?
        // Typed, so a malformed element costs no boxed error.
        do throws(WireError) {
            found = try header.transportSequenceNumber(id: feedback.extensionID, in: packet)
        } catch {
            return
        }
        guard let sequenceNumber = found else { return }
        feedback.recorder.record(sequenceNumber: sequenceNumber, ssrc: header.ssrc, arrival: now)
        if feedback.recorder.isUrgent {
            self.transportFeedbackDeadline = now
        } else if self.transportFeedbackDeadline == nil {
            self.transportFeedbackDeadline = now.adding(nanoseconds: Self.transportFeedbackIntervalNanoseconds)
        }
    }

    /// Sends the pending transport-cc feedback of every publishing transport when its time has
    /// come (called from ``timersFired(now:send:)``).
    mutating func sendDueTransportFeedback(now: RelayTime, send: inout SendBatch) {
        guard let deadline = self.transportFeedbackDeadline, deadline <= now else { return }
        self.transportFeedbackDeadline = nil
        let senderSSRC = self.rtcpPolicy.configuration.reporterSSRC
        let maximumLength = min(self.reports.maximumCompoundLength, Self.transportFeedbackMaximumLength)
        for entry in self.entries.values {
            guard let feedback = entry.feedback, feedback.recorder.pendingCount > 0, entry.transport.canSend else {
                continue
            }
            var packets = 0
            while packets < Self.transportFeedbackPacketsPerRun {
                self.rtcpBytes.removeAll(keepingCapacity: true)
                guard
                    feedback.recorder.appendFeedback(
                        senderSSRC: senderSSRC,
                        maximumLength: maximumLength,
                        into: &self.rtcpBytes
                    )
                else { break }
                self.sendRTCP(self.rtcpBytes, through: entry.transport, send: &send)
                self.counters.add(.transportFeedbackSent)
                packets &+= 1
            }
            if feedback.recorder.pendingCount > 0 {
                self.transportFeedbackDeadline = now.adding(nanoseconds: Self.transportFeedbackIntervalNanoseconds)
            }
        }
        self.rtcpBytes.removeAll(keepingCapacity: true)
    }

    /// Gives each transport whose participant negotiated the transport-wide sequence number (a
    /// non-zero ``PublishedTrack/transportSequenceNumberExtensionID`` in the routing table) a
    /// recorder, keeps an existing one (its sequence numbers go on), and drops the others. Runs
    /// on commands, never per packet.
    mutating func rebuildTransportFeedback() {
        var extensionIDs: [RoutingParticipantID: UInt8] = [:]
        for track in self.forwarder.table.publishedTracks where track.transportSequenceNumberExtensionID != 0 {
            if extensionIDs[track.publisher] == nil {
                extensionIDs[track.publisher] = track.transportSequenceNumberExtensionID
            }
        }
        for (id, entry) in self.entries {
            let wanted = extensionIDs[entry.participant] ?? 0
            if wanted == 0 {
                if entry.feedback != nil {
                    self.entries[id]?.feedback = nil
                }
            } else if let feedback = entry.feedback {
                feedback.extensionID = wanted
            } else {
                self.entries[id]?.feedback = PublisherFeedback(extensionID: wanted)
            }
        }
    }
}
