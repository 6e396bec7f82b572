import Conference
import Foundation
import RTCSecurity
import RTCWire
import Testing

/// Answers to real offers parse back with RTCWire's parser and say what the policy promises.
@Suite("Conference SDP answers")
struct AnswerTests {
    /// Joins a fresh participant to room "r" and answers `offer`.
    static func answer(
        _ offer: String,
        grants: Grants = TestConference.all,
        settings: RoomSettings = RoomSettings()
    ) throws -> (
        conference: Conference, participant: ParticipantID, answer: SessionDescription, result: NegotiationResult
    ) {
        var conference = TestConference.make(defaults: settings)
        let joined = try conference.join(room: TestConference.room("r"), identity: "alice", grants: grants)
        let result = try conference.negotiate(joined.participant.id, offer: offer)
        return (conference, joined.participant.id, try SessionDescription.answer(result.answer), result)
    }

    /// The checks every accepted m-line of every answer passes.
    static func expectTransport(_ media: MediaDescription, _ answer: SessionDescription, plan: ParticipantMediaPlan) {
        let worker = TestConference.workers[0]
        #expect(media.port == worker.port)
        #expect(media.setup == .passive)
        #expect(media.iceUfrag == plan.localUfrag)
        #expect(media.icePwd == plan.localPassword)
        #expect(media.fingerprints.map(\.value) == [TestConference.relayFingerprint.bytes])
        #expect(media.fingerprints.map(\.hashFunction) == ["sha-256"])
        #expect(media.candidates.count == 1)
        let candidate = media.candidates.first
        #expect(candidate?.address == worker.address)
        #expect(candidate?.port == worker.port)
        #expect(candidate?.type == .host)
        #expect(candidate?.transport == .udp)
        #expect(candidate?.priority == 2_130_706_431)
        #expect(candidate?.component == 1)
        #expect(media.endOfCandidates)
        #expect(media.rtcpMux)
        #expect(answer.iceLite)
    }

    @Test func chromiumAudio() throws {
        let (conference, participant, answer, result) = try Self.answer(OfferFixtures.chromiumAudio)
        let plan = try #require(conference.mediaPlan(for: TestConference.room("r")))
        let me = try #require(plan.participants.first)
        #expect(me.participant == participant)
        #expect(answer.bundleMIDs == ["0"])
        #expect(answer.media.count == 1)
        let audio = try #require(answer.media.first)
        Self.expectTransport(audio, answer, plan: me)
        #expect(audio.mid == "0")
        #expect(audio.kind == "audio")
        #expect(audio.direction == .recvonly)
        #expect(audio.formats == ["111"])
        let opus = try #require(audio.codec(payloadType: 111))
        #expect(opus.isNamed("opus") && opus.clockRate == 48_000 && opus.channels == 2)
        #expect(opus.parameter("useinbandfec") == "1")
        #expect(opus.parameter("minptime") == "10")
        #expect(opus.feedback.map(\.type) == ["transport-cc"])
        #expect(audio.extensions.map(\.id) == [1, 2, 3, 4])
        #expect(audio.extensionID(for: SDPExtensionMap.audioLevelURI) == 1)
        #expect(audio.extensionID(for: SDPExtensionMap.midURI) == 4)
        #expect(audio.rtcpReducedSize)
        #expect(audio.ssrcs.isEmpty)
        #expect(!answer.extmapAllowMixed)

        #expect(me.remoteUfrag == "Qev+")
        #expect(me.remoteFingerprints.map(\.sdpValue) == ["sha-256 \(OfferFixtures.chromiumFingerprint)"])
        #expect(me.localUfrag.count == 8 && me.localPassword.count == 24)
        let track = try #require(me.published.first)
        #expect(me.published.count == 1)
        #expect(track.mediaSSRC == 2_029_537_776)
        #expect(track.rtxSSRC == nil)
        #expect(track.payloadTypes == [111])
        #expect(track.clockRate == 48_000)
        #expect(track.kind == .audio)
        #expect(track.headerExtensions[SDPExtensionMap.audioLevelURI] == 1)
        #expect(track.headerExtensions[SDPExtensionMap.transportWideCCURI] == 3)
        #expect(me.subscriptions.isEmpty)
        #expect(me.mix == nil)
        #expect(result.published.map(\.kind) == [.audio])
        #expect(result.published.map(\.id) == [track.track])
    }

    @Test func aiortcAudio() throws {
        let (conference, _, answer, _) = try Self.answer(OfferFixtures.aiortcAudio)
        let plan = try #require(conference.mediaPlan(for: TestConference.room("r")))
        let me = try #require(plan.participants.first)
        let audio = try #require(answer.media.first)
        Self.expectTransport(audio, answer, plan: me)
        #expect(audio.formats == ["96"])
        let opus = try #require(audio.codec(payloadType: 96))
        #expect(opus.isNamed("opus"))
        #expect(opus.formatParameters?.raw == "minptime=10;useinbandfec=1")
        #expect(opus.feedback.isEmpty)
        // aiortc numbers its extensions the other way round from Chromium: echoed, not assumed.
        #expect(audio.extensionID(for: SDPExtensionMap.midURI) == 1)
        #expect(audio.extensionID(for: SDPExtensionMap.audioLevelURI) == 2)
        #expect(!audio.rtcpReducedSize)
        #expect(audio.direction == .recvonly)
        #expect(me.remoteUfrag == "Xk3b")
        #expect(me.remoteFingerprints.map(\.algorithm) == [.sha256, .sha384, .sha512])
        #expect(me.published.first?.mediaSSRC == 3_054_137_286)
        #expect(me.published.first?.payloadTypes == [96])
    }

