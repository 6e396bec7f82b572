import Conference
import Testing

@Suite("Conference value types")
struct ValueTypeTests {
    @Test(arguments: ["a", "room-1", "Team_A.daily", "-x", String(repeating: "z", count: 64)])
    func validRoomNames(_ text: String) throws {
        #expect(try RoomName(text).rawValue == text)
    }

    @Test(arguments: ["", ".hidden", "a b", "a/b", "ü", "a\u{0}", String(repeating: "z", count: 65)])
    func invalidRoomNames(_ text: String) {
        expectConferenceError(.badRequest) { () throws(ConferenceError) in _ = try RoomName(text) }
    }

    @Test func identifiersUseTheProtocolForm() {
        #expect(ParticipantID(rawValue: 7).description == "p7")
        #expect(TrackID(rawValue: 12).description == "t12")
        #expect(ParticipantID(protocolValue: "p7") == ParticipantID(rawValue: 7))
        #expect(TrackID(protocolValue: "t12") == TrackID(rawValue: 12))
        #expect(ParticipantID(protocolValue: "p0") == ParticipantID(rawValue: 0))
        for bad in ["t7", "p", "p07", "p-1", "p1x", "p18446744073709551616", ""] {
            #expect(ParticipantID(protocolValue: bad) == nil, "\(bad)")
        }
        #expect(ParticipantID(protocolValue: "p18446744073709551615")?.rawValue == UInt64.max)
    }

    @Test func grantsParseTheTokenClaimIgnoringUnknownNames() {
        let grants = Grants(protocolNames: ["join", "publish", "fly", "record", "JOIN"])
        #expect(grants == [.join, .publish, .record])
        #expect(grants.protocolNames == ["join", "publish", "record"])
        #expect(Grants(protocolNames: ["subscribe", "admin", "create"]) == [.subscribe, .admin, .create])
        #expect(Grants(protocolNames: []).isEmpty)
    }

    @Test func errorsCompareByCodeAndNameTheProtocolCode() {
        let a = ConferenceError(.roomFull, "one sentence")
        let b = ConferenceError(.roomFull, "another")
        #expect(a == b)
        #expect(a != ConferenceError(.roomNotFound, "one sentence"))
        #expect(ConferenceError.Code.roomNotFound.protocolName == "room_not_found")
        #expect(ConferenceError.Code.unsupportedOffer.protocolName == "unsupported_offer")
        #expect(ConferenceError.Code.badOffer.protocolName == "bad_offer")
        #expect(LeaveReason.roomClosed.rawValue == "room_closed")
    }

    @Test func roomSettingsDefaultsAndValidation() {
        let settings = RoomSettings()
        #expect(settings.audioMode == .forwarded)
        #expect(settings.maxParticipants == 100)
        #expect(settings.speakers == 3)
        #expect(!settings.recordOnStart)
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            try RoomSettings(maxParticipants: 0).validate()
        }
        expectConferenceError(.badRequest) { () throws(ConferenceError) in
            try RoomSettings(speakers: 0).validate()
        }
    }
}
