/// The transport-cc state of one transport whose participant negotiated the transport-wide
/// sequence number extension: the id it sends it under and the ``TransportWideFeedbackRecorder``
/// of its packets.
///
/// A class so that the core's packet path records into it in place, through the transport's
/// entry, with no copy of the ring (`RelayCore+TransportFeedback.swift`). Made and dropped only
/// by commands (routing tables and transports coming and going).
///
/// Not thread-safe: the worker owns it.
final class PublisherFeedback {
    /// The header extension id of the transport-wide sequence number (1-255).
    var extensionID: UInt8
    /// Arrivals and feedback state.
    var recorder: TransportWideFeedbackRecorder

    init(extensionID: UInt8, capacity: Int = TransportWideFeedbackRecorder.defaultCapacity) {
        self.extensionID = extensionID
        self.recorder = TransportWideFeedbackRecorder(capacity: capacity)
    }
}

@available(*, unavailable)
extension PublisherFeedback: Sendable {}
