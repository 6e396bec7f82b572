import Conference
import Foundation
import RTCWire
import Testing

/// Offers Parley refuses get the documented code, and leave the conference as it was.
@Suite("Conference refused offers")
struct OfferErrorTests {
    /// A room with one negotiated participant (Chromium audio) and a second one about to offer.
    static func setUp(grants: Grants = TestConference.all) throws -> (Conference, ParticipantID) {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let first = try conference.join(room: room, identity: "alice", grants: TestConference.all)
        _ = try conference.negotiate(first.participant.id, offer: OfferFixtures.chromiumAudio)
        let second = try conference.join(room: room, identity: "bob", grants: grants)
        return (conference, second.participant.id)
    }

    static func expectRefused(
        _ offer: String,
        _ code: ConferenceError.Code,
        grants: Grants = TestConference.all,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var (conference, bob) = try Self.setUp(grants: grants)
        let before = ConferenceSnapshot(conference)
        expectConferenceError(code, sourceLocation: sourceLocation) { () throws(ConferenceError) in
            _ = try conference.negotiate(bob, offer: offer)
        }
        #expect(ConferenceSnapshot(conference) == before, sourceLocation: sourceLocation)
    }

    @Test func withoutBundle() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.aiortcAudio) { $0.hasPrefix("a=group:BUNDLE") }
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func bundleMissingAnMLine() throws {
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 5), OfferBuilder.video("recvonly")]
        let offer = builder.text.replacingOccurrences(of: "a=group:BUNDLE 0 1", with: "a=group:BUNDLE 0")
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func withoutRTCPMux() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.chromiumAudio) { $0 == "a=rtcp-mux" }
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test(arguments: ["", "hello", "v=0\r\n", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "\u{0}\u{1}garbage"])
    func garbage(_ offer: String) throws {
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func oversized() throws {
        let offer = OfferFixtures.chromiumAudio + String(repeating: "a=x-padding:0123456789\r\n", count: 5_000)
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func withoutFingerprint() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.aiortcAudio) { $0.hasPrefix("a=fingerprint") }
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func withoutICECredentials() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.chromiumAudio) { $0.hasPrefix("a=ice-pwd") }
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func sendingWithoutSSRC() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.chromiumAudio) { $0.hasPrefix("a=ssrc") }
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func withoutMid() throws {
        let offer = OfferFixtures.removingLines(OfferFixtures.chromiumAudio) { $0.hasPrefix("a=mid") }
        try Self.expectRefused(offer, .badOffer)
    }

    @Test func withoutOpus() throws {
        let offer = OfferFixtures.chromiumAudio.replacingOccurrences(of: "opus/48000/2", with: "foo/48000/2")
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func videoWithoutVP8OrH264() throws {
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 5), OfferBuilder.video("recvonly", codecs: [])]
        // An m-line with only AV1.
        let offer = builder.text.replacingOccurrences(
            of: "m=video 9 UDP/TLS/RTP/SAVPF \r\n",
            with: "m=video 9 UDP/TLS/RTP/SAVPF 45\r\na=rtpmap:45 AV1/90000\r\n"
        )
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func passiveSetup() throws {
        let offer = OfferFixtures.chromiumAudio.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:passive")
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func plainRTP() throws {
        let offer = OfferFixtures.aiortcAudio.replacingOccurrences(of: "UDP/TLS/RTP/SAVPF", with: "RTP/AVP")
        try Self.expectRefused(offer, .unsupportedOffer)
    }

    @Test func ssrcCollidingWithAnotherParticipant() throws {
        // Alice publishes 2029537776 already.
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 2_029_537_776)]
        try Self.expectRefused(builder.text, .badOffer)
    }

    /// Decision: sending without the publish grant is refused (forbidden), not answered inactive,
    /// so the client learns why nobody hears it (SECURITY.md: publishing without the grant).
    @Test func sendingWithoutPublishGrant() throws {
        try Self.expectRefused(OfferFixtures.chromiumAudio, .forbidden, grants: [.join, .subscribe])
    }

    @Test func receivingWithoutSubscribeGrant() throws {
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 5), OfferBuilder.audio("recvonly")]
        try Self.expectRefused(builder.text, .forbidden, grants: [.join, .publish])
    }

    @Test func recvonlyOffersNeedNoPublishGrant() throws {
        var (conference, bob) = try Self.setUp(grants: [.join, .subscribe])
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("recvonly")]
        let result = try conference.negotiate(bob, offer: builder.text)
        let answer = try SessionDescription.answer(result.answer)
        #expect(answer.media.first?.direction == .sendonly)
        #expect(result.published.isEmpty)
    }

    @Test func failedRenegotiationKeepsTheFirstNegotiation() throws {
        var (conference, bob) = try Self.setUp()
        var builder = OfferBuilder()
        builder.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 77), OfferBuilder.audio("recvonly")]
        _ = try conference.negotiate(bob, offer: builder.text)
        let before = ConferenceSnapshot(conference)
        builder.rtcpMux = false
        expectConferenceError(.unsupportedOffer) { () throws(ConferenceError) in
            _ = try conference.negotiate(bob, offer: builder.text)
        }
        #expect(ConferenceSnapshot(conference) == before)
    }

    @Test func unknownParticipant() {
        var conference = TestConference.make()
        expectConferenceError(.participantNotFound) { () throws(ConferenceError) in
            _ = try conference.negotiate(ParticipantID(rawValue: 99), offer: OfferFixtures.chromiumAudio)
        }
    }
}
