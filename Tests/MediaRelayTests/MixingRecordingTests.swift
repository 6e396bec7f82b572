import Foundation
import MediaRelay
import RTCAudio
import RTCTestSupport
import RTCWire
import Testing

/// Recording rooms through the core's commands: the room's full mix goes to a RoomRecorder, the
/// file is checked with the Ogg helpers, opusinfo and ffmpeg.
@Suite("Mixing recordings")
struct MixingRecordingTests {
    static let tones = [
        (frequency: 500.0, amplitude: 6000.0), (frequency: 800.0, amplitude: 6000.0),
        (frequency: 1300.0, amplitude: 6000.0),
    ]

    /// The recording events of `room`: started paths, stopped paths, failures.
    static func recordings(
        _ log: MixingEventLog,
        _ room: RelayRoomID
    ) -> (started: [String], stopped: [String], failed: [RecordingError]) {
        var result: (started: [String], stopped: [String], failed: [RecordingError]) = ([], [], [])
        for event in log.events {
            switch event {
            case .recordingStarted(let id, let path) where id == room: result.started.append(path)
            case .recordingStopped(let id, let path) where id == room: result.stopped.append(path)
            case .recordingFailed(let id, let error) where id == room: result.failed.append(error)
            default: break
            }
        }
        return result
    }

    /// Checks a finished recording's structure and tools' verdicts, and returns its PCM.
    static func checkFile(_ path: String, frames: Int) throws -> [Int16] {
        let bytes = try RecorderFixture.read(path)
        let scan = OggPageScan(scanning: bytes)
        #expect(scan.isCompleteStream)
        #expect(scan.pages.last?.isEndOfStream == true)
        #expect(scan.pages.last?.granulePosition == Int64(frames * 960))
        #expect(RecorderFixture.streamProblems(bytes).isEmpty)
        let info = try RecorderFixture.opusinfo(path)
        #expect(info.status == 0, "\(info.output)")
        #expect(!info.output.contains("WARNING"), "\(info.output)")
        #expect(info.output.contains("ENCODER=Parley mixing-test"), "\(info.output)")
        return try RecorderFixture.decode(path)
    }

    @Test("a mixed room recorded by command: an Ogg Opus file that opusinfo accepts and that holds the three talkers")
    func mixedRoomRecording() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let room = try MixingRoom(clientCount: 4, tones: Self.tones)
            let writer = try RecordingWriter()
            defer { writer.stop() }
            room.harness.relayCore.recordingWriter = writer
            room.harness.relayCore.recordingVersion = "mixing-test"
            room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
            try room.run(ticks: 10)
            room.harness.apply(.startRecording(room.room, name: "Weekly Sync", directory: directory))
            #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.recording == true)
            try room.run(ticks: 150)
            room.harness.apply(.stopRecording(room.room))
            #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.recording == false)
            // A second stop does nothing.
            room.harness.apply(.stopRecording(room.room))
            writer.stop()

            let events = Self.recordings(room.log, room.room)
            #expect(events.failed.isEmpty)
            #expect(events.stopped.count == 1)
            let path = try #require(events.started.first)
            #expect(events.started == events.stopped)
            #expect(path.hasPrefix(directory + "/Weekly_Sync-"))
            #expect(path.hasSuffix(".opus"))

