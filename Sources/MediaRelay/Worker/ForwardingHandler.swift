/// A plain UDP forwarder: every datagram received is sent, unchanged, to each configured
/// destination.
///
/// It is the "bare Swift POSIX loop" DESIGN.md measures against a C recvmmsg/sendmmsg
/// forwarder, and the handler the worker's own tests run. It forwards to whoever is configured,
/// whatever the source: it is a benchmark and test tool, not something to expose to the
/// internet (it would reflect anyone's traffic).
public struct ForwardingHandler: RelayDatagramHandler {
    /// Changes applied by the worker between read batches.
    public enum Command: Sendable, Hashable {
        /// Forwards to these destinations from now on (empty: drop everything).
        case replaceDestinations([RelayAddress])
    }

    /// Where every datagram goes.
    public private(set) var destinations: [RelayAddress]

    /// A forwarder to `destinations` (each datagram is sent once to each, in this order).
    public init(destinations: [RelayAddress]) {
        self.destinations = destinations
    }

    /// Copies the datagram into one send slot per destination.
    public mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        guard length > 0, length <= datagram.count else { return }
        let payload = datagram.span.extracting(0..<length)
        for destination in self.destinations {
            send.append(to: destination, copying: payload)
        }
    }

    /// Applies ``Command/replaceDestinations(_:)``.
    public mutating func apply(_ command: Command, now: RelayTime, send: inout SendBatch) {
        switch command {
        case .replaceDestinations(let destinations):
            self.destinations = destinations
        }
    }
}
