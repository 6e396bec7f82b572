import Foundation
import JWTKit

/// Verifies Parley tokens (JWT) and returns their claims, or a ``SignalingError`` with code
/// `invalid_token` or `token_expired` saying what is wrong.
///
/// The checks, in order: size (at most ``Configuration/maxTokenBytes``, before any parsing), shape
/// (three base64url parts), header `alg` in the allow-list (the algorithms of the configured keys;
/// `none` never is), signature (jwt-kit), payload types, `exp` present and in the future, `nbf` (if
/// present) not in the future, `iss` equal to the configured issuer, `sub` and `room` present and
/// non-empty, `grants` an array of strings. Unknown claims are ignored. Build one at start-up and
/// share it: it is immutable and `Sendable`.
public struct TokenVerifier: Sendable {
    /// What the verifier accepts.
    public struct Configuration: Sendable {
        /// The keys, at most one per algorithm; their algorithms are the allow-list.
        public var keys: [TokenKey]
        /// The required `iss`. Default `"parley"`.
        public var issuer: String = "parley"
        /// Tokens larger than this are refused before parsing. Default 8 KiB.
        public var maxTokenBytes: Int = 8 * 1024
        /// Clock skew tolerated on `exp` and `nbf`, in seconds. Default 0.
        public var leewaySeconds: Double = 0

        /// A configuration accepting tokens signed with `keys`.
        public init(keys: [TokenKey], issuer: String = "parley") {
            self.keys = keys
            self.issuer = issuer
        }
    }

    private let configuration: Configuration
    private let collections: [String: JWTKeyCollection]

    /// Prepares a verifier. When two keys share an algorithm, the last one wins.
    public init(configuration: Configuration) async {
        self.configuration = configuration
        var collections: [String: JWTKeyCollection] = [:]
        for key in configuration.keys {
            collections[key.algorithm.rawValue] = await key.makeCollection()
        }
        self.collections = collections
    }

    /// The algorithms this verifier accepts, sorted.
    public var acceptedAlgorithms: [String] {
        self.collections.keys.sorted()
    }

    /// Verifies `token` at time `now` (seconds since 1970; nil for the system clock) and returns
    /// its claims.
    public func verify(_ token: String, now: Double? = nil) async throws(SignalingError) -> TokenClaims {
        let now = now ?? Date().timeIntervalSince1970
        let bytes = Array(token.utf8)
        guard bytes.count <= self.configuration.maxTokenBytes else {
            throw Self.invalid(
                "The token has \(bytes.count) bytes; tokens larger than \(self.configuration.maxTokenBytes) bytes are refused."
            )
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy(Self.isBase64URL) else {
            throw Self.invalid("The token is not a JWT: it needs three base64url parts separated by dots.")
        }
        guard let headerBytes = Self.base64URLDecode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerBytes)
        else {
            throw Self.invalid("The token's header is not base64url-encoded JSON.")
        }
        guard let alg = header.alg, let collection = self.collections[alg] else {
            let shown = String((header.alg ?? "(missing)").prefix(20))
            throw Self.invalid(
                "The token's algorithm \"\(shown)\" is not accepted; this server accepts \(self.acceptedAlgorithms.joined(separator: ", "))."
            )
        }
        let payload: TokenPayload
        do {
            payload = try await collection.verify(token, as: TokenPayload.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw Self.invalid("The token's signature does not verify: it was signed with another key or altered.")
        } catch {
            throw Self.invalid("The token's payload is not valid JSON with the expected claim types.")
        }
        return try self.check(payload, now: now)
    }

    /// Verifies `token` and checks that it is for `room`: a valid token for another room gets
    /// `forbidden`.
    public func verify(
        _ token: String,
        forRoom room: String,
        now: Double? = nil
    ) async throws(SignalingError)
        -> TokenClaims
    {
        let claims = try await self.verify(token, now: now)
        guard claims.room == room else {
            throw SignalingError(.forbidden, "This token is for another room; ask for a token for room \"\(room)\".")
        }
        return claims
    }

    private func check(_ payload: TokenPayload, now: Double) throws(SignalingError) -> TokenClaims {
        let leeway = self.configuration.leewaySeconds
        guard let exp = payload.exp, exp.isFinite else {
            throw Self.invalid("The token has no \"exp\" claim; Parley tokens must expire.")
        }
        guard exp > now - leeway else {
            throw SignalingError(.tokenExpired, "The token expired; ask for a new one.")
        }
        if let nbf = payload.nbf {
            guard nbf.isFinite, nbf <= now + leeway else {
                throw SignalingError(
                    .tokenExpired,
                    "The token is not valid yet (\"nbf\" is in the future); check the clocks."
                )
            }
        }
        guard payload.iss == self.configuration.issuer else {
            throw Self.invalid("The token's issuer is not \"\(self.configuration.issuer)\".")
        }
        guard let identity = payload.sub, !identity.isEmpty else {
            throw Self.invalid("The token has no \"sub\" (identity) claim.")
        }
        guard let room = payload.room, !room.isEmpty else {
            throw Self.invalid("The token has no \"room\" claim.")
        }
        return TokenClaims(
            identity: identity,
            room: room,
            name: payload.name,
            grants: Set((payload.grants ?? []).map { Grant($0) }),
            issuer: self.configuration.issuer,
            expiresAt: exp
        )
    }

    private struct Header: Decodable {
        var alg: String?
    }

    private static func invalid(_ message: String) -> SignalingError {
        SignalingError(.invalidToken, message)
    }

    private static func isBase64URL(_ part: ArraySlice<UInt8>) -> Bool {
        part.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }

    static func base64URLDecode(_ part: ArraySlice<UInt8>) -> Data? {
        var text = String(decoding: part, as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text.append("=") }
        return Data(base64Encoded: text)
    }
}
