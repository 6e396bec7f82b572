/// A permission a token grants, one string of its `grants` claim.
///
/// Unknown strings are kept (and ignored) so that newer issuers do not break older servers.
public struct Grant: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The wire string, for example `"publish"`.
    public let rawValue: String

    /// Creates a grant from its wire string.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a grant from a literal.
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// May join the token's room (checked by the endpoint before the backend is called).
    public static let join = Grant("join")
    /// May send media (sendrecv/sendonly m-lines); checked by the backend.
    public static let publish = Grant("publish")
    /// May receive others' media; checked by the backend.
    public static let subscribe = Grant("subscribe")
    /// May start and stop recording the room.
    public static let record = Grant("record")
    /// Administrative rights in the room (for example removing participants).
    public static let admin = Grant("admin")
    /// The first join may create the room with default settings.
    public static let create = Grant("create")

    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    /// The wire string.
    public var description: String { self.rawValue }
}
