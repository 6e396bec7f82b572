public import RTCSecurity

/// What a ``Conference`` needs to know about the relay and its limits.
public struct ConferenceConfiguration: Sendable {
    /// Chooses the worker of a new room from the current load; returns an index into
    /// ``ConferenceConfiguration/workers``. An index out of range falls back to the least loaded.
    public typealias Placement = @Sendable (_ room: RoomName, _ load: [WorkerLoad]) -> Int

    /// The relay workers' UDP addresses, by worker index: the host candidate of every answer for a
    /// room on that worker. At least one.
    public var workers: [RelayEndpoint]
    /// The relay's DTLS certificate fingerprints, written as `a=fingerprint` in every answer. At
    /// least one.
    public var fingerprints: [DTLSFingerprint]
    /// The most rooms at once; one more gets ``ConferenceError/Code/tooManyRooms``.
    public var maxRooms: Int
    /// The settings of rooms created on first join (and of admin-created rooms given none).
    public var defaultRoomSettings: RoomSettings
    /// The placement of new rooms; nil places each on the worker with the fewest participants
    /// (then fewest rooms, then lowest index).
    public var placement: Placement?
    /// Where ICE credentials, SSRCs and SDP session IDs come from. The default is the system's
    /// cryptographically secure generator; tests pass a seeded one. ICE passwords must not be
    /// guessable, so production code keeps the default.
    public var random: any RandomNumberGenerator & Sendable

    /// Makes a configuration.
    ///
    /// ``Conference/init(configuration:)`` traps when `workers` or `fingerprints` is empty or
    /// `maxRooms` is below 1: those are programming errors of the server's set-up.
    public init(
        workers: [RelayEndpoint],
        fingerprints: [DTLSFingerprint],
        maxRooms: Int = 1_000,
        defaultRoomSettings: RoomSettings = RoomSettings(),
        placement: Placement? = nil,
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.workers = workers
        self.fingerprints = fingerprints
        self.maxRooms = maxRooms
        self.defaultRoomSettings = defaultRoomSettings
        self.placement = placement
        self.random = random
    }
}

/// The address a relay worker receives media on: its ICE host candidate.
public struct RelayEndpoint: Sendable, Hashable {
    /// An IPv4 or IPv6 address as text, as advertised to clients (the public address behind NAT).
    public var address: String
    /// The UDP port.
    public var port: UInt16

    /// Makes an endpoint.
    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Whether ``address`` is IPv6 (contains a colon).
    public var isIPv6: Bool {
        self.address.utf8.contains(UInt8(ascii: ":"))
    }
}

/// The load of one relay worker, as given to the placement function.
public struct WorkerLoad: Sendable, Hashable {
    /// The worker index.
    public var worker: Int
    /// Rooms on the worker.
    public var rooms: Int
    /// Participants in those rooms.
    public var participants: Int

    /// Makes a load description.
    public init(worker: Int, rooms: Int, participants: Int) {
        self.worker = worker
        self.rooms = rooms
        self.participants = participants
    }
}
