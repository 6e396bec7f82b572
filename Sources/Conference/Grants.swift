/// What a participant's token allows, from its `grants` claim.
///
/// `join` is needed to join at all, `publish` to send media (an offer that sends without it is
/// refused with ``ConferenceError/Code/forbidden``), `subscribe` to receive it (recvonly m-lines
/// without it are refused the same way), `record` to start and stop recording, `admin` for room
/// administration over the WebSocket, and `create` to create the room on first join.
public struct Grants: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The bits.
    public let rawValue: UInt8

    /// Makes a set from its bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// May join the room.
    public static let join = Grants(rawValue: 1 << 0)
    /// May publish (send) media.
    public static let publish = Grants(rawValue: 1 << 1)
    /// May subscribe to (receive) media.
    public static let subscribe = Grants(rawValue: 1 << 2)
    /// May start and stop recording.
    public static let record = Grants(rawValue: 1 << 3)
    /// May administer the room.
    public static let admin = Grants(rawValue: 1 << 4)
    /// May create the room by joining it when it does not exist.
    public static let create = Grants(rawValue: 1 << 5)

    /// Every grant with its protocol name, in protocol order.
    public static let named: [(name: String, grant: Grants)] = [
        ("join", .join), ("publish", .publish), ("subscribe", .subscribe), ("record", .record),
        ("admin", .admin), ("create", .create),
    ]

    /// Parses the token's `grants` array: known names (exact, lower case) set their grant, unknown
    /// strings are ignored so newer tokens still work.
    public init(protocolNames names: [String]) {
        var grants: Grants = []
        for name in names {
            if let entry = Self.named.first(where: { $0.name == name }) {
                grants.insert(entry.grant)
            }
        }
        self = grants
    }

    /// The protocol names of the grants in the set, in protocol order.
    public var protocolNames: [String] {
        Self.named.filter { self.contains($0.grant) }.map(\.name)
    }

    /// The names joined with commas, such as `join,publish`.
    public var description: String {
        self.protocolNames.joined(separator: ",")
    }
}
