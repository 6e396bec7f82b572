import RTCSecurity
import Testing

@Suite("SRTP sessions")
struct SRTPSessionTests {
    struct LibSRTPKAT: Decodable {
        struct Packet: Decodable {
            let plaintext: String
            let protected: String
        }
        let profile: String
        let ssrc: String
        let master_key: String
        let master_salt: String
        let rtp: Packet
        let rtcp: Packet
    }

    static func katSessions() throws -> (kat: LibSRTPKAT, sender: SRTPSession, receiver: SRTPSession) {
        let kat = try SecurityVectors.load("libsrtp-kat.json", as: LibSRTPKAT.self)
        #expect(kat.profile == SRTPProfile.aesCM128HMACSHA1_80.name)
        let keying = try SRTPKeyingMaterial(
            profile: .aesCM128HMACSHA1_80,
            masterKey: SecurityVectors.bytes(kat.master_key),
            masterSalt: SecurityVectors.bytes(kat.master_salt)
        )
        let sender = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let receiver = try SRTPSession(direction: .inbound, keyingMaterial: keying)
        return (kat, sender, receiver)
    }

    @Test("libsrtp's known answer, RTP: protect gives the protected bytes, unprotect the plaintext")
    func knownAnswerRTP() throws {
        let (kat, sender, receiver) = try Self.katSessions()
        let plaintext = try SecurityVectors.bytes(kat.rtp.plaintext)
        let protected = try SecurityVectors.bytes(kat.rtp.protected)
        #expect(try SecurityVectors.hex(sender.protectRTP(plaintext)) == kat.rtp.protected)
        #expect(try receiver.unprotectRTP(protected) == plaintext)
    }

    @Test("libsrtp's known answer, RTCP: protect gives the protected bytes, unprotect the plaintext")
    func knownAnswerRTCP() throws {
        let (kat, sender, receiver) = try Self.katSessions()
        let plaintext = try SecurityVectors.bytes(kat.rtcp.plaintext)
        let protected = try SecurityVectors.bytes(kat.rtcp.protected)
        #expect(try SecurityVectors.hex(sender.protectRTCP(plaintext)) == kat.rtcp.protected)
        #expect(try receiver.unprotectRTCP(protected) == plaintext)
    }

    @Test("The known answer also comes out of the in-place API, in a larger buffer")
    func knownAnswerInPlace() throws {
        let (kat, sender, receiver) = try Self.katSessions()
        let plaintext = try SecurityVectors.bytes(kat.rtp.plaintext)
        let protected = try SecurityVectors.bytes(kat.rtp.protected)
        var buffer = plaintext + [UInt8](repeating: 0xEE, count: 1500 - plaintext.count)
        var span = buffer.mutableSpan
        let protectedLength = try sender.protectRTP(&span, length: plaintext.count)
        #expect(protectedLength == protected.count)
        #expect(Array(buffer[0..<protectedLength]) == protected)
        // Bytes past the trailer are untouched.
        #expect(buffer[protectedLength...].allSatisfy { $0 == 0xEE })
        var inbound = buffer.mutableSpan
        let plainLength = try receiver.unprotectRTP(&inbound, length: protectedLength)
        #expect(Array(buffer[0..<plainLength]) == plaintext)
    }

    @Test(
        "Every profile round-trips RTP and RTCP of 200 and 1200 bytes",
        arguments: SRTPProfile.allCases,
        [200, 1200]
    )
    func roundTrip(_ profile: SRTPProfile, length: Int) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        #expect(sender.profile == profile && sender.direction == .outbound && receiver.direction == .inbound)

        let rtp = SRTPFixtures.rtp(sequence: 1000, length: length)
        var buffer = rtp + [UInt8](repeating: 0, count: 100)
        var span = buffer.mutableSpan
        let protectedLength = try sender.protectRTP(&span, length: rtp.count)
        #expect(protectedLength == length + profile.rtpTrailerLength)
        // The header stays in the clear; the payload does not.
        #expect(Array(buffer[0..<12]) == Array(rtp[0..<12]))
        #expect(Array(buffer[12..<length]) != Array(rtp[12...]))
        var inbound = buffer.mutableSpan
        let plainLength = try receiver.unprotectRTP(&inbound, length: protectedLength)
        #expect(Array(buffer[0..<plainLength]) == rtp)

