@_spi(Testing) import RTCSecurity
import Testing

// libsrtp raises key soft/hard-limit events only after about 2^48 packets with one key (the limit
// is set inside srtp_stream_init and is not reachable through srtp_policy_t or any public call),
// and Parley's sessions never both protect and unprotect, which an SSRC collision needs. So:
// - a real libsrtp event (SSRC collision) is provoked through the @_spi(Testing) hook that skips
//   the direction check, to prove the installed handler and the routing by user data;
// - every kind is then routed through the same handler with a simulated event for the session's
//   own srtp_t, to prove each is counted as itself.
@Suite("SRTP events")
struct SRTPEventTests {
    @Test("A real SSRC collision from libsrtp reaches the session that raised it")
    func realCollision() throws {
        let keying = try SRTPFixtures.keying(.aesCM128HMACSHA1_80)
        let session = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let other = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let bystander = try SRTPSession(direction: .outbound, keyingMaterial: keying)
        let ssrc: UInt32 = 0x5EED_0001

        // The session sends SSRC 0x5EED0001 (its stream is now a sender's)...
        _ = try session.protectRTP(SRTPFixtures.rtp(ssrc: ssrc, sequence: 1))
        _ = try bystander.protectRTP(SRTPFixtures.rtp(ssrc: ssrc, sequence: 1))
        #expect(!session.hasPendingEvents)
        // ...and then receives a genuine packet with the same SSRC and key: libsrtp reports a collision.
        let rtp = SRTPFixtures.rtp(ssrc: ssrc, sequence: 2)
        var buffer = try other.protectRTP(rtp)
        let length = buffer.count
        var span = buffer.mutableSpan
        let plainLength = try session.unprotectRTPIgnoringDirection(&span, length: length)
        #expect(Array(buffer[0..<plainLength]) == rtp)

        #expect(session.hasPendingEvents)
        #expect(!other.hasPendingEvents && !bystander.hasPendingEvents)
        let events = session.takeEvents()
        #expect(events.ssrcCollisions == 1)
        #expect(events.keySoftLimits == 0 && events.keyHardLimits == 0 && events.packetIndexLimits == 0)
        #expect(events.lastSSRC == ssrc)
        #expect(events.total == 1)
        #expect(!session.hasPendingEvents)
        #expect(session.takeEvents().isEmpty)
        #expect(session.eventTotals.ssrcCollisions == 1)
    }

    @Test("Every event kind is routed to its session and counted as itself")
    func everyKind() throws {
        let keying = try SRTPFixtures.keying(.aeadAES128GCM)
        let session = try SRTPSession(direction: .inbound, keyingMaterial: keying)
        let bystander = try SRTPSession(direction: .inbound, keyingMaterial: keying)

        session.simulateLibraryEvent(.keySoftLimit, ssrc: 1)
        session.simulateLibraryEvent(.keySoftLimit, ssrc: 2)
        session.simulateLibraryEvent(.keyHardLimit, ssrc: 3)
        session.simulateLibraryEvent(.packetIndexLimit, ssrc: 4)
        session.simulateLibraryEvent(.ssrcCollision, ssrc: 5)
        #expect(session.hasPendingEvents)
        #expect(!bystander.hasPendingEvents)
        #expect(bystander.eventTotals.isEmpty)

        let first = session.takeEvents()
        #expect(first.keySoftLimits == 2)
        #expect(first.keyHardLimits == 1)
        #expect(first.packetIndexLimits == 1)
        #expect(first.ssrcCollisions == 1)
        #expect(first.total == 5)
        #expect(first.lastSSRC == 5)
        #expect(
            first.description
                == "SRTPEvents(ssrcCollisions: 1, keySoftLimits: 2, keyHardLimits: 1, packetIndexLimits: 1)"
        )

        // Taking clears the pending counts; the totals keep accumulating.
        session.simulateLibraryEvent(.keyHardLimit, ssrc: 9)
        let second = session.takeEvents()
        #expect(second.keyHardLimits == 1 && second.total == 1 && second.lastSSRC == 9)
        #expect(session.eventTotals.keyHardLimits == 2)
        #expect(session.eventTotals.total == 6)
        #expect(session.takeEvents() == SRTPEvents())
    }

    @Test("Ordinary traffic raises no event")
    func quiet() throws {
        let (sender, receiver) = try SRTPFixtures.pair(.aeadAES256GCM)
        for sequence in UInt16(0)..<100 {
            let rtp = SRTPFixtures.rtp(sequence: sequence)
            _ = try receiver.unprotectRTP(sender.protectRTP(rtp))
        }
        #expect(!sender.hasPendingEvents && !receiver.hasPendingEvents)
        #expect(sender.eventTotals.isEmpty && receiver.eventTotals.isEmpty)
    }
}
