import RTCSecurity
import Testing

@Suite("SRTP replay protection")
struct SRTPReplayTests {
    @Test("A duplicate is rejected with replay_fail (9), RTP and RTCP", arguments: SRTPProfile.allCases)
    func duplicate(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let rtp = SRTPFixtures.rtp(sequence: 100)
        let srtp = try sender.protectRTP(rtp)
        #expect(try receiver.unprotectRTP(srtp) == rtp)
        let error = SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(srtp) }
        #expect(error?.code == .replayFail)
        #expect(error?.code.rawValue == 9)

        let srtcp = try sender.protectRTCP(SRTPFixtures.rtcp())
        _ = try receiver.unprotectRTCP(srtcp)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTCP(srtcp) }?.code == .replayFail)
    }

    @Test("A packet older than the window is rejected with replay_old (10)", arguments: [64, 1024])
    func older(window: Int) throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aeadAES128GCM, replayWindow: window)
        var protected: [UInt16: [UInt8]] = [:]
        for sequence in UInt16(1000)...UInt16(1000 + 1100) {
            protected[sequence] = try sender.protectRTP(SRTPFixtures.rtp(sequence: sequence))
        }
        // Receive the newest first: the window ends at 2100.
        _ = try receiver.unprotectRTP(try #require(protected[2100]))
        // Just inside the window: accepted once.
        let inside = UInt16(2100 - window + 1)
        #expect(try receiver.unprotectRTP(try #require(protected[inside])) == SRTPFixtures.rtp(sequence: inside))
        // Just outside, and far outside: too old.
        for sequence in [UInt16(2100 - window), UInt16(2100 - window - 1), 1000] {
            let packet = try #require(protected[sequence])
            let error = SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(packet) }
            #expect(error?.code == .replayOld)
            #expect(error?.code.rawValue == 10)
        }
    }

    @Test("Reordering within the window is accepted, once per packet", arguments: SRTPProfile.allCases)
    func reordering(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let packets = try (UInt16(0)..<200).map { try sender.protectRTP(SRTPFixtures.rtp(sequence: 500 + $0)) }
        // A fixed permutation: stride 77 over 200 visits every index once (gcd(77, 200) = 1).
        let order = (0..<200).map { ($0 * 77) % 200 }
        #expect(Set(order).count == 200)
        for index in order {
            #expect(try receiver.unprotectRTP(packets[index]) == SRTPFixtures.rtp(sequence: 500 + UInt16(index)))
        }
        for index in order {
            #expect(
                SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(packets[index]) }?.code
                    == .replayFail
            )
        }
    }

    @Test("Forged packets far ahead do not move the window", arguments: SRTPProfile.allCases)
    func forgedFarAhead(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let packets = try (UInt16(0)..<40).map { try sender.protectRTP(SRTPFixtures.rtp(sequence: 10 + $0)) }
        for index in 0..<10 {
            _ = try receiver.unprotectRTP(packets[index])
        }
        // A legitimate packet with its sequence number moved 30 000 ahead: fails authentication.
        var forged = packets[10]
        forged[2] = UInt8((10 + 30_000) >> 8)
        forged[3] = UInt8((10 + 30_000) & 0xFF)
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(forged) }?.code == .authFail)
        // 1000 more well-formed forgeries (SECURITY.md, "hijack"): random sequence numbers and
        // payloads under the right SSRC, and under new SSRCs.
        var state: UInt32 = 0x9E37_79B9
        func next() -> UInt32 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return state
        }
        for attempt in 0..<1000 {
            var packet = SRTPFixtures.rtp(
                ssrc: attempt % 2 == 0 ? 0x1234_5678 : next(),
                sequence: UInt16(truncatingIfNeeded: next()),
                length: 100
            )
            for index in 12..<packet.count {
                packet[index] = UInt8(truncatingIfNeeded: next())
            }
            let error = SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(packet) }
            #expect(error != nil)
        }
        // The genuine packets after the last accepted one all still decrypt, in order.
        for index in 10..<40 {
            #expect(try receiver.unprotectRTP(packets[index]) == SRTPFixtures.rtp(sequence: 10 + UInt16(index)))
        }
        #expect(receiver.rolloverCounter(ssrc: 0x1234_5678) == 0)
        #expect(!receiver.hasPendingEvents)
    }

    @Test(
        "Sequence numbers roll over: 65533 to 1 decrypt, and the rollover counter advances",
        arguments: SRTPProfile.allCases
    )
    func rollover(_ profile: SRTPProfile) throws {
        let (sender, receiver) = try SRTPFixtures.pair(profile)
        let sequences: [UInt16] = [65_533, 65_534, 65_535, 0, 1]
        for sequence in sequences {
            let rtp = SRTPFixtures.rtp(sequence: sequence)
            #expect(try receiver.unprotectRTP(sender.protectRTP(rtp)) == rtp)
        }
        #expect(sender.rolloverCounter(ssrc: 0x1234_5678) == 1)
        #expect(receiver.rolloverCounter(ssrc: 0x1234_5678) == 1)
    }

    @Test("Across the rollover, a late packet from before it is still accepted once")
    func lateAcrossRollover() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aesCM128HMACSHA1_80)
        let first = try sender.protectRTP(SRTPFixtures.rtp(sequence: 65_534))
        let late = try sender.protectRTP(SRTPFixtures.rtp(sequence: 65_535))
        let after = try sender.protectRTP(SRTPFixtures.rtp(sequence: 2))
        #expect(try receiver.unprotectRTP(first) == SRTPFixtures.rtp(sequence: 65_534))
        #expect(try receiver.unprotectRTP(after) == SRTPFixtures.rtp(sequence: 2))
        #expect(receiver.rolloverCounter(ssrc: 0x1234_5678) == 1)
        // 65535 belongs to the previous rollover counter: within the window, not yet seen.
        #expect(try receiver.unprotectRTP(late) == SRTPFixtures.rtp(sequence: 65_535))
        #expect(SRTPFixtures.error { () throws(SRTPError) in try receiver.unprotectRTP(late) }?.code == .replayFail)
    }
}