            let pcm = try Self.checkFile(path, frames: 150)
            let probe = try RecorderFixture.ffprobe(path)
            let duration = try #require(probe.duration)
            #expect(abs(duration - 3) < 0.04, "ffprobe duration \(duration) s")
            let body = pcm.dropFirst(24_000)
            for tone in Self.tones {
                let amplitude = MixingSignal.amplitude(of: body, at: tone.frequency)
                #expect(amplitude > 3500, "\(tone.frequency) Hz at \(amplitude) in the recording")
            }
            #expect(MixingSignal.amplitude(of: body, at: 1000) < 150)
        }
    }

    /// The SSRC subscriber `subscriber` receives forwarded track `track` as.
    static func forwardedSSRC(subscriber: UInt64, track: Int) -> UInt32 {
        0x3000_0000 + 16 * UInt32(subscriber) + UInt32(track)
    }

    @Test("both mode: the talkers' audio is forwarded (no mix is sent) and the recording holds the mix")
    func bothMode() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let room = try MixingRoom(clientCount: 3, tones: Array(Self.tones.prefix(2)))
            let writer = try RecordingWriter()
            defer { writer.stop() }
            room.harness.relayCore.recordingWriter = writer
            room.harness.relayCore.recordingVersion = "mixing-test"
            let clients = room.harness.clients
            // Everyone receives every other talker's track, as subscriber SSRC 0x3000_0000 + 16 x
            // subscriber + track.
            let table = try RoutingTable(
                tracks: room.talkers.enumerated().map { index, talker in
                    PublishedTrack(
                        id: RoutingTrackID(rawValue: UInt64(index + 1)),
                        publisher: talker.client.participant,
                        kind: .audio,
                        mediaSSRC: talker.ssrc,
                        payloadTypes: [MixingTalker.payloadType]
                    )
                },
                subscriptions: room.talkers.indices.flatMap { track in
                    clients.filter { $0 !== room.talkers[track].client }.map { subscriber in
                        TrackSubscription(
                            subscriber: subscriber.participant,
                            track: RoutingTrackID(rawValue: UInt64(track + 1)),
                            mediaSSRC: Self.forwardedSSRC(subscriber: subscriber.id.rawValue, track: track + 1),
                            payloadTypes: [MixingTalker.payloadType: MixingTalker.payloadType]
                        )
                    }
                }
            )
            room.harness.apply(.installRouting(table))
            room.harness.apply(.configureRoom(room.room, room.plan(mode: .both)))
            room.harness.apply(.startRecording(room.room, name: "both", directory: directory))
            try room.run(ticks: 100)
            room.harness.apply(.stopRecording(room.room))
            writer.stop()

            // The listener got both talkers' packets, forwarded, and no mixed stream.
            let received = try room.harness.received(by: clients[2]).map { try RTPPacket(parsing: $0.span) }
            #expect(received.count == 200)
            let expected: Set<UInt32> = [
                Self.forwardedSSRC(subscriber: 3, track: 1), Self.forwardedSSRC(subscriber: 3, track: 2),
            ]
            #expect(Set(received.map(\.ssrc)) == expected)
            #expect(try room.mix(of: 2).packets == 0)
            let talker = try room.harness.received(by: clients[0]).map { try RTPPacket(parsing: $0.span) }
            #expect(Set(talker.map(\.ssrc)) == [Self.forwardedSSRC(subscriber: 1, track: 2)])
            let statistics = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
            #expect(statistics.packetsSent == 0)
            #expect(statistics.encodes == 100, "only the full mix is encoded")

            let path = try #require(Self.recordings(room.log, room.room).stopped.first)
            let body = try Self.checkFile(path, frames: 100).dropFirst(24_000)
            #expect(MixingSignal.amplitude(of: body, at: 500) > 3500)
            #expect(MixingSignal.amplitude(of: body, at: 800) > 3500)
            #expect(MixingSignal.amplitude(of: body, at: 1300) < 150)
        }
    }

    @Test("a forwarded room mixes only while it is recorded, and speaker events flow either way")
    func forwardedRoomRecordedOnDemand() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let room = try MixingRoom(clientCount: 3, tones: Array(Self.tones.prefix(2)))
            let writer = try RecordingWriter()
            defer { writer.stop() }
            room.harness.relayCore.recordingWriter = writer
            room.harness.relayCore.recordingVersion = "mixing-test"
            room.harness.apply(.configureRoom(room.room, room.plan(mode: .forwarded)))
            try room.run(ticks: 20)
            #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.encodes == 0)
            #expect(Set(room.log.speakerLists(of: room.room).last ?? []) == Set(room.talkers.map(\.client.participant)))
            room.harness.apply(.startRecording(room.room, name: "fwd", directory: directory))
            try room.run(ticks: 50)
            #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.encodes == 50)
            room.harness.apply(.stopRecording(room.room))
            try room.run(ticks: 20)
            let statistics = try #require(room.harness.relayCore.mixingStatistics(of: room.room))
            #expect(statistics.encodes == 50)
            #expect(statistics.packetsSent == 0)
            #expect(room.harness.received(by: room.harness.clients[2]).isEmpty)
            writer.stop()
            let path = try #require(Self.recordings(room.log, room.room).stopped.first)
            let body = try Self.checkFile(path, frames: 50).dropFirst(9_600)
            #expect(MixingSignal.amplitude(of: body, at: 500) > 3500)
            #expect(MixingSignal.amplitude(of: body, at: 800) > 3500)
        }
    }

    @Test("closing a room, and dropping the core, stop their recordings with the EOS page")
    func closeAndDrop() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            // Closing the room: the injected writer keeps running.
            let room = try MixingRoom(clientCount: 2, tones: Array(Self.tones.prefix(1)))
            let writer = try RecordingWriter()
            defer { writer.stop() }
            room.harness.relayCore.recordingWriter = writer
            room.harness.relayCore.recordingVersion = "mixing-test"
            room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
            room.harness.apply(.startRecording(room.room, name: "closed", directory: directory))
            try room.run(ticks: 30)
            room.harness.apply(.closeRoom(room.room))
            let closed = Self.recordings(room.log, room.room)
            #expect(closed.stopped == closed.started)
            let closedPath = try #require(closed.stopped.first)
            writer.stop()
            _ = try Self.checkFile(closedPath, frames: 30)

            // Dropping the core: its own writer is stopped after the recording's EOS page.
            var dropped: MixingRoom? = try MixingRoom(clientCount: 2, tones: Array(Self.tones.prefix(1)))
            let droppedLog = try #require(dropped).log
            let droppedRoom = try #require(dropped).room
            do {
                let room = try #require(dropped)
                room.harness.relayCore.recordingVersion = "mixing-test"
                room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
                room.harness.apply(.startRecording(room.room, name: "dropped", directory: directory))
                try room.run(ticks: 25)
            }
            let droppedPath = try #require(Self.recordings(droppedLog, droppedRoom).started.first)
            #expect(Self.recordings(droppedLog, droppedRoom).stopped.isEmpty)
            dropped = nil
            #expect(dropped == nil)
            #expect(Self.recordings(droppedLog, droppedRoom).stopped == [droppedPath])
            _ = try Self.checkFile(droppedPath, frames: 25)
        }
    }

    @Test("recording refusals: an unknown room, a second start, a room name with a slash")
    func refusals() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let room = try MixingRoom(clientCount: 2, tones: Array(Self.tones.prefix(1)))
            let writer = try RecordingWriter()
            defer { writer.stop() }
            room.harness.relayCore.recordingWriter = writer
            let other = RelayRoomID(rawValue: 99)
            room.harness.apply(.startRecording(other, name: "nobody", directory: directory))
            #expect(Self.recordings(room.log, other).failed.map(\.code) == [.invalidConfiguration])

            room.harness.apply(.configureRoom(room.room, room.plan(mode: .mixed)))
            room.harness.apply(.startRecording(room.room, name: "a/b", directory: directory))
            #expect(Self.recordings(room.log, room.room).failed.map(\.code) == [.invalidRoomName])
            room.harness.apply(.startRecording(room.room, name: "ok", directory: directory))
            room.harness.apply(.startRecording(room.room, name: "ok", directory: directory))
            let events = Self.recordings(room.log, room.room)
            #expect(events.failed.map(\.code) == [.invalidRoomName, .alreadyRecording])
            #expect(events.started.count == 1)
            #expect(room.harness.relayCore.mixingStatistics(of: room.room)?.recording == true)
        }
    }
}
