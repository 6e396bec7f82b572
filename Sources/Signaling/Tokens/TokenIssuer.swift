import Foundation
import JWTKit

/// Mints Parley tokens: for `parley token`, the development endpoint and tests.
///
/// The header names the key's algorithm; the payload has `iss`, `sub`, `room`, `grants`, `iat`,
/// `exp` and, when given, `name`.
public struct TokenIssuer: Sendable {
    private let collection: JWTKeyCollection
    private let issuer: String

    /// An issuer signing with `key` (an HS256 secret or a private key) as `issuer`.
    /// A public key cannot sign: that is a `bad_request` error.
    public init(key: TokenKey, issuer: String = "parley") async throws(SignalingError) {
        guard key.canSign else {
            throw SignalingError(
                .badRequest,
                "A public key cannot sign tokens; give the issuer a secret or a private key."
            )
        }
        self.collection = await key.makeCollection()
        self.issuer = issuer
    }

    /// A signed token for `identity` in `room`, valid from `now` (seconds since 1970; nil for the
    /// system clock) for `ttl`.
    public func issue(
        identity: String,
        room: String,
        name: String? = nil,
        grants: [Grant] = [.join, .publish, .subscribe],
        ttl: Duration = .seconds(3600),
        now: Double? = nil
    ) async throws(SignalingError) -> String {
        let now = now ?? Date().timeIntervalSince1970
        let seconds = Double(ttl.components.seconds) + Double(ttl.components.attoseconds) * 1e-18
        let payload = TokenPayload(
            iss: self.issuer,
            sub: identity,
            room: room,
            name: name,
            grants: grants.map(\.rawValue),
            exp: (now + seconds).rounded(.down),
            nbf: nil,
            iat: now.rounded(.down)
        )
        do {
            return try await self.collection.sign(payload)
        } catch {
            throw SignalingError(.internal, "The token could not be signed: \(error).")
        }
    }
}
