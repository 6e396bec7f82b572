import Crypto
public import Foundation

/// Mints the HS256 JSON Web Tokens the Parley signaling protocol admits participants with:
/// claims `iss`, `sub` (identity), `room`, `name`, `grants`, `iat`, `exp` (protocol v1,
/// "Tokens"). Signed with HMAC-SHA256 (swift-crypto) over the shared secret given to `parley-load --secret`.
public struct TokenMinter: Sendable {
    /// The claims of one token.
    public struct Claims: Codable, Sendable, Hashable {
        /// The issuer (the server's configured one, `parley` by default).
        public var iss: String
        /// The identity.
        public var sub: String
        /// The room the token admits to.
        public var room: String
        /// The display name, if any.
        public var name: String?
        /// Grants among `join`, `publish`, `subscribe`, `record`, `admin`, `create`.
        public var grants: [String]
        /// Issued at (seconds since 1970).
        public var iat: Int
        /// Expiry (seconds since 1970).
        public var exp: Int

        /// Claims as given.
        public init(iss: String, sub: String, room: String, name: String?, grants: [String], iat: Int, exp: Int) {
            self.iss = iss
            self.sub = sub
            self.room = room
            self.name = name
            self.grants = grants
            self.iat = iat
            self.exp = exp
        }
    }

    /// The grants a load participant asks for: it joins, publishes and subscribes, and may
    /// create its room (the first join creates it with default settings).
    public static let defaultGrants = ["join", "publish", "subscribe", "create"]

    private let secret: [UInt8]
    /// The `iss` claim.
    public let issuer: String
    /// Token lifetime in seconds.
    public let lifetime: Int

    /// A minter for `secret` (the server's HS256 secret, as UTF-8 bytes).
    ///
    /// - Throws: ``LoadGeneratorError`` with code `token` for an empty secret.
    public init(secret: [UInt8], issuer: String = "parley", lifetime: Int = 3600) throws(LoadGeneratorError) {
        guard !secret.isEmpty else {
            throw LoadGeneratorError(.token, "the token secret is empty: pass the server's secret with --secret")
        }
        self.secret = secret
        self.issuer = issuer
        self.lifetime = max(lifetime, 1)
    }

    /// A signed token for `identity` in `room`, issued at `now`.
    public func mint(
        identity: String,
        room: String,
        name: String? = nil,
        grants: [String] = TokenMinter.defaultGrants,
        now: Date = Date()
    ) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let claims = Claims(
            iss: self.issuer,
            sub: identity,
            room: room,
            name: name,
            grants: grants,
            iat: issued,
            exp: issued + self.lifetime
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        let payload = (try? encoder.encode(claims)) ?? Data()
        let header = Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)
        let signingInput = Self.base64URL(header) + "." + Self.base64URL(payload)
        let signature = Self.hmacSHA256(key: self.secret, data: Array(signingInput.utf8))
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// Checks a token's HS256 signature with this minter's secret and returns its claims (for
    /// tests and `--token-file` sanity checks).
    ///
    /// - Throws: ``LoadGeneratorError`` with code `token` for a malformed token, another
    ///   algorithm or a wrong signature.
    public func verify(_ token: String) throws(LoadGeneratorError) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.decodeBase64URL(parts[0]),
            let payload = Self.decodeBase64URL(parts[1]),
            let signature = Self.decodeBase64URL(parts[2])
        else {
            throw LoadGeneratorError(.token, "not a JWT (three base64url parts)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            object["alg"] as? String == "HS256"
        else {
            throw LoadGeneratorError(.token, "the token's alg is not HS256")
        }
        let expected = Self.hmacSHA256(key: self.secret, data: Array("\(parts[0]).\(parts[1])".utf8))
        // Compare in constant time (a tool, but the habit costs nothing).
        guard expected.count == signature.count, zip(expected, signature).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw LoadGeneratorError(.token, "the token's signature does not match the secret")
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else {
            throw LoadGeneratorError(.token, "the token's claims are not the protocol's")
        }
        return claims
    }

    /// HMAC-SHA256 of `data` under `key`: the JWT signature.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// Base64url without padding (RFC 7515 section 2).
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url with or without padding, or returns nil.
    public static func decodeBase64URL(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 {
            base64 += "="
        }
        return Data(base64Encoded: base64)
    }
}
