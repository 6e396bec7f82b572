import Conference
import Testing

@Suite("Conference trickled candidates")
struct CandidateTests {
    @Test func candidatesAreCheckedNotNeeded() throws {
        var conference = TestConference.make()
        let a = try conference.join(room: TestConference.room("r"), identity: "a", grants: TestConference.all)
        let id = a.participant.id
        let candidate = "candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation 0"
        // Before the offer any mid is accepted.
        try conference.acceptCandidate(id, candidate: candidate, mid: "7")
        _ = try conference.negotiate(id, offer: OfferFixtures.chromiumAudio)
        let before = ConferenceSnapshot(conference)
        try conference.acceptCandidate(id, candidate: candidate, mid: "0")
        try conference.acceptCandidate(id, candidate: "", mid: "0")
        try conference.acceptCandidate(id, candidate: candidate)
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            try conference.acceptCandidate(id, candidate: "candidate:garbage", mid: "0")
        }
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            try conference.acceptCandidate(id, candidate: candidate, mid: "9")
        }
        expectConferenceError(.participantNotFound) { () throws(ConferenceError) in
            try conference.acceptCandidate(ParticipantID(rawValue: 50), candidate: candidate)
        }
        #expect(ConferenceSnapshot(conference) == before)
    }
}