        let rtcp = SRTPFixtures.rtcp(length: length)
        let srtcp = try sender.protectRTCP(rtcp)
        #expect(srtcp.count == length + profile.rtcpTrailerLength)
        #expect(Array(srtcp[0..<8]) == Array(rtcp[0..<8]))
        #expect(Array(srtcp[8..<length]) != Array(rtcp[8...]))
        // E flag set, SRTCP index 1 (the first packet): after the packet for AES-CM (RFC 3711
        // section 3.4), after the tag for AEAD (RFC 7714 section 9, the tag is part of the cipher).
        let indexOffset = profile.rtcpAuthTagLength == 16 ? srtcp.count - 4 : length
        #expect(Array(srtcp[indexOffset..<(indexOffset + 4)]) == [0x80, 0x00, 0x00, 0x01])
        #expect(try receiver.unprotectRTCP(srtcp) == rtcp)
    }

    @Test("Many packets and two SSRCs in one wildcard session", arguments: SRTPProfile.allCases)
    func manyPackets(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        for sequence in UInt16(0)..<300 {
            for ssrc: UInt32 in [0xAAAA_0001, 0xBBBB_0002] {
                let rtp = SRTPFixtures.rtp(ssrc: ssrc, sequence: sequence, length: 60 + Int(sequence % 50))
                #expect(try receiver.unprotectRTP(sender.protectRTP(rtp)) == rtp)
            }
        }
        #expect(receiver.rolloverCounter(ssrc: 0xAAAA_0001) == 0)
        #expect(receiver.rolloverCounter(ssrc: 0xCCCC_0003) == nil)
        #expect(!sender.hasPendingEvents && !receiver.hasPendingEvents)
    }

    @Test(
        "Protect with a buffer too small for the trailer is an error, and leaves the packet alone",
        arguments: SRTPProfile.allCases
    )
    func bufferTooSmall(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let rtp = SRTPFixtures.rtp(sequence: 7, length: 100)
        var buffer = rtp + [UInt8](repeating: 0, count: profile.rtpTrailerLength - 1)
        var span = buffer.mutableSpan
        let error = SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(&span, length: rtp.count) }
        #expect(error?.code == .insufficientCapacity)
        #expect(Array(buffer[0..<rtp.count]) == rtp)

        let rtcp = SRTPFixtures.rtcp(length: 100)
        var rtcpBuffer = rtcp + [UInt8](repeating: 0, count: profile.rtcpTrailerLength - 1)
        var rtcpSpan = rtcpBuffer.mutableSpan
        let rtcpError = SRTPFixtures.error { () throws(SRTPError) in
            try sender.protectRTCP(&rtcpSpan, length: rtcp.count)
        }
        #expect(rtcpError?.code == .insufficientCapacity)

        // Exactly the trailer's room is enough, and the failures above consumed no sequence number.
        var exact = rtp + [UInt8](repeating: 0, count: profile.rtpTrailerLength)
        var exactSpan = exact.mutableSpan
        let length = try sender.protectRTP(&exactSpan, length: rtp.count)
        #expect(length == exact.count)
        #expect(try receiver.unprotectRTP(exact) == rtp)
    }

    @Test("Lengths that do not fit a header, a tag or the buffer are rejected before libsrtp")
    func invalidLengths() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aeadAES128GCM)
        var buffer = [UInt8](repeating: 0x80, count: 64)
        var span = buffer.mutableSpan
        for length in [-1, 0, 11, 65] {
            #expect(
                SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(&span, length: length) }?.code
                    == .invalidLength
            )
        }
        for length in [-1, 7] {
            #expect(
                SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTCP(&span, length: length) }?.code
                    == .invalidLength
            )
        }
        // An SRTP packet needs a header and a tag; an SRTCP packet a header, the index and a tag.
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP([UInt8](repeating: 0x80, count: 27))
            }?.code == .invalidLength
        )
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTCP([UInt8](repeating: 0x80, count: 27))
            }?.code == .invalidLength
        )
        var huge = [UInt8](repeating: 0, count: 70_000)
        var hugeSpan = huge.mutableSpan
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(&hugeSpan, length: 65_536) }?.code
                == .invalidLength
        )
    }

    @Test("A header whose CSRCs or extension do not fit is refused by libsrtp, not read past")
    func malformedHeaders() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aesCM128HMACSHA1_80)
        var csrcs = SRTPFixtures.rtp(sequence: 1, length: 20)
        csrcs[0] = 0x8F  // 15 CSRCs: 72 header bytes in a 20-byte packet
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(csrcs) }?.code == .badParam)
        var extended = SRTPFixtures.rtp(sequence: 2, length: 20)
        extended[0] = 0x90  // extension present
        extended[14] = 0xFF  // extension length 0xFF.. words
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(extended) }?.code == .badParam)
        // The same shapes, inbound, with a tag's worth of bytes.
        var inbound = SRTPFixtures.rtp(sequence: 3, length: 30)
        inbound[0] = 0x8F
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(inbound) } != nil)
        inbound[0] = 0x90
        inbound[14] = 0xFF
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(inbound) } != nil)
    }

    @Test("Garbage of every length up to 200 bytes is rejected, never accepted", arguments: SRTPProfile.allCases)
    func garbage(_ profile: SRTPProfile) throws {
        let (_, receiver) = try SRTPFixtures.pair(profile)
        var state: UInt32 = 0x1234_5678
        for length in 0...200 {
            var packet: [UInt8] = []
            for _ in 0..<length {
                // xorshift32: deterministic bytes.
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                packet.append(UInt8(truncatingIfNeeded: state))
            }
            if length > 0 { packet[0] = 0x80 | (packet[0] & 0x3F) }
            #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(packet) } != nil)
            #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTCP(packet) } != nil)
        }
    }

    @Test("A session refuses the other direction's operations")
    func wrongDirection() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aeadAES128GCM)
        let rtp = SRTPFixtures.rtp(sequence: 1)
        let srtp = try sender.protectRTP(rtp)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.protectRTP(rtp) }?.code == .wrongDirection)
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try receiver.protectRTCP(SRTPFixtures.rtcp()) }?.code
                == .wrongDirection
        )
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.unprotectRTP(srtp) }?.code == .wrongDirection)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.unprotectRTCP(srtp) }?.code == .wrongDirection)
        #expect(try receiver.unprotectRTP(srtp) == rtp)
    }

    @Test("A packet protected with another key fails authentication", arguments: SRTPProfile.allCases)
    func wrongKey(_ profile: SRTPProfile) throws {
        let (sender, _) = try SRTPFixtures.pair(profile, seed: 1)
        let (_, otherReceiver) = try SRTPFixtures.pair(profile, seed: 2)
        let rtp = SRTPFixtures.rtp(sequence: 1)
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try otherReceiver.unprotectRTP(sender.protectRTP(rtp)) }?.code
                == .authFail
        )
        let rtcp = SRTPFixtures.rtcp()
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in try otherReceiver.unprotectRTCP(sender.protectRTCP(rtcp)) }?
                .code == .authFail
        )
        // Same key, salt differs in one byte: also a different key.
        var keying = try SRTPFixtures.keying(profile, seed: 1)
        var salt = keying.masterSalt
        salt[0] ^= 1
        keying = try SRTPKeyingMaterial(profile: profile, masterKey: keying.masterKey, masterSalt: salt)
        let saltReceiver = try SRTPSession(direction: .inbound, keyingMaterial: keying)
        #expect(
            SRTPFixtures.error { () throws(SRTPError) in
                try saltReceiver.unprotectRTP(sender.protectRTP(SRTPFixtures.rtp(sequence: 2)))
            }?.code == .authFail
        )
    }

    @Test("Protecting a sequence number twice is refused (libsrtp's replay check on send)")
    func repeatedSequenceOnSend() throws {
        let (sender, _) = try SRTPFixtures.pair(.aeadAES128GCM)
        let rtp = SRTPFixtures.rtp(sequence: 42)
        _ = try sender.protectRTP(rtp)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(rtp) }?.code == .replayFail)
    }

    @Test("The replay window must be within libsrtp's range")
    func replayWindowRange() throws {
        let keying = try SRTPFixtures.keying(.aeadAES128GCM)
        for window in [0, 63, 0x8000, 1 << 20, -1] {
            #expect(throws: SRTPError(.invalidReplayWindow, operation: "")) {
                try SRTPSession(direction: .inbound, keyingMaterial: keying, replayWindow: window)
            }
        }
        for window in [64, 100, 1024, 0x7FFF] {
            let session = try SRTPSession(direction: .inbound, keyingMaterial: keying, replayWindow: window)
            #expect(session.replayWindow == window)
        }
        #expect(SRTPSession.replayWindowRange == 64...0x7FFF)
    }

    @Test("A specific-SSRC session accepts only the streams added to it", arguments: SRTPProfile.allCases)
    func specificStreams(_ profile: SRTPProfile) throws {
        let keying = try SRTPFixtures.keying(profile)
        let sender = try SRTPSession(direction: .outbound, keyingMaterial: keying, streams: .specificSSRCs)
        let receiver = try SRTPSession(direction: .inbound, keyingMaterial: keying, streams: .specificSSRCs)
        #expect(receiver.streamSelection == .specificSSRCs)
        let known: UInt32 = 0xCAFE_BABE
        let unknown: UInt32 = 0xDEAD_BEEF
        let rtp = SRTPFixtures.rtp(ssrc: known, sequence: 5)

        // Nothing is accepted before addStream.
        #expect(SRTPFixtures.error { () throws(SRTPError) in try sender.protectRTP(rtp) }?.code == .noCtx)
        try sender.addStream(ssrc: known)
        try sender.addStream(ssrc: unknown)
        let srtp = try sender.protectRTP(rtp)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(srtp) }?.code == .noCtx)

        try receiver.addStream(ssrc: known)
        #expect(receiver.rolloverCounter(ssrc: known) == 0)
        #expect(receiver.rolloverCounter(ssrc: unknown) == nil)
        #expect(try receiver.unprotectRTP(srtp) == rtp)
        // RTCP uses the same stream (its sender SSRC).
        let rtcp = SRTPFixtures.rtcp(ssrc: known)
        #expect(try receiver.unprotectRTCP(sender.protectRTCP(rtcp)) == rtcp)
        // The other SSRC, protected fine, has no stream inbound.
        let other = try sender.protectRTP(SRTPFixtures.rtp(ssrc: unknown, sequence: 1))
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(other) }?.code == .noCtx)

        // Adding twice is refused (libsrtp would shadow the first stream).
        #expect(throws: SRTPError(.streamExists, operation: "")) { try receiver.addStream(ssrc: known) }

        // After removal the SSRC is unknown again; removing it twice is an error.
        try receiver.removeStream(ssrc: known)
        #expect(receiver.rolloverCounter(ssrc: known) == nil)
        let later = try sender.protectRTP(SRTPFixtures.rtp(ssrc: known, sequence: 6))
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(later) }?.code == .noCtx)
        #expect(throws: SRTPError(.noCtx, operation: "")) { try receiver.removeStream(ssrc: known) }
    }

    @Test("A stream added to a wildcard session keeps its own state")
    func addStreamToWildcard() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aesCM128HMACSHA1_80)
        try receiver.addStream(ssrc: 0x0102_0304)
        #expect(receiver.rolloverCounter(ssrc: 0x0102_0304) == 0)
        let rtp = SRTPFixtures.rtp(ssrc: 0x0102_0304, sequence: 9)
        let srtp = try sender.protectRTP(rtp)
        #expect(try receiver.unprotectRTP(srtp) == rtp)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(srtp) }?.code == .replayFail)
    }
}
