/// One client's signaling connection, as the backend sees it: a way to push events and to end it.
///
/// The endpoint creates one per WebSocket connection and passes it to every backend call for that
/// connection, so the backend can map it to its participant (by ``id``) and keep it to push events
/// later. Both functions are non-blocking and may be called from any thread or task, also after
/// the connection has gone (they then do nothing).
public protocol SignalingSession: AnyObject, Sendable {
    /// A number unique among the sessions of this process.
    var id: UInt64 { get }
    /// The client's address (IP without port) as the server saw it, if known.
    var remoteAddress: String? { get }

    /// Queues `event` for the client. Never blocks or suspends. When the bounded queue is full
    /// (the client does not read), the connection is dropped (close 1013) and the backend later
    /// receives ``SignalingBackend/leave(session:reason:)`` with reason `disconnected`.
    func send(_ event: SignalingEvent)

    /// Closes the connection with `code` after the events already queued have been written.
    /// The backend still receives ``SignalingBackend/leave(session:reason:)`` once, with reason
    /// `removed`, when the connection has ended (a no-op if it already removed the participant).
    func close(code: SignalingCloseCode, reason: String)
}
