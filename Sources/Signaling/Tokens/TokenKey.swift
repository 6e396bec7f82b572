import Foundation
import JWTKit

/// A key that verifies tokens (``TokenVerifier``) or signs them (``TokenIssuer``).
///
/// HS256 keys are shared secrets and do both. ES256 and EdDSA keys are made from PEM text: a public
/// key verifies, a private key signs (and also verifies, through its public half).
public struct TokenKey: Sendable {
    enum Material: Sendable {
        case hmac(HMACKey)
        case es256Public(ES256PublicKey)
        case es256Private(ES256PrivateKey)
        case eddsaPublic(EdDSA.PublicKey)
        case eddsaPrivate(EdDSA.PrivateKey)
    }

    let material: Material

    /// The algorithm this key is used with.
    public var algorithm: TokenAlgorithm {
        switch self.material {
        case .hmac: .hs256
        case .es256Public, .es256Private: .es256
        case .eddsaPublic, .eddsaPrivate: .eddsa
        }
    }

    /// Whether the key can sign (HS256 secrets and private keys).
    public var canSign: Bool {
        switch self.material {
        case .hmac, .es256Private, .eddsaPrivate: true
        case .es256Public, .eddsaPublic: false
        }
    }

    private init(_ material: Material) {
        self.material = material
    }

    /// An HS256 shared secret. Use at least 32 random bytes; shorter secrets are refused.
    public static func hs256(secret: [UInt8]) throws(SignalingError) -> TokenKey {
        guard secret.count >= 32 else {
            throw SignalingError(
                .badRequest,
                "An HS256 secret must have at least 32 bytes; this one has \(secret.count)."
            )
        }
        return TokenKey(.hmac(HMACKey(from: secret)))
    }

    /// A fresh random HS256 secret (32 bytes from the system's generator), for development mode.
    public static func randomHS256() -> (key: TokenKey, secret: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return (TokenKey(.hmac(HMACKey(from: secret))), secret)
    }

    /// An ES256 (P-256) public key in PEM, to verify tokens.
    public static func es256(publicKeyPEM pem: String) throws(SignalingError) -> TokenKey {
        do {
            return TokenKey(.es256Public(try ES256PublicKey(pem: pem)))
        } catch {
            throw SignalingError(.badRequest, "The ES256 public key is not a P-256 public key in PEM.")
        }
    }

    /// An ES256 (P-256) private key in PEM, to sign tokens.
    public static func es256(privateKeyPEM pem: String) throws(SignalingError) -> TokenKey {
        do {
            return TokenKey(.es256Private(try ES256PrivateKey(pem: pem)))
        } catch {
            throw SignalingError(.badRequest, "The ES256 private key is not a P-256 private key in PEM.")
        }
    }

    /// An Ed25519 public key in PEM, to verify EdDSA tokens.
    public static func eddsa(publicKeyPEM pem: String) throws(SignalingError) -> TokenKey {
        do {
            return TokenKey(.eddsaPublic(try EdDSA.PublicKey(pem: pem)))
        } catch {
            throw SignalingError(.badRequest, "The EdDSA public key is not an Ed25519 public key in PEM.")
        }
    }

    /// An Ed25519 private key in PEM, to sign EdDSA tokens.
    public static func eddsa(privateKeyPEM pem: String) throws(SignalingError) -> TokenKey {
        do {
            return TokenKey(.eddsaPrivate(try EdDSA.PrivateKey(pem: pem)))
        } catch {
            throw SignalingError(.badRequest, "The EdDSA private key is not an Ed25519 private key in PEM.")
        }
    }

    /// A collection holding this key alone, for jwt-kit.
    func makeCollection() async -> JWTKeyCollection {
        let collection = JWTKeyCollection()
        switch self.material {
        case .hmac(let key): await collection.add(hmac: key, digestAlgorithm: .sha256)
        case .es256Public(let key): await collection.add(ecdsa: key)
        case .es256Private(let key): await collection.add(ecdsa: key)
        case .eddsaPublic(let key): await collection.add(eddsa: key)
        case .eddsaPrivate(let key): await collection.add(eddsa: key)
        }
        return collection
    }
}
