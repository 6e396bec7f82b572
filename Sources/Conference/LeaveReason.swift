/// Why a participant left, with the protocol's names (`participant_left.reason`).
public enum LeaveReason: String, Sendable, Hashable, CaseIterable {
    /// It sent `leave`.
    case left
    /// The admin API removed it.
    case removed
    /// Its WebSocket closed.
    case disconnected
    /// Its keep-alive or ICE/DTLS set-up timed out.
    case timeout
    /// Its room was closed.
    case roomClosed = "room_closed"
}
