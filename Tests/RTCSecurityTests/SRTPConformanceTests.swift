import RTCSecurity
import Testing

// libsrtp cannot be given the RFC vectors' session keys (it always derives them from a master key),
// so its output is compared with SRTPReference, which the "SRTP reference" suite checks against
// every RFC 3711 B.2/B.3 and RFC 7714 section 16-17 vector: same master key in, same bytes out.
@Suite("SRTP conformance (libsrtp against the RFC reference)")
struct SRTPConformanceTests {
    @Test("libsrtp's known answer is what RFC 3711 derives from the B.3 master key")
    func knownAnswerFromB3() throws {
        let (kat, _, _) = try SRTPSessionTests.katSessions()
        let keying = try SRTPKeyingMaterial(
            profile: .aesCM128HMACSHA1_80,
            masterKey: SecurityVectors.bytes(kat.master_key),
            masterSalt: SecurityVectors.bytes(kat.master_salt)
        )
        let rtp = SRTPReference.protectRTP(try SecurityVectors.bytes(kat.rtp.plaintext), keying: keying, roc: 0)
        #expect(SecurityVectors.hex(rtp) == kat.rtp.protected)
        let rtcp = SRTPReference.protectRTCP(try SecurityVectors.bytes(kat.rtcp.plaintext), keying: keying, index: 1)
        #expect(SecurityVectors.hex(rtcp) == kat.rtcp.protected)
    }

    @Test("libsrtp's SRTP packets match the reference byte for byte", arguments: SRTPProfile.allCases)
    func rtp(_ profile: SRTPProfile) throws {
        let keying = try SRTPFixtures.keying(profile, seed: 0x40)
        let sender = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let receiver = try SRTPSession(direction: .inbound, keyingMaterial: keying)
        // Across the rollover: ROC 0 then ROC 1.
        let sequences: [(UInt16, UInt32)] = [(65_534, 0), (65_535, 0), (0, 1), (1, 1)]
        for (sequence, roc) in sequences {
            for length in [13, 60, 200] {
                let rtp = SRTPFixtures.rtp(ssrc: 0x0BAD_CAFE &+ UInt32(length), sequence: sequence, length: length)
                let expected = SRTPReference.protectRTP(rtp, keying: keying, roc: roc)
                #expect(try sender.protectRTP(rtp) == expected, "seq \(sequence) length \(length)")
                #expect(try receiver.unprotectRTP(expected) == rtp)
            }
        }
    }

    @Test("libsrtp's SRTCP packets match the reference byte for byte", arguments: SRTPProfile.allCases)
    func rtcp(_ profile: SRTPProfile) throws {
        let keying = try SRTPFixtures.keying(profile, seed: 0x90)
        let sender = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let receiver = try SRTPSession(direction: .inbound, keyingMaterial: keying)
        for index in UInt32(1)...4 {
            let rtcp = SRTPFixtures.rtcp(ssrc: 0x4D61_7273, length: 40 + 4 * Int(index))
            let expected = SRTPReference.protectRTCP(rtcp, keying: keying, index: index)
            #expect(try sender.protectRTCP(rtcp) == expected, "index \(index)")
            #expect(try receiver.unprotectRTCP(expected) == rtcp)
        }
    }
}
