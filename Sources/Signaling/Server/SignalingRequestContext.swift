import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every Parley HTTP request and WebSocket upgrade: Hummingbird's core
/// storage, the WebSocket handler slot, and the channel (for the remote address and the keep-alive
/// handler).
struct SignalingRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<SignalingRequestContext>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }

    /// Bodies of the admin API are small JSON objects.
    var maxUploadSize: Int { 64 * 1024 }
}
