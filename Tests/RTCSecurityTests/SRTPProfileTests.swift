import RTCSecurity
import Testing

@Suite("SRTP profiles and keying material")
struct SRTPProfileTests {
    struct Expected: Sendable, CustomStringConvertible {
        let profile: SRTPProfile
        let name: String
        let id: UInt16
        let openSSL: String
        let key: Int
        let salt: Int
        let rtpTag: Int
        let rtcpTag: Int
        var description: String { self.name }
    }

    static let table: [Expected] = [
        Expected(
            profile: .aeadAES128GCM,
            name: "AEAD_AES_128_GCM",
            id: 0x0007,
            openSSL: "SRTP_AEAD_AES_128_GCM",
            key: 16,
            salt: 12,
            rtpTag: 16,
            rtcpTag: 16
        ),
        Expected(
            profile: .aeadAES256GCM,
            name: "AEAD_AES_256_GCM",
            id: 0x0008,
            openSSL: "SRTP_AEAD_AES_256_GCM",
            key: 32,
            salt: 12,
            rtpTag: 16,
            rtcpTag: 16
        ),
        Expected(
            profile: .aesCM128HMACSHA1_80,
            name: "AES_CM_128_HMAC_SHA1_80",
            id: 0x0001,
            openSSL: "SRTP_AES128_CM_SHA1_80",
            key: 16,
            salt: 14,
            rtpTag: 10,
            rtcpTag: 10
        ),
        Expected(
            profile: .aesCM128HMACSHA1_32,
            name: "AES_CM_128_HMAC_SHA1_32",
            id: 0x0002,
            openSSL: "SRTP_AES128_CM_SHA1_32",
            key: 16,
            salt: 14,
            rtpTag: 4,
            rtcpTag: 10
        ),
    ]

    @Test("Lengths, DTLS-SRTP ids and OpenSSL names follow RFC 5764 and RFC 7714", arguments: Self.table)
    func properties(_ expected: Expected) {
        let profile = expected.profile
        #expect(profile.name == expected.name)
        #expect("\(profile)" == expected.name)
        #expect(profile.dtlsProtectionProfileID == expected.id)
        #expect(profile.openSSLName == expected.openSSL)
        #expect(profile.masterKeyLength == expected.key)
        #expect(profile.masterSaltLength == expected.salt)
        #expect(profile.rtpAuthTagLength == expected.rtpTag)
        #expect(profile.rtcpAuthTagLength == expected.rtcpTag)
        #expect(profile.rtpTrailerLength == expected.rtpTag)
        #expect(profile.rtcpTrailerLength == expected.rtcpTag + 4)
        #expect(profile.dtlsExportLength == 2 * (expected.key + expected.salt))
        #expect(SRTPProfile(dtlsProtectionProfileID: expected.id) == profile)
        #expect(SRTPProfile(openSSLName: expected.openSSL) == profile)
        #expect(profile.rtpTrailerLength <= SRTPProfile.maximumRTPTrailerLength)
        #expect(profile.rtcpTrailerLength <= SRTPProfile.maximumRTCPTrailerLength)
    }

    @Test("Every profile is in the table, and the maxima are reached")
    func complete() {
        #expect(Set(Self.table.map(\.profile)) == Set(SRTPProfile.allCases))
        #expect(SRTPProfile.allCases.map(\.rtpTrailerLength).max() == SRTPProfile.maximumRTPTrailerLength)
        #expect(SRTPProfile.allCases.map(\.rtcpTrailerLength).max() == SRTPProfile.maximumRTCPTrailerLength)
    }

    @Test("The DTLS preference order offers every profile once, AEAD first")
    func preferenceOrder() {
        #expect(SRTPProfile.preferenceOrder.first == .aeadAES128GCM)
        #expect(
            SRTPProfile.preferenceOrder == [.aeadAES128GCM, .aeadAES256GCM, .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32]
        )
        #expect(Set(SRTPProfile.preferenceOrder).count == SRTPProfile.allCases.count)
    }

    @Test("Unsupported profile ids and names give nil")
    func unsupported() {
        for id: UInt16 in [0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0009, 0xFFFF] {
            #expect(SRTPProfile(dtlsProtectionProfileID: id) == nil)
        }
        #expect(SRTPProfile(openSSLName: "SRTP_NULL_SHA1_80") == nil)
        #expect(SRTPProfile(openSSLName: "srtp_aead_aes_128_gcm") == nil)
    }

    @Test("Keying material checks the profile's key and salt lengths", arguments: SRTPProfile.allCases)
    func keyingLengths(_ profile: SRTPProfile) throws {
        let key = [UInt8](repeating: 1, count: profile.masterKeyLength)
        let salt = [UInt8](repeating: 2, count: profile.masterSaltLength)
        let material = try SRTPKeyingMaterial(profile: profile, masterKey: key, masterSalt: salt)
        #expect(material.masterKey == key)
        #expect(material.masterSalt == salt)
        for (badKey, badSalt) in [
            (Array(key.dropLast()), salt), (key + [0], salt), (key, Array(salt.dropLast())), (key, salt + [0]),
            ([], []),
        ] {
            #expect(throws: SRTPError(.invalidKeyingMaterial, operation: "")) {
                try SRTPKeyingMaterial(profile: profile, masterKey: badKey, masterSalt: badSalt)
            }
        }
    }

    @Test("Keying material never prints its bytes")
    func redacted() throws {
        let material = try SRTPKeyingMaterial(
            profile: .aesCM128HMACSHA1_80,
            masterKey: [UInt8](repeating: 0xAB, count: 16),
            masterSalt: [UInt8](repeating: 0xCD, count: 14)
        )
        let text = "\(material)"
        #expect(text == "SRTPKeyingMaterial(AES_CM_128_HMAC_SHA1_80, key: 16 bytes, salt: 14 bytes)")
        #expect(!text.lowercased().contains("abab"))
        #expect(!text.lowercased().contains("cdcd"))
    }

    @Test(
        "The DTLS exporter output splits as client key, server key, client salt, server salt",
        arguments: SRTPProfile.allCases
    )
    func dtlsExportSplit(_ profile: SRTPProfile) throws {
        let k = profile.masterKeyLength
        let s = profile.masterSaltLength
        // Each field gets its own byte value, so any misplaced boundary shows.
        let exported =
            [UInt8](repeating: 0xC1, count: k) + [UInt8](repeating: 0x51, count: k)
            + [UInt8](repeating: 0xC2, count: s) + [UInt8](repeating: 0x52, count: s)
        let (client, server) = try SRTPKeyingMaterial.fromDTLSExport(exported, profile: profile)
        #expect(client.masterKey == [UInt8](repeating: 0xC1, count: k))
        #expect(server.masterKey == [UInt8](repeating: 0x51, count: k))
        #expect(client.masterSalt == [UInt8](repeating: 0xC2, count: s))
        #expect(server.masterSalt == [UInt8](repeating: 0x52, count: s))
        #expect(client.profile == profile && server.profile == profile)
        #expect(throws: SRTPError(.invalidKeyingMaterial, operation: "")) {
            try SRTPKeyingMaterial.fromDTLSExport(Array(exported.dropLast()), profile: profile)
        }
    }
}
