/// What a call on a ``Transport`` asks its owner to do: datagrams to send, and events to act on
/// and log.
public struct TransportOutput: Hashable, Sendable {
    /// Where every datagram in ``datagrams`` goes: always the transport's bound tuple, which passed
    /// an authenticated Binding request. `nil` when there is nothing to send.
    public var destination: RelayAddress?
    /// DTLS datagrams (flights, retransmissions, alerts, `close_notify`) for ``destination``, in
    /// order. Empty whenever the transport may not send (``Transport/canSend`` is false).
    public var datagrams: [[UInt8]]
    /// What changed, in order.
    public var events: [TransportEvent]

    /// Nothing to do.
    public init() {
        self.destination = nil
        self.datagrams = []
        self.events = []
    }

    /// Whether there is nothing to send and nothing happened.
    public var isEmpty: Bool {
        self.datagrams.isEmpty && self.events.isEmpty
    }
}
