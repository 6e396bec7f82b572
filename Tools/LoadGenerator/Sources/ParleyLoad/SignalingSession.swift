import HummingbirdWSClient
import LoadGeneratorCore
import Logging
import RTCWire
import Synchronization

/// One simulated participant's signaling, protocol v1 over a WebSocket: `join` with its token,
/// an `offer` (one sendrecv audio m-line, plus a recvonly one per remote audio track in
/// forwarded rooms; renegotiated with more when `tracks` grows), the empty end-of-candidates
/// `candidate`, the answer handed to the engine, a `ping` every 15 s, and `leave` at its leave
/// time.
struct SignalingSession: Sendable {
    /// What a session ended with.
    struct Outcome: Sendable {
        /// The plan as finally used (the mix check is turned off outside mixed rooms).
        var plan: ParticipantPlan
        /// Whether the engine got the participant (its report comes from the engine then).
        var added: Bool
        /// Why it failed, if it did before or outside the media path.
        var failure: FailureCause?
    }

    /// The session's progress, shared by its tasks.
    final class State: Sendable {
        struct Values {
            var added = false
            var failure: FailureCause?
            var plan: ParticipantPlan?
        }
        let values = Mutex(Values())

        var added: Bool {
            self.values.withLock { $0.added }
        }

        func fail(_ cause: FailureCause) {
            self.values.withLock { values in
                if values.failure == nil {
                    values.failure = cause
                }
            }
        }
    }

    let url: String
    let engine: LoadEngine
    let fallbackAddress: UInt32?
    let answerTimeout: Duration
    let logger: Logger

    /// Runs the session until `leaveAt` (or a failure) and says how it went.
    func run(entry: LoadScenario.Entry, token: String, leaveAt: ContinuousClock.Instant) async -> Outcome {
        let state = State()
        let engine = self.engine
        let fallbackAddress = self.fallbackAddress
        let answerTimeout = self.answerTimeout
        do {
            try await WebSocketClient.connect(url: self.url, logger: self.logger) { inbound, outbound, _ in
                try await outbound.write(.text(ClientMessage.join(token: token, name: entry.plan.identity).json(id: 1)))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var plan = entry.plan
                        var ownID = ""
                        var mixed = false
                        var tracks: [SignalingTrack] = []
                        var recvonly = 0
                        var version: UInt64 = 0
                        var offerPending = false
                        func othersAudio() -> Int {
                            tracks.filter { $0.kind == "audio" && $0.participantID != ownID }.count
                        }
                        func sendOffer() async throws {
                            version += 1
                            recvonly = mixed ? 0 : othersAudio()
                            offerPending = true
                            let sdp = OfferBuilder.offer(
                                for: plan,
                                fingerprint: engine.fingerprint,
                                recvonlyCount: recvonly,
                                version: version
                            ).text
                            try await outbound.write(.text(ClientMessage.offer(sdp: sdp).json(id: Int(version) + 1)))
                        }
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let decoded = try? ServerMessage(json: text) else {
                                continue
                            }
                            switch decoded {
                            case .joined(let participantID, let audioMode, let roomTracks):
                                ownID = participantID
                                mixed = audioMode == "mixed"
                                tracks = roomTracks
                                if !mixed {
                                    plan.checksMix = false
                                }
                                state.values.withLock { $0.plan = plan }
                                try await sendOffer()
                                try await outbound.write(.text(ClientMessage.candidate("", sdpMid: "0").json()))
                            case .answer(let sdp):
                                offerPending = false
                                if !state.added {
                                    do {
                                        let answer = try AnswerParameters(
                                            parsing: sdp,
                                            fallbackAddress: fallbackAddress
                                        )
                                        engine.add(plan, answer: answer)
                                        state.values.withLock { $0.added = true }
                                    } catch {
                                        state.fail(.badAnswer)
                                        return
                                    }
                                }
                                if !mixed && othersAudio() > recvonly {
                                    try await sendOffer()
                                }
                            case .tracks(let roomTracks):
                                tracks = roomTracks
                                if !mixed && !offerPending && othersAudio() > recvonly {
                                    try await sendOffer()
                                }
                            case .error(let code, _, let fatal):
                                if !state.added || fatal {
                                    state.fail(.serverError(code))
                                    return
                                }
                            case .roomClosed:
                                return
                            case .pong, .draining, .other:
                                break
                            }
                        }
                    }
                    group.addTask {
                        try await Task.sleep(until: leaveAt)
                        if !state.added {
                            // No answer (or no media path) before its leave time: a slow join.
                            state.fail(.signalingTimeout)
                        }
                        // Stop the media first (the participant's own close_notify ends its
                        // report), so the relay's close_notify after `leave` is not taken for a
                        // failure (`dtls_closed`).
                        engine.remove(entry.plan.number)
                        try await Task.sleep(for: .milliseconds(100))
                        try await outbound.write(.text(ClientMessage.leave.json()))
                        // The server closes with 1000 after a leave; give it a moment.
                        try await Task.sleep(for: .seconds(2))
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(15))
                            try await outbound.write(.text(ClientMessage.ping.json()))
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: answerTimeout)
                        if !state.added {
                            state.fail(.signalingTimeout)
                            return
                        }
                        try await Task.sleep(until: leaveAt.advanced(by: .seconds(3600)))
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            if !state.added {
                state.fail(.signalingConnect)
                self.logger.warning(
                    "signaling failed",
                    metadata: ["participant": "\(entry.plan.identity)", "error": "\(error)"]
                )
            }
        }
        let values = state.values.withLock { $0 }
        return Outcome(plan: values.plan ?? entry.plan, added: values.added, failure: values.failure)
    }
}
