/// What a successful mutating call on ``Conference`` asks its owner to do.
///
/// Perform them in this order: tear down ``closedRooms`` on the relay, install the plans of
/// ``changedPlans`` (``Conference/mediaPlan(for:)``), send ``events``, then close the connections
/// of ``removedParticipants`` (their last event, `room_closed`, is among the events).
public struct ConferenceEffects: Sendable, Hashable {
    /// Events to send, in order.
    public var events: [ConferenceDelivery]
    /// Rooms whose ``RoomMediaPlan`` differs from before the call (sorted, each once).
    public var changedPlans: [RoomName]
    /// Rooms that no longer exist: their relay state (transports, routing, mixing, recording) must
    /// go.
    public var closedRooms: [ClosedRoom]
    /// Participants the call removed whose connections the owner should close: everyone in a
    /// closed room, and the participant of ``Conference/leave(_:reason:)`` only with reason
    /// `removed` or `room_closed` (one that left or disconnected by itself is not listed).
    public var removedParticipants: [ParticipantID]

    /// No effects.
    public init(
        events: [ConferenceDelivery] = [],
        changedPlans: [RoomName] = [],
        closedRooms: [ClosedRoom] = [],
        removedParticipants: [ParticipantID] = []
    ) {
        self.events = events
        self.changedPlans = changedPlans
        self.closedRooms = closedRooms
        self.removedParticipants = removedParticipants
    }

    /// The events addressed to `participant`, in order (a convenience for tests and logs).
    public func events(for participant: ParticipantID) -> [ConferenceEvent] {
        self.events.filter { $0.recipient == participant }.map(\.event)
    }
}

/// A room that was closed, with what the relay needs to find its state.
public struct ClosedRoom: Sendable, Hashable {
    /// The room's name.
    public var name: RoomName
    /// The room's number (the relay's room ID).
    public var number: UInt64
    /// The worker it lived on.
    public var worker: Int
    /// Whether it was being recorded (the recording must be finalised).
    public var wasRecording: Bool

    /// Describes a closed room.
    public init(name: RoomName, number: UInt64, worker: Int, wasRecording: Bool) {
        self.name = name
        self.number = number
        self.worker = worker
        self.wasRecording = wasRecording
    }
}
