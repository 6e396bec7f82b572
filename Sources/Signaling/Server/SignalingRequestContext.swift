import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every Parley HTTP request and WebSocket upgrade: Hummingbird's core
/// storage, the WebSocket handler slot, and the channel (for the remote address and the keep-alive
/// handler).
struct SignalingRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    // Hummingbird's router stores a copy of this context inside the handler slot it fills on an
    // upgrade and never empties it: slot -> context -> slot is a cycle that kept every upgraded
    // connection (with its channel, pipeline and buffers) alive for good. The slot is reached
    // through a holder the endpoint empties once the upgrade is done, and the channel is held
    // weakly, so a cycle left by an upgrade that never ran holds only the small holder.
    private let webSocketHolder: WebSocketSlotHolder
    /// The connection's channel while it is open.
    weak let channel: (any Channel)?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocketHolder = WebSocketSlotHolder()
        self.channel = source.channel
    }

    var webSocket: WebSocketHandlerReference<SignalingRequestContext> {
        self.webSocketHolder.reference
    }

    /// Empties the WebSocket handler slot once the connection is upgraded (the upgrade keeps its
    /// own copy of the handler), which breaks the slot's reference cycle.
    func releaseWebSocketSlot() {
        self.webSocketHolder.release()
    }

    /// Bodies of the admin API are small JSON objects.
    var maxUploadSize: Int { 64 * 1024 }
}