    @Test func chromiumCameraChoosesVP8ThenH264PacketizationModeOneWithRTX() throws {
        let (conference, _, answer, result) = try Self.answer(OfferFixtures.chromiumCamera)
        let plan = try #require(conference.mediaPlan(for: TestConference.room("r")))
        let me = try #require(plan.participants.first)
        #expect(answer.bundleMIDs == ["0", "1"])
        let video = try #require(answer.media.last)
        Self.expectTransport(video, answer, plan: me)
        #expect(video.mid == "1")
        #expect(video.direction == .recvonly)
        #expect(video.formats == ["96", "97", "102", "103"])
        #expect(video.codec(payloadType: 97)?.associatedPayloadType == 96)
        #expect(video.codec(payloadType: 103)?.associatedPayloadType == 102)
        #expect(video.codec(payloadType: 102)?.parameter("packetization-mode") == "1")
        let feedback = try #require(video.codec(payloadType: 96)).feedback.map { [$0.type, $0.subtype ?? ""] }
        #expect(feedback == [["transport-cc", ""], ["ccm", "fir"], ["nack", ""], ["nack", "pli"]])
        #expect(video.codec(payloadType: 97)?.feedback.isEmpty == true)
        // toffset, video-orientation, playout-delay and the RID extensions are not echoed.
        #expect(
            video.extensions.map(\.uri).sorted()
                == [
                    SDPExtensionMap.absSendTimeURI, SDPExtensionMap.transportWideCCURI, SDPExtensionMap.midURI,
                ].sorted()
        )
        #expect(video.extensionID(for: SDPExtensionMap.absSendTimeURI) == 2)

        let camera = try #require(me.published.last)
        #expect(camera.kind == .video)
        #expect(camera.mediaSSRC == 2_222_222_222)
        #expect(camera.rtxSSRC == 3_333_333_333)
        #expect(camera.payloadTypes == [96, 97, 102, 103])
        #expect(camera.clockRate == 90_000)
        #expect(result.published.map(\.kind) == [.audio, .video])
    }

    @Test func chromiumSimulcastIsAnsweredWithoutReceivingIt() throws {
        let (conference, _, answer, _) = try Self.answer(OfferFixtures.chromiumAudioVideo)
        let plan = try #require(conference.mediaPlan(for: TestConference.room("r")))
        #expect(answer.bundleMIDs == ["0", "1", "2"])
        #expect(answer.media.map(\.direction) == [.recvonly, .recvonly, .inactive])
        #expect(answer.media[2].rids.isEmpty)
        #expect(plan.participants.first?.published.map(\.mid) == ["0", "1"])
    }

    @Test func dataChannelIsRejectedAndTheRestAccepted() throws {
        var offer = OfferFixtures.chromiumAudio.replacingOccurrences(of: "a=group:BUNDLE 0", with: "a=group:BUNDLE 0 1")
        offer +=
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n"
            + "a=sctp-port:5000\r\n"
        let (_, _, answer, _) = try Self.answer(offer)
        #expect(answer.media.count == 2)
        #expect(answer.media[1].port == 0)
        #expect(answer.media[1].mid == "1")
        #expect(answer.media[1].formats == ["webrtc-datachannel"])
        #expect(answer.bundleMIDs == ["0"])
    }

    @Test func answerRoundTripsThroughTheWriter() throws {
        let (_, _, answer, result) = try Self.answer(OfferFixtures.chromiumCamera)
        #expect(answer.text == result.answer)
        #expect(result.answer.hasSuffix("\r\n"))
    }

    @Test func deterministicWithASeededRandomSource() throws {
        let first = try Self.answer(OfferFixtures.chromiumAudio).result.answer
        let second = try Self.answer(OfferFixtures.chromiumAudio).result.answer
        #expect(first == second)
    }

    @Test func ipv6WorkerAddress() throws {
        var conference = Conference(
            configuration: ConferenceConfiguration(
                workers: [RelayEndpoint(address: "::1", port: 5000)],
                fingerprints: [TestConference.relayFingerprint],
                random: SeededRandom(seed: 3)
            )
        )
        let joined = try conference.join(room: TestConference.room("r"), identity: "a", grants: TestConference.all)
        let answer = try SessionDescription.answer(
            conference.negotiate(joined.participant.id, offer: OfferFixtures.aiortcAudio).answer
        )
        #expect(answer.media.first?.connection?.addressType == "IP6")
        #expect(answer.media.first?.candidates.first?.address == "::1")
    }
}
