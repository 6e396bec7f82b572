import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The `/v1/rtc` WebSocket endpoint: reads client messages, runs the per-connection protocol
/// state machine against the backend, writes replies and events, keeps the connection alive and
/// calls `leave` exactly once after a successful join.
///
/// One connection runs three child tasks: the reader (this loop), the writer (drains the
/// session's bounded queue) and the keep-alive loop (pings, and disconnects a silent client).
final class SignalingEndpoint: Sendable {
    let backend: any SignalingBackend
    let verifier: TokenVerifier
    let limits: SignalingLimits
    let rateLimiter: JoinRateLimiter
    let logger: Logger
    private let nextSessionID = Atomic<UInt64>(1)

    init(backend: any SignalingBackend, verifier: TokenVerifier, limits: SignalingLimits, logger: Logger) {
        self.backend = backend
        self.verifier = verifier
        self.limits = limits
        self.rateLimiter = JoinRateLimiter(rate: limits.joinsPerSecond, burst: limits.joinBurst)
        self.logger = logger
    }

    /// Serves one upgraded connection until it ends.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel) async {
        let activity = ActivityClock()
        activity.touch()
        // Pongs never reach the handler, so count raw bytes instead. If the handler cannot be added
        // the channel is closing anyway.
        try? await channel.pipeline.addHandler(ReadActivityHandler(clock: activity), position: .first).get()
        let id = self.nextSessionID.add(1, ordering: .relaxed).oldValue
        let session = WebSocketSession(
            id: id,
            remoteAddress: channel.remoteAddress?.ipAddress,
            capacity: self.limits.outboundQueueCapacity,
            onOverflow: { channel.close(promise: nil) }
        )
        var logger = self.logger
        logger[metadataKey: "session"] = "\(id)"
        let connectionLogger = logger
        connectionLogger.debug("WebSocket connected", metadata: ["remote": "\(session.remoteAddress ?? "?")"])

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.writeLoop(session: session, outbound: outbound, channel: channel)
            }
            group.addTask {
                await self.keepAliveLoop(session: session, outbound: outbound, activity: activity)
            }
            var connection = Connection(session: session)
            await self.readLoop(inbound: inbound, connection: &connection, logger: connectionLogger)
            if connection.joined {
                await self.backend.leave(session: session, reason: session.endReason)
            }
            session.finish()
            group.cancelAll()
        }
        connectionLogger.debug("WebSocket ended", metadata: ["reason": "\(session.endReason)"])
    }

    /// What the reader knows about its connection.
    struct Connection {
        let session: WebSocketSession
        /// True between a successful `join` and the call to `leave`.
        var joined = false
    }

    // MARK: reading

    private func readLoop(inbound: WebSocketInboundStream, connection: inout Connection, logger: Logger) async {
        var message: [UInt8] = []
        var assembling = false
        var discarding = false
        do {
            for try await frame in inbound {
                if connection.session.isClosing { continue }
                switch frame.opcode {
                case .text:
                    message.removeAll(keepingCapacity: true)
                    assembling = true
                    discarding = false
                case .binary:
                    self.fail(
                        connection.session,
                        SignalingError(
                            .badRequest,
                            "Binary frames are not accepted; send each message as one JSON text frame."
                        ),
                        close: .malformedJSON
                    )
                    discarding = true
                    continue
                case .continuation:
                    guard assembling, !discarding else { continue }
                }
                guard message.count + frame.data.readableBytes <= self.limits.maxMessageBytes else {
                    self.fail(
                        connection.session,
                        SignalingError(
                            .tooLarge,
                            "The message is larger than \(self.limits.maxMessageBytes) bytes; split what you send or shorten it."
                        ),
                        close: .messageTooLarge
                    )
                    discarding = true
                    continue
                }
                message.append(contentsOf: frame.data.readableBytesView)
                guard frame.fin else { continue }
                assembling = false
                await self.handle(message, connection: &connection, logger: logger)
                if message.count > 64 * 1024 {
                    message = []  // do not keep a large buffer for a connection's lifetime
                }
            }
        } catch {
            logger.debug("WebSocket read ended with an error", metadata: ["error": "\(error)"])
        }
    }

    // MARK: the protocol state machine

    private func handle(_ bytes: [UInt8], connection: inout Connection, logger: Logger) async {
        let session = connection.session
        let message: ClientMessage
        let id: MessageID?
        switch ClientMessage.decode(bytes, limits: self.limits) {
        case .success(let decoded):
            (message, id) = decoded
        case .failure(.malformed(let text)):
            self.fail(session, SignalingError(.badRequest, text), close: .malformedJSON)
            return
        case .failure(.invalid(let text, let id)):
            session.reply(.error(SignalingError(.badRequest, text), fatal: false, id: id))
            return
        }

        switch message {
        case .ping:
            session.reply(.pong(id: id))
            return
        case .join(let token, let name):
            guard !connection.joined else {
                session.reply(
                    .error(
                        SignalingError(
                            .alreadyJoined,
                            "This connection has already joined; open another to join again."
                        ),
                        fatal: false,
                        id: id
                    )
                )
                return
            }
            do throws(SignalingError) {
                let payload = try await self.join(token: token, name: name, session: session)
                connection.joined = true
                session.reply(.joined(payload, id: id))
                logger.info(
                    "Joined",
                    metadata: ["room": "\(payload.room.name)", "participant": "\(payload.participant.id)"]
                )
            } catch {
                self.reportError(error, session: session, id: id, duringJoin: true)
            }
            return
        default:
            break
        }

        guard connection.joined else {
            session.reply(.error(SignalingError(.notJoined, "Send \"join\" with a token first."), fatal: false, id: id))
            return
        }
        do throws(SignalingError) {
            switch message {
            case .offer(let sdp):
                let answer = try await self.backend.offer(sdp: sdp, session: session)
                session.reply(.answer(sdp: answer, id: id))
            case .candidate(let candidate, let sdpMid, let index):
                guard candidate.isEmpty || (candidate.hasPrefix("candidate:") && candidate.utf8.count <= 1024) else {
                    throw SignalingError(
                        .badRequest,
                        "\"candidate\" must be an ICE candidate line starting with \"candidate:\" (at most 1024 bytes), or \"\" for end of candidates."
                    )
                }
                try await self.backend.candidate(
                    CandidateInfo(candidate: candidate, sdpMid: sdpMid, sdpMLineIndex: index),
                    session: session
                )
            case .mute(let kind, let muted):
                try await self.backend.mute(kind: kind, muted: muted, session: session)
            case .startRecording:
                try await self.backend.startRecording(session: session)
            case .stopRecording:
                try await self.backend.stopRecording(session: session)
            case .leave:
                connection.joined = false
                await self.backend.leave(session: session, reason: .left)
                session.close(code: .normal, reason: "left", endReason: .left)
            case .join, .ping:
                break
            }
        } catch {
            self.reportError(error, session: session, id: id, duringJoin: false)
        }
    }

    private func join(
        token: String,
        name: String?,
        session: WebSocketSession
    ) async throws(SignalingError) -> JoinedPayload {
        guard self.rateLimiter.allow(session.remoteAddress) else {
            throw SignalingError(.rateLimited, "Too many joins from your address; wait a few seconds and try again.")
        }
        if await self.backend.isDraining {
            throw SignalingError(
                .draining,
                "The server is shutting down and accepts no new joins; try again in a minute."
            )
        }
        guard token.utf8.count <= self.limits.maxTokenBytes else {
            throw SignalingError(.invalidToken, "The token is larger than \(self.limits.maxTokenBytes) bytes.")
        }
        if let name, name.utf8.count > self.limits.maxNameBytes || name.isEmpty {
            throw SignalingError(.badRequest, "\"name\" must have 1 to \(self.limits.maxNameBytes) bytes.")
        }
        let claims = try await self.verifier.verify(token)
        guard claims.has(.join) else {
            throw SignalingError(.forbidden, "The token has no \"join\" grant; ask for a token that lets you join.")
        }
        let displayName = name ?? claims.name ?? claims.identity
        return try await self.backend.join(JoinRequest(claims: claims, displayName: displayName), session: session)
    }

    /// The close code that follows an error, or nil when the error is not fatal.
    static func closeCode(for error: SignalingError, duringJoin: Bool) -> SignalingCloseCode? {
        switch error.code {
        case .invalidToken, .tokenExpired: .policyViolation
        case .forbidden: duringJoin ? .policyViolation : nil
        case .draining, .roomFull, .rateLimited: .tryAgainLater
        case .tooLarge: .messageTooLarge
        default: nil
        }
    }

    private func reportError(_ error: SignalingError, session: WebSocketSession, id: MessageID?, duringJoin: Bool) {
        if let code = Self.closeCode(for: error, duringJoin: duringJoin) {
            self.fail(session, error, close: code, id: id)
        } else {
            session.reply(.error(error, fatal: false, id: id))
        }
    }

    /// Sends a fatal error and closes; later messages from the client are ignored.
    private func fail(
        _ session: WebSocketSession,
        _ error: SignalingError,
        close code: SignalingCloseCode,
        id: MessageID? = nil
    ) {
        session.reply(.error(error, fatal: true, id: id))
        session.close(code: code, reason: error.code.rawValue, endReason: .disconnected)
    }

    // MARK: writing

    private func writeLoop(session: WebSocketSession, outbound: WebSocketOutboundWriter, channel: any Channel) async {
        var open = true
        for await item in session.stream where open {
            switch item {
            case .message(let message):
                do {
                    try await outbound.write(.text(message.jsonText()))
                } catch {
                    open = false
                    channel.close(promise: nil)
                }
            case .close(let code, let reason):
                open = false
                try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code.rawValue)), reason: reason)
                // A client that does not answer the close frame is dropped after closeTimeout; a
                // scheduled task on the event loop (not a Swift task) outlives this loop.
                channel.eventLoop.scheduleTask(in: Self.timeAmount(self.limits.closeTimeout)) {
                    channel.close(promise: nil)
                }
            }
        }
    }

    // MARK: keep-alive

    private func keepAliveLoop(
        session: WebSocketSession,
        outbound: WebSocketOutboundWriter,
        activity: ActivityClock
    ) async {
        let tick = min(self.limits.pingInterval, self.limits.silenceTimeout)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return
            }
            if activity.silence() >= self.limits.silenceTimeout {
                let seconds = self.limits.silenceTimeout.components.seconds
                session.close(
                    code: .goingAway,
                    reason: "keep-alive timeout: nothing received for \(seconds) s",
                    endReason: .timeout
                )
                return
            }
            try? await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())))
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }
}
