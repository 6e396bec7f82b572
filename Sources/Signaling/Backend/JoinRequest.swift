/// What the endpoint hands the backend for a `join`: verified claims and the resolved name.
public struct JoinRequest: Sendable, Hashable {
    /// The verified token claims; `claims.room` is the room to join (the `join` message has no
    /// room field). The endpoint has checked the `join` grant; the backend checks the others
    /// (`create` to make the room, `publish`/`subscribe` on offers, `record`).
    public var claims: TokenClaims
    /// The display name: the message's `name`, else the token's `name`, else its identity.
    public var displayName: String

    /// Creates a join request.
    public init(claims: TokenClaims, displayName: String) {
        self.claims = claims
        self.displayName = displayName
    }
}
