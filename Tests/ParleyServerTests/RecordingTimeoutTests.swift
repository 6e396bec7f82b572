import Conference
import Foundation
import Logging
import MediaRelay
import Signaling
import Testing

@testable import ParleyServer

/// Starting a recording waits for the relay's report, but not forever.
@Suite("Meeting recording start timeout", .serialized, .timeLimit(.minutes(1)))
struct RecordingTimeoutTests {
    /// A meeting on a real one-worker relay on loopback, recording into a fresh directory.
    struct Fixture {
        let relay: RelayService
        let meeting: Meeting
        let directory: URL

        init(timeout: Duration) throws {
            self.directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("parley-recording-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            let address = try #require(RelayAddress(parsing: "127.0.0.1", port: 0))
            let relay = try RelayService(configuration: RelayService.Configuration(workerCount: 1, address: address))
            self.relay = relay
            let endpoint = RelayEndpoint(address: "127.0.0.1", port: relay.localAddress(worker: 0).port)
            let conference = Conference(
                configuration: ConferenceConfiguration(
                    workers: [endpoint],
                    fingerprints: [relay.certificateFingerprint]
                )
            )
            self.meeting = Meeting(
                conference: conference,
                relay: relay,
                recordings: self.directory.path,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                recordingStartTimeout: timeout
            )
        }

        func stop() {
            self.relay.stop()
            try? FileManager.default.removeItem(at: self.directory)
        }
    }

    static func mixedRoom(_ name: String) -> CreateRoomRequest {
        CreateRoomRequest(name: name, audioMode: .mixed)
    }

    @Test("with the relay's events consumed, the recording starts and names its file")
    func startsWhenTheRelayReports() async throws {
        let fixture = try Fixture(timeout: .seconds(5))
        defer { fixture.stop() }
        let consumer = Task { await fixture.meeting.consume(fixture.relay.events) }
        defer { consumer.cancel() }
        _ = try await fixture.meeting.createRoom(Self.mixedRoom("kept"))
        let file = try await fixture.meeting.startRecording(room: "kept")
        #expect(file.hasPrefix("kept-"))
        let rooms = try await fixture.meeting.listRooms()
        #expect(rooms.first?.recording == true)
    }

    @Test("when the relay's report never comes, the request fails after the timeout and the room stops recording")
    func failsAfterTheTimeout() async throws {
        // Nobody consumes the relay's events: the report that the file is open never arrives.
        let fixture = try Fixture(timeout: .milliseconds(300))
        defer { fixture.stop() }
        _ = try await fixture.meeting.createRoom(Self.mixedRoom("lost"))
        let started = ContinuousClock.now
        let error = await #expect(throws: SignalingError.self) {
            _ = try await fixture.meeting.startRecording(room: "lost")
        }
        let waited = ContinuousClock.now - started
        #expect(error?.code == SignalingError.Code.internal)
        #expect(error?.message.contains("did not start within") == true, "\(error?.message ?? "")")
        #expect(waited >= .milliseconds(250))
        #expect(waited < .seconds(5))
        let rooms = try await fixture.meeting.listRooms()
        #expect(rooms.first?.recording == false)
    }
}
