import RTCSecurity
import Testing

@Suite("DTLS identity and fingerprints")
struct DTLSIdentityTests {
    @Test("digests match the FIPS 180-2 known answers for \"abc\"")
    func knownAnswers() throws {
        let abc = Array("abc".utf8)
        let expected: [(DTLSFingerprint.Algorithm, String)] = [
            (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                .sha384,
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
            ),
            (
                .sha512,
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                    + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            ),
        ]
        for (algorithm, hex) in expected {
            let fingerprint = try DTLSFingerprint(certificateDER: abc.span, algorithm: algorithm)
            #expect(fingerprint.algorithm == algorithm)
            #expect(try fingerprint.bytes == SecurityVectors.bytes(hex))
            #expect(fingerprint.bytes.count == algorithm.digestLength)
        }
        let sha256 = try DTLSFingerprint(certificateDER: abc.span)
        #expect(
            sha256.sdpValue
                == "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"
        )
    }

    @Test("a generated certificate has a sha-256 fingerprint in SDP form: 32 bytes, 95 characters")
    func generatedFingerprint() throws {
        let identity = try DTLSIdentity.generate()
        let fingerprint = identity.fingerprint
        #expect(fingerprint.algorithm == .sha256)
        #expect(fingerprint.bytes.count == 32)
        let value = fingerprint.sdpValue
        #expect(value.hasPrefix("sha-256 "))
        let hex = Array(value.utf8.dropFirst(8))
        #expect(hex.count == 95)
        for (index, character) in hex.enumerated() {
            if index % 3 == 2 {
                #expect(character == UInt8(ascii: ":"))
            } else {
                let isUpperHex =
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(character)
                #expect(isUpperHex)
            }
        }
        // The fingerprint is the hash of the DER certificate, whichever algorithm.
        #expect(try DTLSFingerprint(certificateDER: identity.certificateDER) == fingerprint)
        #expect(try identity.fingerprint(.sha384).bytes.count == 48)
        #expect(try identity.fingerprint(.sha512).bytes.count == 64)
        #expect(
            try identity.fingerprint(.sha512)
                == DTLSFingerprint(certificateDER: identity.certificateDER, algorithm: .sha512)
        )
        // Two generations differ (fresh key, random serial).
        #expect(try DTLSIdentity.generate().fingerprint != fingerprint)
    }

    @Test("PEM export and load round-trip the certificate and key")
    func pemRoundTrip() throws {
        let identity = try DTLSIdentity.generate(commonName: "parley")
        let certificatePEM = identity.certificatePEM
        let keyPEM = identity.privateKeyPEM
        #expect(certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try DTLSIdentity(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
        #expect(loaded.certificateDER == identity.certificateDER)
        #expect(loaded.fingerprint == identity.fingerprint)
        #expect(loaded.certificatePEM == certificatePEM)

        // The loaded identity works in a handshake with the original fingerprint.
        let serverContext = try DTLSContext(identity: loaded)
        let clientContext = try DTLSContext(identity: DTLSTestIdentities.client)
        let pair = try DTLSInMemoryPair(
            clientContext: clientContext,
            serverContext: serverContext,
            clientExpects: [identity.fingerprint]
        )
        pair.run()
        #expect(pair.clientKeys != nil)
        #expect(pair.serverKeys != nil)
    }

    @Test("a key that does not belong to the certificate, or unreadable PEM, is refused")
    func pemRefused() throws {
        let identity = try DTLSIdentity.generate()
        let other = try DTLSIdentity.generate()
        #expect(throws: DTLSError(.invalidCertificate, "")) {
            try DTLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
        #expect(throws: DTLSError(.invalidCertificate, "")) {
            try DTLSIdentity(certificatePEM: "not a certificate", privateKeyPEM: identity.privateKeyPEM)
        }
        #expect(throws: DTLSError(.invalidCertificate, "")) {
            try DTLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: "")
        }
        // A truncated certificate.
        let truncated = String(identity.certificatePEM.prefix(200))
        let error = #expect(throws: DTLSError.self) {
            try DTLSIdentity(certificatePEM: truncated, privateKeyPEM: identity.privateKeyPEM)
        }
        #expect(error?.code == .invalidCertificate)
        #expect(error?.openSSLErrors.isEmpty == false)
    }

    @Test("generation refuses an empty or overlong common name and silly validity")
    func generationLimits() {
        #expect(throws: DTLSError(.invalidConfiguration, "")) { try DTLSIdentity.generate(commonName: "") }
        #expect(throws: DTLSError(.invalidConfiguration, "")) {
            try DTLSIdentity.generate(commonName: String(repeating: "x", count: 65))
        }
        #expect(throws: DTLSError(.invalidConfiguration, "")) { try DTLSIdentity.generate(validityDays: 0) }
    }

    @Test("SDP fingerprint values parse into algorithm and bytes, and print back")
    func parse() throws {
        let identity = DTLSTestIdentities.server
        for algorithm in DTLSFingerprint.Algorithm.allCases {
            let fingerprint = try identity.fingerprint(algorithm)
            let parsed = try DTLSFingerprint(sdpValue: fingerprint.sdpValue)
            #expect(parsed == fingerprint)
            #expect(parsed.sdpValue == fingerprint.sdpValue)
        }
        let value = identity.fingerprint.sdpValue
        // Hash names and hex digits in either case, surrounding blanks, several separating blanks.
        #expect(try DTLSFingerprint(sdpValue: value.lowercased()) == identity.fingerprint)
        #expect(try DTLSFingerprint(sdpValue: "SHA-256" + value.dropFirst(7)) == identity.fingerprint)
        #expect(try DTLSFingerprint(sdpValue: "  sha-256 \t " + value.dropFirst(8) + " ") == identity.fingerprint)
        let direct = try DTLSFingerprint(algorithm: .sha256, bytes: identity.fingerprint.bytes)
        #expect(direct == identity.fingerprint)
    }

    @Test(
        "malformed SDP fingerprint values are refused",
        arguments: [
            "",
            "sha-256",
            "sha-256 ",
            "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01",
            "md5 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
            "sha-256 AB:CD",
            "sha-256 AB-CD",
            "sha-256 ABCD",
            "sha-256 A:BC",
            "sha-256 :AB",
            "sha-256 GG:00",
            "sha256 AB:CD",
        ]
    )
    func parseRefused(value: String) {
        #expect(throws: DTLSError(.invalidFingerprint, "")) { try DTLSFingerprint(sdpValue: value) }
    }

    @Test("fingerprint values with the wrong length, stray colons or excess size are refused")
    func parseLengths() throws {
        let value = DTLSTestIdentities.server.fingerprint.sdpValue
        #expect(throws: DTLSError(.invalidFingerprint, "")) { try DTLSFingerprint(sdpValue: value + ":") }
        #expect(throws: DTLSError(.invalidFingerprint, "")) { try DTLSFingerprint(sdpValue: value + ":AB") }
        #expect(throws: DTLSError(.invalidFingerprint, "")) { try DTLSFingerprint(sdpValue: String(value.dropLast(3))) }
        #expect(throws: DTLSError(.invalidFingerprint, "")) { try DTLSFingerprint(sdpValue: value + "::AB") }
        #expect(throws: DTLSError(.invalidFingerprint, "")) {
            try DTLSFingerprint(sdpValue: "sha-512 " + String(repeating: "AB:", count: 100) + "AB")
        }
        // The sha-256 digest given as sha-384 is refused by length.
        #expect(throws: DTLSError(.invalidFingerprint, "")) {
            try DTLSFingerprint(sdpValue: "sha-384" + value.dropFirst(7))
        }
        #expect(throws: DTLSError(.invalidFingerprint, "")) {
            try DTLSFingerprint(algorithm: .sha512, bytes: [UInt8](repeating: 0, count: 32))
        }
    }
}
