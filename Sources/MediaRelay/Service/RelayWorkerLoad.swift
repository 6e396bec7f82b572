/// How busy one worker of a ``RelayService`` is, as placement sees it.
public struct RelayWorkerLoad: Sendable, Hashable, CustomStringConvertible {
    /// The weight of the rooms placed on the worker with
    /// ``RelayService/worker(forNewRoomWith:)`` and not yet released.
    public var rooms: Int
    /// Transports added through the service on the worker that have not been removed or
    /// reported closed.
    public var transports: Int

    /// A load of `rooms` room weight and `transports` transports.
    public init(rooms: Int = 0, transports: Int = 0) {
        self.rooms = rooms
        self.transports = transports
    }

    /// `3 rooms, 17 transports`.
    public var description: String {
        "\(self.rooms) rooms, \(self.transports) transports"
    }
}
