import NIOCore
import Synchronization

/// When the last bytes arrived on a connection, written by ``ReadActivityHandler`` on the event
/// loop and read by the keep-alive loop.
final class ActivityClock: Sendable {
    private let start = ContinuousClock.now
    private let lastNanoseconds = Atomic<Int64>(0)

    /// Records activity now.
    func touch() {
        self.lastNanoseconds.store(Self.nanoseconds(ContinuousClock.now - self.start), ordering: .relaxed)
    }

    /// How long ago the last activity was.
    func silence() -> Duration {
        let now = Self.nanoseconds(ContinuousClock.now - self.start)
        return .nanoseconds(now - self.lastNanoseconds.load(ordering: .relaxed))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}

/// A handler at the front of a WebSocket connection's pipeline that records every read, so that
/// pongs (which the WebSocket layer consumes without showing them) count as activity.
final class ReadActivityHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let clock: ActivityClock

    init(clock: ActivityClock) {
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.clock.touch()
        context.fireChannelRead(data)
    }
}
