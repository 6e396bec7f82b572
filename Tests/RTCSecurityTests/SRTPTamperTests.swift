import RTCSecurity
import Testing

@Suite("SRTP tag forgery")
struct SRTPTamperTests {
    /// Flips each bit of `protected` in turn and unprotects the result with `unprotect`; returns
    /// the bit positions (byte, mask) whose flip did not fail with `expected`, and checks that no
    /// failed attempt left `plaintextPayload` in the buffer.
    static func flipEveryBit(
        of protected: [UInt8],
        payload: Range<Int>,
        plaintextPayload: [UInt8],
        unprotect: (inout MutableSpan<UInt8>, Int) throws(SRTPError) -> Int
    ) -> [(byte: Int, mask: UInt8, code: SRTPError.Code?)] {
        var unexpected: [(byte: Int, mask: UInt8, code: SRTPError.Code?)] = []
        for byte in 0..<protected.count {
            for bit in 0..<8 {
                let mask = UInt8(1) << bit
                var buffer = protected
                buffer[byte] ^= mask
                var span = buffer.mutableSpan
                var code: SRTPError.Code?
                do {
                    _ = try unprotect(&span, protected.count)
                    code = nil
                } catch {
                    code = error.code
                }
                if code != .authFail {
                    unexpected.append((byte, mask, code))
                }
                // Whatever the failure, the buffer never holds the plaintext.
                #expect(Array(buffer[payload]) != plaintextPayload, "byte \(byte) mask \(mask)")
            }
        }
        return unexpected
    }

    @Test("Flipping any bit of a protected RTP packet fails authentication", arguments: SRTPProfile.allCases)
    func rtpBitFlips(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        // 12-byte header and 64 bytes of payload: every CSRC count (up to 15 words) still fits.
        let rtp = SRTPFixtures.rtp(sequence: 0x1234, length: 76)
        let protected = try sender.protectRTP(rtp)
        let unexpected = Self.flipEveryBit(of: protected, payload: 12..<76, plaintextPayload: Array(rtp[12...])) {
            (span: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int in
            try receiver.unprotectRTP(&span, length: length)
        }
        // The one exception: setting the X bit makes libsrtp read an extension header out of the
        // ciphertext, whose length does not fit the packet: rejected as malformed before the tag check.
        for flip in unexpected {
            #expect(
                flip.byte == 0 && flip.mask == 0x10,
                "byte \(flip.byte) mask \(flip.mask): \(String(describing: flip.code))"
            )
            #expect(flip.code == .badParam || flip.code == .parseErr)
        }
        #expect(unexpected.count <= 1)
        // None of the failures moved the window or created a stream: the genuine packet decrypts.
        #expect(try receiver.unprotectRTP(protected) == rtp)
        #expect(!receiver.hasPendingEvents)
    }

    @Test("Flipping any bit of an RTP packet with a header extension fails authentication")
    func rtpBitFlipsWithExtension() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aeadAES128GCM)
        var rtp = SRTPFixtures.rtp(sequence: 7, length: 96)
        // One-byte-header extension (0xBEDE), one word: audio level.
        rtp[0] = 0x90
        rtp.replaceSubrange(12..<20, with: [0xBE, 0xDE, 0x00, 0x01, 0x10, 0x7F, 0x00, 0x00])
        let protected = try sender.protectRTP(rtp)
        let unexpected = Self.flipEveryBit(of: protected, payload: 20..<96, plaintextPayload: Array(rtp[20...])) {
            (span: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int in
            try receiver.unprotectRTP(&span, length: length)
        }
        // Clearing X shortens the header: authentication fails. The header-structure fields can
        // also make it longer than the packet, which libsrtp rejects as malformed before the tag
        // check: a larger CSRC count (the extension header is then read from the ciphertext) or a
        // larger extension length.
        for flip in unexpected {
            let isStructure = (flip.byte == 0 && flip.mask & 0x0F != 0) || flip.byte == 14 || flip.byte == 15
            #expect(isStructure, "byte \(flip.byte) mask \(flip.mask)")
            #expect(flip.code == .badParam || flip.code == .parseErr)
        }
        #expect(try receiver.unprotectRTP(protected) == rtp)
    }

    @Test("Flipping any bit of a protected RTCP packet fails authentication", arguments: SRTPProfile.allCases)
    func rtcpBitFlips(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let rtcp = SRTPFixtures.rtcp(length: 48)
        let protected = try sender.protectRTCP(rtcp)
        let unexpected = Self.flipEveryBit(of: protected, payload: 8..<48, plaintextPayload: Array(rtcp[8...])) {
            (span: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int in
            try receiver.unprotectRTCP(&span, length: length)
        }
        // One exception for AES-CM: clearing the E flag makes the packet claim to be unencrypted,
        // which the session's policy forbids; libsrtp refuses it with cant_check before the tag.
        // (For AEAD the E flag is part of the authenticated data: authentication fails.)
        let eFlagOffset = profile.rtcpAuthTagLength == 16 ? protected.count - 4 : rtcp.count
        for flip in unexpected {
            #expect(flip.byte == eFlagOffset && flip.mask == 0x80, "byte \(flip.byte) mask \(flip.mask)")
            #expect(flip.code == .cantCheck)
        }
        #expect(unexpected.count == (profile.rtcpAuthTagLength == 16 ? 0 : 1))
        #expect(try receiver.unprotectRTCP(protected) == rtcp)
    }

    @Test("A truncated or extended packet fails authentication", arguments: SRTPProfile.allCases)
    func lengthChanges(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let rtp = SRTPFixtures.rtp(sequence: 1, length: 100)
        let protected = try sender.protectRTP(rtp)
        for cut in 1...8 {
            let error = SRTPFixtures.error { () throws(SRTPError) in
                try receiver.unprotectRTP(Array(protected.dropLast(cut)))
            }
            #expect(error?.code == .authFail)
        }
        let error = SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(protected + [0]) }
        #expect(error?.code == .authFail)
        #expect(try receiver.unprotectRTP(protected) == rtp)
    }
}
