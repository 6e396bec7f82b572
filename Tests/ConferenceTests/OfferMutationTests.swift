import Conference
import Foundation
import RTCWire
import Testing

/// Every offer with one line removed, or cut short, gets an answer that parses or a documented
/// error, and a refused one leaves the conference unchanged (SECURITY.md: malformed input gives
/// a clear error, never a crash).
@Suite("Conference damaged offers")
struct OfferMutationTests {
    static let fixtures = [
        ("chromiumAudio", OfferFixtures.chromiumAudio), ("chromiumCamera", OfferFixtures.chromiumCamera),
        ("aiortcAudio", OfferFixtures.aiortcAudio),
    ]

    @Test(arguments: Self.fixtures.map(\.0))
    func everyOfferWithOneLineRemovedOrCutShort(_ name: String) throws {
        let offer = try #require(Self.fixtures.first { $0.0 == name }?.1)
        var base = TestConference.make()
        let room = try TestConference.room("r")
        let first = try base.join(room: room, identity: "first", grants: TestConference.all)
        var firstOffer = OfferBuilder()
        firstOffer.transceivers = [
            OfferBuilder.audio("sendrecv", ssrc: 5), OfferBuilder.video("sendrecv", ssrc: 6, rtx: 7),
        ]
        _ = try base.negotiate(first.participant.id, offer: firstOffer.text)
        let bob = try base.join(room: room, identity: "bob", grants: TestConference.all).participant.id
        let snapshot = ConferenceSnapshot(base)

        let lines = offer.components(separatedBy: "\r\n")
        var variants: [String] = []
        for index in lines.indices {
            var removed = lines
            removed.remove(at: index)
            variants.append(removed.joined(separator: "\r\n"))
            variants.append(lines[..<index].joined(separator: "\r\n"))
        }
        var answered = 0
        var codes: Set<String> = []
        let documented: Set<ConferenceError.Code> = [.badOffer, .unsupportedOffer]
        for variant in variants {
            var conference = base
            let outcome: Result<NegotiationResult, ConferenceError>
            do {
                outcome = .success(try conference.negotiate(bob, offer: variant))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let result):
                let answer = try #require(try? SessionDescription(parsing: result.answer))
                #expect(answer.iceLite)
                answered += 1
            case .failure(let error):
                #expect(documented.contains(error.code), "\(error)")
                #expect(ConferenceSnapshot(conference) == snapshot)
                codes.insert(error.code.protocolName)
            }
        }
        // Both outcomes happen: removing an rtpmap of an unused codec is harmless, removing the
        // BUNDLE group is not.
        #expect(answered > 0)
        #expect(codes == ["bad_offer", "unsupported_offer"])
    }
}
