/// A JWT signing algorithm Parley accepts: HS256 (the default), ES256 or EdDSA (Ed25519).
///
/// The verifier's allow-list is exactly the algorithms of its configured keys: a token whose
/// header names any other algorithm (`none`, HS512, RS256, ...) is refused before its signature
/// is looked at.
public struct TokenAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The JWS `alg` header value.
    public let rawValue: String

    private init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// HMAC with SHA-256 and a shared secret.
    public static let hs256 = TokenAlgorithm("HS256")
    /// ECDSA with P-256 and SHA-256.
    public static let es256 = TokenAlgorithm("ES256")
    /// EdDSA with Ed25519.
    public static let eddsa = TokenAlgorithm("EdDSA")

    /// The `alg` string.
    public var description: String { self.rawValue }
}
