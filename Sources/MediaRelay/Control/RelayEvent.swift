/// Something the relay tells the control plane: a transport connected or closed, the speakers of
/// a mixed room changed, a recording started, stopped or failed.
///
/// Events are rare (per participant or per second, never per packet), so a worker may hand them
/// over with a lock or an allocation; see ``RelayEventSink``.
public enum RelayEvent: Sendable, Hashable {
    /// ICE, DTLS and SRTP are up for this transport: media can flow.
    case transportConnected(TransportID)
    /// The transport closed and was forgotten (timeout, consent lost, DTLS failure, removal).
    case transportClosed(TransportID, TransportCloseReason)
    /// The speakers a room's mixer selected, loudest first (empty when nobody speaks). Sent when
    /// the set changes, never more often than the mixer's hysteresis allows.
    case activeSpeakers(RelayRoomID, [RoutingParticipantID])
    /// A room's recording began writing to `path`.
    case recordingStarted(RelayRoomID, path: String)
    /// A room's recording ended normally (its file is complete, with its EOS page).
    case recordingStopped(RelayRoomID, path: String)
    /// A room's recording stopped because of an error; the room goes on.
    case recordingFailed(RelayRoomID, RecordingError)
}

/// Where a relay core delivers its ``RelayEvent``s: a function called on the worker thread.
///
/// It must not block: hand the event over (an `AsyncStream` continuation's `yield` is the usual
/// choice) and return.
public struct RelayEventSink: Sendable {
    /// Called with each event, on the thread that produced it.
    public let deliver: @Sendable (RelayEvent) -> Void

    /// A sink calling `deliver` for every event.
    public init(_ deliver: @escaping @Sendable (RelayEvent) -> Void) {
        self.deliver = deliver
    }

    /// A sink that drops every event (the default for cores nobody listens to).
    public static let discarding = RelayEventSink { _ in }
}
