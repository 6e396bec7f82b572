extension DTLSEndpoint {
    /// What a call on a ``DTLSEndpoint`` asks the caller to do: datagrams to send to the peer,
    /// application data to deliver, and state changes to act on.
    public struct Output: Sendable, Hashable {
        /// Datagrams to send to the peer's address, in order. Each is at most the context's
        /// ``DTLSContext/Configuration/mtu`` bytes and holds whole DTLS records.
        public var datagrams: [[UInt8]]
        /// Application data the peer sent, one element per DTLS record, in order.
        public var applicationData: [[UInt8]]
        /// State changes, in the order they happened (usually none or one).
        public var events: [Event]

        /// Nothing to do.
        public init() {
            self.datagrams = []
            self.applicationData = []
            self.events = []
        }

        /// Whether there is nothing to send, deliver or act on.
        public var isEmpty: Bool {
            self.datagrams.isEmpty && self.applicationData.isEmpty && self.events.isEmpty
        }
    }

    /// A change in a ``DTLSEndpoint``'s state that its owner must act on.
    public enum Event: Sendable, Hashable {
        /// The handshake completed, the peer's certificate matched an expected fingerprint and an
        /// SRTP profile was negotiated: create the outbound ``SRTPSession`` from the keys'
        /// ``DTLSSRTPKeyingMaterial/local`` and the inbound one from ``DTLSSRTPKeyingMaterial/remote``.
        /// Sent once.
        case handshakeCompleted(DTLSSRTPKeyingMaterial)
        /// The handshake or the connection failed; no keys exist (or, after completion, they must
        /// no longer be used). The endpoint ignores everything from now on: tear the transport down.
        case failed(DTLSError)
        /// The peer closed the connection (`close_notify`); a `close_notify` of ours is in the same
        /// output's datagrams. The endpoint ignores everything from now on.
        case closed
    }
}
