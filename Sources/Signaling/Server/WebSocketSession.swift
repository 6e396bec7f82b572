import Synchronization

/// The ``SignalingSession`` of one WebSocket connection: a bounded queue of outbound messages that
/// the connection's writer drains, plus what the endpoint must remember to call `leave` right.
final class WebSocketSession: SignalingSession {
    /// One item of the outbound queue.
    enum Outbound: Sendable {
        case message(ServerMessage)
        case close(SignalingCloseCode, String)
    }

    /// Why the connection is ending, decided by whoever ends it first.
    struct State {
        var endReason: LeaveReason?
        var closing = false
    }

    let id: UInt64
    let remoteAddress: String?
    let stream: AsyncStream<Outbound>
    private let continuation: AsyncStream<Outbound>.Continuation
    private let state = Mutex(State())
    private let onOverflow: @Sendable () -> Void

    /// - Parameter onOverflow: called once, on the enqueuing thread, when the queue overflows; it
    ///   must drop the connection without waiting for the client (which is not reading).
    init(id: UInt64, remoteAddress: String?, capacity: Int, onOverflow: @escaping @Sendable () -> Void) {
        self.id = id
        self.remoteAddress = remoteAddress
        (self.stream, self.continuation) = AsyncStream.makeStream(
            of: Outbound.self,
            bufferingPolicy: .bufferingOldest(max(1, capacity))
        )
        self.onOverflow = onOverflow
    }

    func send(_ event: SignalingEvent) {
        self.enqueue(.message(.event(event)))
    }

    func close(code: SignalingCloseCode, reason: String) {
        self.close(code: code, reason: reason, endReason: .removed)
    }

    /// Queues a reply to the client.
    func reply(_ message: ServerMessage) {
        self.enqueue(.message(message))
    }

    /// Queues a close after what is queued, recording why (unless a reason is already recorded).
    /// Returns false if the connection was already closing.
    @discardableResult
    func close(code: SignalingCloseCode, reason: String, endReason: LeaveReason) -> Bool {
        let first = self.state.withLock { state -> Bool in
            if state.endReason == nil { state.endReason = endReason }
            defer { state.closing = true }
            return !state.closing
        }
        if first {
            self.enqueue(.close(code, reason))
        }
        return first
    }

    /// Whether a close has been queued (further client messages are ignored).
    var isClosing: Bool {
        self.state.withLock { $0.closing }
    }

    /// The reason for `leave`: the first one recorded, else `disconnected`.
    var endReason: LeaveReason {
        self.state.withLock { $0.endReason ?? .disconnected }
    }

    /// Ends the queue: the writer stops after the items already queued.
    func finish() {
        self.continuation.finish()
    }

    private func enqueue(_ item: Outbound) {
        switch self.continuation.yield(item) {
        case .enqueued, .terminated:
            break
        case .dropped:
            // The client does not read: finishing the stream stops the writer, and onOverflow drops
            // the TCP connection, which ends the reader and so calls leave once.
            self.state.withLock { state in
                if state.endReason == nil { state.endReason = .disconnected }
                state.closing = true
            }
            self.continuation.finish()
            self.onOverflow()
        @unknown default:
            break
        }
    }
}
