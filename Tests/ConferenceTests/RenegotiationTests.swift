import Conference
import Foundation
import RTCWire
import Testing

/// Three participants, the third joining late; subscriptions follow the track list, and
/// renegotiation keeps what was settled.
@Suite("Conference renegotiation")
struct RenegotiationTests {
    static func ssrcs(_ answer: SessionDescription, mid: String) -> [UInt32] {
        answer.media(mid: mid)?.ssrcIDs ?? []
    }

    static func audioVideo(ssrc base: UInt32, recvonly: [String] = []) -> OfferBuilder {
        var builder = OfferBuilder()
        builder.transceivers = [
            OfferBuilder.audio("sendrecv", ssrc: base), OfferBuilder.video("sendrecv", ssrc: base + 1, rtx: base + 2),
        ]
        for kind in recvonly {
            builder.transceivers.append(
                kind == "audio" ? OfferBuilder.audio("recvonly") : OfferBuilder.video("recvonly")
            )
        }
        return builder
    }

    @Test func threeParticipantsWithALateJoiner() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all).participant.id

        // A publishes audio and video.
        var offerA = Self.audioVideo(ssrc: 1_000)
        let aFirst = try conference.negotiate(a, offer: offerA.text)
        let aTracks = aFirst.published.map(\.id)
        #expect(aTracks == [TrackID(rawValue: 1), TrackID(rawValue: 2)])
        #expect(aFirst.effects.events.map(\.recipient) == [a, b])
        #expect(aFirst.effects.changedPlans == [room])

        // B publishes and receives A's two tracks.
        var offerB = Self.audioVideo(ssrc: 2_000, recvonly: ["audio", "video"])
        let bFirst = try conference.negotiate(b, offer: offerB.text)
        let bAnswer = try SessionDescription.answer(bFirst.answer)
        #expect(bAnswer.media.map(\.direction) == [.recvonly, .recvonly, .sendonly, .sendonly])
        #expect(bAnswer.media[2].msids == [SDPMsid(streamID: "\(a)", trackID: "\(aTracks[0])")])
        #expect(bAnswer.media[3].msids == [SDPMsid(streamID: "\(a)", trackID: "\(aTracks[1])")])
        #expect(bAnswer.media[2].ssrcAttribute("cname", of: Self.ssrcs(bAnswer, mid: "2")[0]) == "parley")
        // Video gets an RTX SSRC grouped by FID.
        #expect(bAnswer.media[3].ssrcGroups.first?.semantics == "FID")
        #expect(Self.ssrcs(bAnswer, mid: "3").count == 2)
        let bVideoSSRCs = Self.ssrcs(bAnswer, mid: "3")

        // A renegotiates to receive B's tracks; its own tracks and credentials stay.
        let aPlanBefore = try #require(conference.mediaPlan(for: room)?.participants.first)
        offerA = Self.audioVideo(ssrc: 1_000, recvonly: ["audio", "video"])
        offerA.sessionVersion = 3
        let aSecond = try conference.negotiate(a, offer: offerA.text)
        #expect(aSecond.published.map(\.id) == aTracks)
        #expect(aSecond.effects.events.isEmpty)
        let aPlan = try #require(conference.mediaPlan(for: room)?.participants.first)
        #expect(aPlan.localUfrag == aPlanBefore.localUfrag)
        #expect(aPlan.localPassword == aPlanBefore.localPassword)
        #expect(aPlan.subscriptions.map(\.track) == bFirst.published.map(\.id))
        let aAnswer = try SessionDescription.answer(aSecond.answer)
        #expect(aAnswer.origin.sessionVersion == 2)

        // C joins late: H.264-only video receivers and its own audio-level ID.
        let cJoin = try conference.join(room: room, identity: "c", grants: TestConference.all)
        let c = cJoin.participant.id
        #expect(cJoin.tracks.map(\.id) == aTracks + bFirst.published.map(\.id))
        var offerC = OfferBuilder()
        offerC.transceivers = [
            OfferBuilder.audio("sendrecv", ssrc: 3_000), OfferBuilder.audio("recvonly"),
            OfferBuilder.video("recvonly", codecs: ["h264"]), OfferBuilder.audio("recvonly"),
            OfferBuilder.video("recvonly", codecs: ["h264"]), OfferBuilder.audio("recvonly"),
        ]
        let cText = offerC.text.replacingOccurrences(of: "a=extmap:1 urn", with: "a=extmap:9 urn")
        let cResult = try conference.negotiate(c, offer: cText)
        let cAnswer = try SessionDescription.answer(cResult.answer)
        #expect(cAnswer.media.map(\.direction) == [.recvonly, .sendonly, .sendonly, .sendonly, .sendonly, .inactive])
        #expect(cAnswer.media[2].formats == ["102", "103"])
        let plan = try #require(conference.mediaPlan(for: room))
        let cPlan = try #require(plan.participants.last)
        #expect(cPlan.participant == c)
        #expect(cPlan.subscriptions.map(\.track) == aTracks + bFirst.published.map(\.id))
        #expect(cPlan.subscriptions.map(\.mid) == ["1", "2", "3", "4"])
        // Only H.264 (and its RTX) can go to C's video m-lines.
        #expect(cPlan.subscriptions[1].payloadTypes == [102: 102, 103: 103])
        #expect(cPlan.subscriptions[1].rtxSSRC != nil)
        // Audio level 1 -> 9, abs-send-time 2 -> 2; mid and transport-cc are per hop.
        #expect(cPlan.subscriptions[0].headerExtensions == [1: 9, 2: 2])
        #expect(cPlan.subscriptions[0].payloadTypes == [111: 111])
        #expect(cResult.effects.events.map(\.recipient) == [a, b, c])

        // Every SSRC the server chose is unique and none is a client's.
        let published = Set(
            plan.participants.flatMap { $0.published.flatMap { [$0.mediaSSRC] + ($0.rtxSSRC.map { [$0] } ?? []) } }
        )
        let chosen = plan.participants.flatMap {
            $0.subscriptions.flatMap { [$0.mediaSSRC] + ($0.rtxSSRC.map { [$0] } ?? []) }
        }
        #expect(Set(chosen).count == chosen.count)
        #expect(published.isDisjoint(with: chosen))

        // B re-offers with one more recvonly audio: mids 2 and 3 keep their tracks and SSRCs.
        offerB = Self.audioVideo(ssrc: 2_000, recvonly: ["audio", "video", "audio"])
        offerB.sessionVersion = 3
        let bSecond = try conference.negotiate(b, offer: offerB.text)
        let bAnswer2 = try SessionDescription.answer(bSecond.answer)
        #expect(Self.ssrcs(bAnswer2, mid: "2") == Self.ssrcs(bAnswer, mid: "2"))
        #expect(Self.ssrcs(bAnswer2, mid: "3") == bVideoSSRCs)
        #expect(bAnswer2.media(mid: "4")?.direction == .sendonly)
        #expect(bAnswer2.media(mid: "4")?.msids.first?.trackID == "\(cResult.published[0].id)")
        let bPlan = try #require(conference.mediaPlan(for: room)?.participants[1])
        #expect(bPlan.subscriptions.map(\.track) == aTracks + [cResult.published[0].id])

        // A leaves: its tracks leave every plan, the others hear about it.
        let left = try conference.leave(a)
        #expect(left.changedPlans == [room])
        #expect(left.events(for: b) == [.participantLeft(a, reason: .left), .tracks(conference.tracks(of: room))])
        let after = try #require(conference.mediaPlan(for: room))
        #expect(after.participants.map(\.participant) == [b, c])
        let remaining = after.participants.flatMap(\.subscriptions)
        #expect(!remaining.contains { aTracks.contains($0.track) || $0.publisher == a })
        #expect(!after.participants.flatMap(\.published).contains { aTracks.contains($0.track) })

        // B re-offers: the m-lines that carried A's tracks have nothing left to receive.
        offerB.sessionVersion = 4
        let bThird = try SessionDescription.answer(try conference.negotiate(b, offer: offerB.text).answer)
        #expect(bThird.media.map(\.direction) == [.recvonly, .recvonly, .inactive, .inactive, .sendonly])
        #expect(Self.ssrcs(bThird, mid: "4") == Self.ssrcs(bAnswer2, mid: "4"))
    }

    @Test func unpublishingAnMLineRemovesTheTrack() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        let b = try conference.join(room: room, identity: "b", grants: TestConference.all).participant.id
        var offer = Self.audioVideo(ssrc: 10)
        _ = try conference.negotiate(a, offer: offer.text)
        offer.transceivers[1] = OfferBuilder.video("inactive")
        let result = try conference.negotiate(a, offer: offer.text)
        #expect(result.published.map(\.kind) == [.audio])
        #expect(result.effects.events(for: b) == [.tracks(conference.tracks(of: room))])
        #expect(conference.tracks(of: room).count == 1)
    }

    @Test func iceRestartGetsNewCredentials() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        var offer = Self.audioVideo(ssrc: 10)
        _ = try conference.negotiate(a, offer: offer.text)
        let before = try #require(conference.mediaPlan(for: room)?.participants.first)
        offer.ufrag = "Zz9+"
        let result = try conference.negotiate(a, offer: offer.text)
        let after = try #require(conference.mediaPlan(for: room)?.participants.first)
        #expect(after.remoteUfrag == "Zz9+")
        #expect(after.localUfrag != before.localUfrag)
        #expect(after.localPassword != before.localPassword)
        #expect(result.effects.changedPlans == [room])
        #expect(after.published == before.published)
    }

    @Test func aMidCannotChangeKind() throws {
        var conference = TestConference.make()
        let room = try TestConference.room("r")
        let a = try conference.join(room: room, identity: "a", grants: TestConference.all).participant.id
        var offer = OfferBuilder()
        offer.transceivers = [OfferBuilder.audio("sendrecv", ssrc: 5), OfferBuilder.audio("recvonly")]
        _ = try conference.negotiate(a, offer: offer.text)
        let before = ConferenceSnapshot(conference)
        offer.transceivers[1] = OfferBuilder.video("recvonly")
        expectConferenceError(.badOffer) { () throws(ConferenceError) in
            _ = try conference.negotiate(a, offer: offer.text)
        }
        #expect(ConferenceSnapshot(conference) == before)
    }
}
