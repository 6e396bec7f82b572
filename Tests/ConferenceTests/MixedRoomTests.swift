import Conference
import RTCWire
import Testing

@Suite("Conference mixed rooms")
struct MixedRoomTests {
    @Test func mixedRoomSendsTheMixOnTheFirstAudioMLine() throws {
        var conference = TestConference.make(defaults: RoomSettings(audioMode: .mixed, speakers: 4))
        let room = try TestConference.room("m")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all).participant.id
        var offerA = OfferBuilder()
        offerA.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 100), OfferBuilder.audio("recvonly")]
        _ = try conference.negotiate(b, offer: OfferFixtures.aiortcAudio)
        let first = try SessionDescription.answer(try conference.negotiate(a, offer: offerA.text).answer)
        #expect(first.media.map(\.direction) == [.sendrecv, .inactive])
        let mixSSRC = try #require(first.media[0].ssrcIDs.first)
        #expect(first.media[0].ssrcIDs.count == 1)
        #expect(first.media[0].msids == [SDPMsid(streamID: "parley-mix", trackID: "mix")])
        #expect(first.media[0].ssrcAttribute("cname", of: mixSSRC) == "parley")

        let plan = try #require(conference.mediaPlan(for: room))
        #expect(plan.audioMode == .mixed)
        #expect(plan.speakers == 4)
        #expect(plan.participants.map(\.participant) == [a, b])
        let aPlan = plan.participants[0]
        #expect(
            aPlan.mix
                == MixStreamPlan(mid: "0", ssrc: mixSSRC, payloadType: 111, audioLevelExtensionID: 1, midExtensionID: 4)
        )
        #expect(aPlan.subscriptions.isEmpty)
        #expect(aPlan.published.map(\.mediaSSRC) == [100])
        // aiortc: Opus is 96, the audio level is extension 2.
        #expect(plan.participants[1].mix?.payloadType == 96)
        #expect(plan.participants[1].mix?.audioLevelExtensionID == 2)
        #expect(plan.participants[1].mix?.ssrc != mixSSRC)

        // Renegotiating keeps the mix SSRC.
        offerA.sessionVersion = 3
        let second = try SessionDescription.answer(try conference.negotiate(a, offer: offerA.text).answer)
        #expect(second.media[0].ssrcIDs == [mixSSRC])
    }

    @Test func listenerWithoutPublishGrantGetsTheMixOnARecvonlyMLine() throws {
        var conference = TestConference.make(defaults: RoomSettings(audioMode: .mixed))
        let room = try TestConference.room("m")
        let listener = try conference.join(room: room, identity: "l", grants: [.join, .subscribe, .create]).participant
            .id
        var offer = OfferBuilder()
        offer.transceivers = [OfferBuilder.audio("recvonly")]
        let answer = try SessionDescription.answer(try conference.negotiate(listener, offer: offer.text).answer)
        #expect(answer.media.first?.direction == .sendonly)
        #expect(conference.mediaPlan(for: room)?.participants.first?.mix != nil)
    }

    @Test func bothModeMixesAndForwards() throws {
        var conference = TestConference.make(defaults: RoomSettings(audioMode: .both))
        let room = try TestConference.room("m")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all).participant.id
        let bTrack = try #require(try conference.negotiate(b, offer: OfferFixtures.chromiumAudio).published.first)
        var offer = OfferBuilder()
        offer.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 100), OfferBuilder.audio("recvonly")]
        let answer = try SessionDescription.answer(try conference.negotiate(a, offer: offer.text).answer)
        #expect(answer.media.map(\.direction) == [.sendrecv, .sendonly])
        let aPlan = try #require(conference.mediaPlan(for: room)?.participants.first { $0.participant == a })
        #expect(aPlan.mix?.mid == "0")
        #expect(aPlan.subscriptions.map(\.track) == [bTrack.id])
    }

    @Test func forwardedRoomSendsNoMix() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("f")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        _ = try conference.negotiate(a, offer: OfferFixtures.chromiumAudio)
        #expect(conference.mediaPlan(for: room)?.participants.first?.mix == nil)
    }
}
