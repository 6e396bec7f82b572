import HummingbirdWebSocket
import Synchronization

/// Holds the WebSocket handler slot of one ``SignalingRequestContext`` until the connection is
/// upgraded, so the endpoint can drop it (see the comment on the context's holder).
final class WebSocketSlotHolder: Sendable {
    private let slot = Mutex<WebSocketHandlerReference<SignalingRequestContext>?>(WebSocketHandlerReference())

    /// The slot, or after ``release()`` an empty one that nothing upgrades through.
    var reference: WebSocketHandlerReference<SignalingRequestContext> {
        self.slot.withLock { $0 } ?? WebSocketHandlerReference()
    }

    /// Forgets the slot (and with it the copy of the context inside it).
    func release() {
        self.slot.withLock { $0 = nil }
    }
}
