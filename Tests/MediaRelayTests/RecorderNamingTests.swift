import Foundation
import MediaRelay
import Testing

/// File names and start times: the UTC formatting done without a calendar library, and the room
/// name reduced to a safe subset or refused.
@Suite("Recorder naming")
struct RecorderNamingTests {
    @Test(
        "known instants format as ISO 8601 and yyyyMMdd-HHmmss in UTC",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z", "19700101-000000"),
            (1_746_091_800, "2025-05-01T09:30:00Z", "20250501-093000"),
            (951_782_400, "2000-02-29T00:00:00Z", "20000229-000000"),
            (1_709_251_199, "2024-02-29T23:59:59Z", "20240229-235959"),
            (946_598_400, "1999-12-31T00:00:00Z", "19991231-000000"),
            (4_107_456_000, "2100-02-28T00:00:00Z", "21000228-000000"),
            (4_107_542_400, "2100-03-01T00:00:00Z", "21000301-000000"),
            (253_402_300_799, "9999-12-31T23:59:59Z", "99991231-235959"),
        ]
    )
    func knownInstants(seconds: Int64, iso8601: String, compact: String) {
        let time = RecordingTimestamp(secondsSinceEpoch: seconds)
        #expect(time.iso8601 == iso8601)
        #expect(time.compact == compact)
        #expect(time.description == iso8601)
    }

    @Test("out-of-range instants are clamped to 1970 and 9999")
    func clamped() {
        #expect(RecordingTimestamp(secondsSinceEpoch: -1).iso8601 == "1970-01-01T00:00:00Z")
        #expect(RecordingTimestamp(secondsSinceEpoch: .min).secondsSinceEpoch == 0)
        #expect(RecordingTimestamp(secondsSinceEpoch: .max).iso8601 == "9999-12-31T23:59:59Z")
        #expect(RecordingTimestamp(secondsSinceEpoch: 1) > RecordingTimestamp(secondsSinceEpoch: 0))
    }

    @Test("2000 instants spread over 1970-2400 agree with Foundation's ISO 8601 formatter")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = RecorderRandom(state: 0x5EED)
        for _ in 0..<2_000 {
            let seconds = Int64(random.next() % 13_569_465_600)  // up to 2400-01-01
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(RecordingTimestamp(secondsSinceEpoch: seconds).iso8601 == expected, "\(seconds)")
        }
    }

    @Test("now() reads the wall clock")
    func now() {
        let reference = Int64(Date().timeIntervalSince1970)
        let now = RecordingTimestamp.now().secondsSinceEpoch
        #expect(abs(now - reference) <= 2)
    }

    @Test(
        "room names are reduced to letters, digits, '-', '_', '.' without a leading dot",
        arguments: [
            ("standup", "standup"),
            ("Team Standup", "Team_Standup"),
            ("a.b-c_D9", "a.b-c_D9"),
            (".hidden", "_hidden"),
            ("réunion d'équipe", "r_union_d__quipe"),
            ("日本", "__"),
            ("tab\there", "tab_here"),
            ("a:b*c?d|e<f>g\"h", "a_b_c_d_e_f_g_h"),
        ]
    )
    func sanitized(room: String, expected: String) throws {
        #expect(try RecordingFileName.sanitizedRoom(room) == expected)
    }

    @Test("a long room name is cut to 64 characters")
    func longName() throws {
        let name = try RecordingFileName.sanitizedRoom(String(repeating: "r", count: 300))
        #expect(name == String(repeating: "r", count: RecordingFileName.maximumRoomLength))
        #expect(RecordingFileName.maximumRoomLength == 64)
    }

    @Test(
        "room names with a path separator, '..' or NUL are refused, not cleaned",
        arguments: ["a/b", "/etc", "../x", "..", "a..b", "x/../../y", "a\\b", "", "x\u{0}y", "room/"]
    )
    func refused(room: String) {
        #expect(throws: RecordingError(.invalidRoomName, path: "", message: "")) {
            try RecordingFileName.sanitizedRoom(room)
        }
    }

    @Test("file names: room, compact UTC start time, then -2, -3... for later attempts")
    func fileNames() {
        let time = RecordingTimestamp(secondsSinceEpoch: 1_746_091_800)
        #expect(RecordingFileName.fileName(room: "r", startTime: time, attempt: 0) == "r-20250501-093000.opus")
        #expect(RecordingFileName.fileName(room: "r", startTime: time, attempt: 1) == "r-20250501-093000-2.opus")
        #expect(RecordingFileName.fileName(room: "r", startTime: time, attempt: 9) == "r-20250501-093000-10.opus")
    }
}

/// A small deterministic generator (SplitMix64), so that sampled values repeat run to run.
struct RecorderRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value &>> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value &>> 31)
    }
}
