import Foundation
import JWTKit
import Signaling
import Testing

/// Every token row of SECURITY.md, against ``TokenVerifier`` directly.
@Suite("TokenVerifier")
struct TokenVerifierTests {
    let now: Double = 1_800_000_000

    func verifier() async throws -> TokenVerifier {
        try await Fixtures.verifier()
    }

    func b64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A payload with `overrides` applied (nil removes a claim), signed HS256 with the test secret
    /// through jwt-kit's own HMAC, so the signature is right and only the claims are under test.
    func signed(
        _ claims: [String: Any?],
        alg: String = "HS256",
        secret: [UInt8] = Fixtures.secret
    ) async throws -> String {
        var payload: [String: Any] = [
            "iss": "parley", "sub": "alice", "room": "r", "grants": ["join", "publish"], "exp": now + 600,
        ]
        for (key, value) in claims {
            if let value { payload[key] = value } else { payload.removeValue(forKey: key) }
        }
        let header = b64(#"{"alg":"\#(alg)","typ":"JWT"}"#)
        let body = b64(
            String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
        )
        let input = Array("\(header).\(body)".utf8)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        // Sign the exact bytes: jwt-kit's algorithm signs arbitrary input.
        let signature = try await keys.getKey().sign(input)
        return
            "\(header).\(body).\(Data(signature).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))"
    }

    func expectCode(
        _ code: SignalingError.Code,
        _ token: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let verifier = try await self.verifier()
        do throws(SignalingError) {
            let claims = try await verifier.verify(token, now: self.now)
            Issue.record("accepted: \(claims)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func validTokenFromIssuerVerifies() async throws {
        let token = try await Fixtures.issuer().issue(
            identity: "alice",
            room: "r",
            name: "Alice",
            grants: [.join, .record],
            ttl: .seconds(60),
            now: self.now
        )
        let claims = try await self.verifier().verify(token, now: self.now + 1)
        #expect(claims.identity == "alice")
        #expect(claims.room == "r")
        #expect(claims.name == "Alice")
        #expect(claims.grants == [.join, .record])
        #expect(claims.expiresAt == self.now + 60)
    }

    @Test func handSignedTokenVerifies() async throws {
        // Checks the helper itself, so the rejections below are about the claims.
        let claims = try await self.verifier().verify(try await self.signed([:]), now: self.now)
        #expect(claims.grants == [.join, .publish])
    }

    @Test func validTokenWithUnknownExtraClaimsIsAccepted() async throws {
        let token = try await self.signed(["favourite": ["colour": "blue"], "x-custom": 7, "aud": "somewhere"])
        let claims = try await self.verifier().verify(token, now: self.now)
        #expect(claims.identity == "alice")
    }

    @Test func algNoneIsRejected() async throws {
        let header = b64(#"{"alg":"none","typ":"JWT"}"#)
        let body = b64(#"{"iss":"parley","sub":"alice","room":"r","grants":["join"],"exp":\#(Int(now) + 600)}"#)
        try await self.expectCode(.invalidToken, "\(header).\(body).")
        try await self.expectCode(.invalidToken, "\(header).\(body).c2ln")
    }

    @Test func otherAlgorithmIsRejectedEvenWithTheRightSecret() async throws {
        // HS512 and HS384 with the same secret: a verifier that ignored `alg` would accept them.
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Fixtures.secret), digestAlgorithm: .sha512)
        struct Payload: JWTPayload {
            var iss = "parley", sub = "alice", room = "r", grants = ["join"], exp: Double
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let hs512 = try await keys.sign(Payload(exp: self.now + 600))
        var header = String(try #require(hs512.split(separator: ".").first))
        while header.count % 4 != 0 { header += "=" }
        let headerJSON = String(decoding: try #require(Data(base64Encoded: header)), as: UTF8.self)
        #expect(headerJSON.contains("HS512"))
        try await self.expectCode(.invalidToken, hs512)
        // The header says HS256's neighbour but the signature is HS256's: still refused on alg.
        try await self.expectCode(.invalidToken, try await self.signed([:], alg: "HS384"))
        try await self.expectCode(.invalidToken, try await self.signed([:], alg: "RS256"))
        try await self.expectCode(.invalidToken, try await self.signed([:], alg: "ES256"))
    }

    @Test func otherSecretIsRejected() async throws {
        try await self.expectCode(.invalidToken, try await self.signed([:], secret: Fixtures.otherSecret))
    }

    @Test func alteredPayloadIsRejected() async throws {
        let token = try await self.signed([:])
        let parts = token.split(separator: ".").map(String.init)
        let altered = b64(
            #"{"iss":"parley","sub":"mallory","room":"r","grants":["join","admin"],"exp":\#(Int(now) + 600)}"#
        )
        try await self.expectCode(.invalidToken, "\(parts[0]).\(altered).\(parts[2])")
        // One flipped character in the signature.
        var signature = Array(parts[2])
        signature[3] = signature[3] == "A" ? "B" : "A"
        try await self.expectCode(.invalidToken, "\(parts[0]).\(parts[1]).\(String(signature))")
    }

    @Test func missingExpIsRejected() async throws {
        try await self.expectCode(.invalidToken, try await self.signed(["exp": nil]))
    }

    @Test func pastExpIsExpired() async throws {
        try await self.expectCode(.tokenExpired, try await self.signed(["exp": now - 1]))
        try await self.expectCode(.tokenExpired, try await self.signed(["exp": now]))
    }

    @Test func futureNbfIsNotYetValid() async throws {
        try await self.expectCode(.tokenExpired, try await self.signed(["nbf": now + 120]))
        let claims = try await self.verifier().verify(try await self.signed(["nbf": now - 1]), now: self.now)
        #expect(claims.identity == "alice")
    }

    @Test func wrongIssuerIsRejected() async throws {
        try await self.expectCode(.invalidToken, try await self.signed(["iss": "someone-else"]))
        try await self.expectCode(.invalidToken, try await self.signed(["iss": nil]))
    }

    @Test func missingSubjectOrRoomIsRejected() async throws {
        try await self.expectCode(.invalidToken, try await self.signed(["sub": nil]))
        try await self.expectCode(.invalidToken, try await self.signed(["room": nil]))
        try await self.expectCode(.invalidToken, try await self.signed(["room": ""]))
    }

    @Test func grantsMustBeStrings() async throws {
        try await self.expectCode(.invalidToken, try await self.signed(["grants": [1, 2]]))
        try await self.expectCode(.invalidToken, try await self.signed(["grants": "join"]))
    }

    @Test func tokenForRoomAUsedForRoomBIsForbidden() async throws {
        let token = try await self.signed(["room": "A"])
        let verifier = try await self.verifier()
        #expect(try await verifier.verify(token, forRoom: "A", now: self.now).room == "A")
        do throws(SignalingError) {
            _ = try await verifier.verify(token, forRoom: "B", now: self.now)
            Issue.record("a token for room A was accepted for room B")
        } catch {
            #expect(error.code == .forbidden)
        }
    }

    @Test func malformedBase64AndJSONAreRejected() async throws {
        for token in [
            "", "abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30", "e30.e30.e30.e30",
            "\(b64("not json")).\(b64("{}")).c2ln",
            "\(b64(#"{"alg":"HS256"}"#)).\(b64("not json")).c2ln",
            "\(b64(#"{"alg":"HS256"}"#)).%%%.c2ln",
            "\(b64("[1,2]")).\(b64("{}")).c2ln",
        ] {
            try await self.expectCode(.invalidToken, token)
        }
    }

    @Test func payloadThatIsNotJSONButSignedIsRejected() async throws {
        let header = b64(#"{"alg":"HS256","typ":"JWT"}"#)
        let body = b64("this is not json")
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Fixtures.secret), digestAlgorithm: .sha256)
        let signature = try await keys.getKey().sign(Array("\(header).\(body)".utf8))
        let sig = Data(signature).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await self.expectCode(.invalidToken, "\(header).\(body).\(sig)")
    }

    @Test func hundredKilobyteTokenIsRejectedBeforeParsing() async throws {
        let huge = try await self.signed(["padding": String(repeating: "x", count: 100_000)])
        #expect(huge.utf8.count > 100_000)
        try await self.expectCode(.invalidToken, huge)
        try await self.expectCode(.invalidToken, String(repeating: "A", count: 100 * 1024))
    }

    @Test func es256AndEdDSAByConfiguration() async throws {
        let ecPrivate = ES256PrivateKey()
        let edPrivate = try EdDSA.PrivateKey()
        let es = try TokenKey.es256(privateKeyPEM: ecPrivate.pemRepresentation)
        let ed = try TokenKey.eddsa(privateKeyPEM: edPrivate.pemRepresentation)
        let esToken = try await TokenIssuer(key: es).issue(identity: "a", room: "r", now: self.now)
        let edToken = try await TokenIssuer(key: ed).issue(identity: "b", room: "r", now: self.now)

        let both = await TokenVerifier(
            configuration: .init(keys: [
                try TokenKey.es256(publicKeyPEM: ecPrivate.publicKey.pemRepresentation),
                try TokenKey.eddsa(publicKeyPEM: edPrivate.publicKey.pemRepresentation),
            ])
        )
        #expect(both.acceptedAlgorithms == ["ES256", "EdDSA"])
        #expect(try await both.verify(esToken, now: self.now).identity == "a")
        #expect(try await both.verify(edToken, now: self.now).identity == "b")

        // The default HS256-only verifier refuses both: they are outside its allow-list.
        try await self.expectCode(.invalidToken, esToken)
        try await self.expectCode(.invalidToken, edToken)
        // An ES256-only verifier refuses HS256 tokens.
        let esOnly = await TokenVerifier(
            configuration: .init(keys: [try TokenKey.es256(publicKeyPEM: ecPrivate.publicKey.pemRepresentation)])
        )
        let hs256Token = try await self.signed([:])
        do throws(SignalingError) {
            _ = try await esOnly.verify(hs256Token, now: self.now)
            Issue.record("HS256 accepted by an ES256-only verifier")
        } catch {
            #expect(error.code == .invalidToken)
        }
    }

    @Test func keysAreChecked() async throws {
        #expect(throws: SignalingError.self) { try TokenKey.hs256(secret: [1, 2, 3]) }
        #expect(throws: SignalingError.self) { try TokenKey.es256(publicKeyPEM: "not a pem") }
        let publicOnly = try TokenKey.eddsa(publicKeyPEM: try EdDSA.PrivateKey().publicKey.pemRepresentation)
        #expect(!publicOnly.canSign)
        await #expect(throws: SignalingError.self) { _ = try await TokenIssuer(key: publicOnly) }
        let (random, secret) = TokenKey.randomHS256()
        #expect(secret.count == 32)
        #expect(random.algorithm == .hs256)
    }
}
