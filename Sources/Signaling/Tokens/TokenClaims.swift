/// The verified claims of a Parley token: who (`sub`), where (`room`), what (`grants`).
///
/// Only ``TokenVerifier`` makes these from a token; everything in it has been checked (signature,
/// algorithm, issuer, `exp`, `nbf`, types). A test or a backend may build one directly.
public struct TokenClaims: Sendable, Hashable {
    /// The identity (`sub`), for example `"alice"`.
    public var identity: String
    /// The room the token is for (`room`).
    public var room: String
    /// The optional display name (`name`).
    public var name: String?
    /// The grants (`grants`), unknown strings included.
    public var grants: Set<Grant>
    /// The issuer (`iss`), equal to the configured issuer.
    public var issuer: String
    /// When the token expires (`exp`), in seconds since 1970.
    public var expiresAt: Double

    /// Creates claims.
    public init(identity: String, room: String, name: String?, grants: Set<Grant>, issuer: String, expiresAt: Double) {
        self.identity = identity
        self.room = room
        self.name = name
        self.grants = grants
        self.issuer = issuer
        self.expiresAt = expiresAt
    }

    /// Whether the token grants `grant`.
    public func has(_ grant: Grant) -> Bool {
        self.grants.contains(grant)
    }
}
