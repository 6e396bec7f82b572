import Foundation
import MediaRelay
import RTCAudio
import RTCWire
import Testing

/// A recording that cannot be made, or fails midway, is an error value with a code and a
/// sentence saying what to do; the recorder (and so the worker and the room) goes on.
@Suite("Recorder errors")
struct RecorderErrorTests {
    static let startTime = RecordingTimestamp(secondsSinceEpoch: 1_746_091_800)

    @Test(
        "room names with '/' or '..' are refused: no directory, no file, the recorder stays idle",
        arguments: ["../../etc/passwd", "a/b", "..", "x\\y"]
    )
    func refusedRoom(room: String) throws {
        try RecorderFixture.withTemporaryDirectory { root in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let recorder = RoomRecorder(writer: writer)
            let directory = root + "/recordings"
            let error = try #require(throws: RecordingError.self) {
                try recorder.start(room: room, startTime: Self.startTime, directory: directory)
            }
            #expect(error.code == .invalidRoomName)
            #expect(error.message.contains("Use a room name without them"))
            #expect(recorder.state == .idle)
            #expect(recorder.file == nil)
            #expect(!FileManager.default.fileExists(atPath: directory))
            #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        }
    }

    @Test("a directory path through a regular file: directoryUnavailable, with what to do")
    func directoryThroughFile() throws {
        try RecorderFixture.withTemporaryDirectory { root in
            try RecorderFixture.write([1, 2, 3], to: root + "/plain")
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let recorder = RoomRecorder(writer: writer)
            let error = try #require(throws: RecordingError.self) {
                try recorder.start(room: "r", startTime: Self.startTime, directory: root + "/plain/recordings")
            }
            #expect(error.code == .directoryUnavailable)
            #expect(error.systemError == ENOTDIR)
            // The path names the component that is in the way.
            #expect(error.path == root + "/plain")
            #expect(error.message.contains("Configure an existing directory path"))
            #expect(error.description.contains("directoryUnavailable"))
            #expect(recorder.state == .idle)
            // And a directory that is a file itself.
            let second = try #require(throws: RecordingError.self) {
                try recorder.start(room: "r", startTime: Self.startTime, directory: root + "/plain")
            }
            #expect(second.code == .directoryUnavailable)
        }
    }

    @Test("a directory the relay may not create (in sysfs, refused even to root): permissionDenied")
    func directoryNotWritable() throws {
        // sysfs refuses mkdir with EPERM to root and EACCES to anyone else: both are this case.
        try #require(FileManager.default.fileExists(atPath: "/sys/kernel"), "sysfs is not mounted")
        let writer = try RecordingWriter()
        defer { writer.stop() }
        let recorder = RoomRecorder(writer: writer)
        let error = try #require(throws: RecordingError.self) {
            try recorder.start(room: "r", startTime: Self.startTime, directory: "/sys/parley-recordings-test")
        }
        #expect(error.code == .permissionDenied)
        #expect(error.systemError == EPERM || error.systemError == EACCES)
        #expect(error.message.contains("Give the relay's user write access"))
        #expect(recorder.state == .idle)
    }

    @Test(
        "a full disk (/dev/full) stops the recording with diskFull, reported once; the recorder starts again elsewhere"
    )
    func diskFull() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let encoder = try OpusEncoder()
            let packets = try RecorderFixture.tone(frequency: 440, frames: 100, encoder: encoder)
            let descriptor = open("/dev/full", O_WRONLY | O_CLOEXEC)
            try #require(descriptor >= 0)
            let full = try writer.adopt(
                descriptor: descriptor,
                path: "/dev/full",
                directory: "/dev",
                room: "full",
                startTime: Self.startTime
            )
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            try recorder.start(file: full)
            // The header pages fail to write: the writer closes the file and records why.
            try #require(RecorderFixture.waitUntil { full.isClosed })
            #expect(full.failure?.code == .diskFull)
            #expect(!full.isFinished)

            var now = RelayTime.milliseconds(0)
            var reported: [RecordingError] = []
            for packet in packets {
                recorder.append(packet: packet)
                if let error = recorder.tick(now: now) {
                    reported.append(error)
                }
                now = now.adding(milliseconds: 20)
            }
            try #require(reported.count == 1, "reported \(reported)")
            let error = reported[0]
            #expect(error.code == .diskFull)
            #expect(error.systemError == ENOSPC)
            #expect(error.path == "/dev/full")
            #expect(error.message.contains("Free space"))
            #expect(recorder.state == .failed)
            #expect(recorder.failure == error)
            #expect(recorder.nextDeadline == nil)
            // The failure is noticed at the latest at the first flush (1 s, 51 packets), when pages
            // are next handed over: packets after it are ignored.
            #expect(recorder.statistics.packets > 0 && recorder.statistics.packets <= 51)
            #expect(recorder.stop() == nil)

            // The same recorder records again, into a good directory.
            let file = try recorder.start(room: "full", startTime: Self.startTime, directory: directory)
            #expect(recorder.state == .recording)
            #expect(recorder.failure == nil)
            for packet in packets.prefix(10) {
                recorder.append(packet: packet)
            }
            recorder.stop()
            try #require(RecorderFixture.waitUntil { file.isClosed })
            #expect(file.isFinished)
            #expect(OggPageScan(scanning: try RecorderFixture.read(file.path)).isCompleteStream)
        }
    }

    @Test("start while recording: alreadyRecording, and the recording goes on")
    func alreadyRecording() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let recorder = RoomRecorder(writer: writer)
            let file = try recorder.start(room: "r", startTime: Self.startTime, directory: directory)
            #expect(throws: RecordingError(.alreadyRecording, path: "", message: "")) {
                try recorder.start(room: "other", startTime: Self.startTime, directory: directory)
            }
            #expect(throws: RecordingError(.alreadyRecording, path: "", message: "")) {
                try recorder.start(file: file)
            }
            #expect(recorder.state == .recording)
            #expect(recorder.file === file)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["r-20250501-093000.opus"])
        }
    }

    @Test("stream settings the Ogg writer refuses: invalidConfiguration before any file is created")
    func invalidConfiguration() throws {
        try RecorderFixture.withTemporaryDirectory { root in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            for configuration in [
                RoomRecorder.Configuration(channels: 3),
                RoomRecorder.Configuration(preSkip: 70_000),
                RoomRecorder.Configuration(comments: ["no equals sign"]),
            ] {
                let recorder = RoomRecorder(writer: writer, configuration: configuration)
                #expect(throws: RecordingError(.invalidConfiguration, path: "", message: "")) {
                    try recorder.start(room: "r", startTime: Self.startTime, directory: root + "/recordings")
                }
                #expect(recorder.state == .idle)
            }
            #expect(!FileManager.default.fileExists(atPath: root + "/recordings"))
            #expect(throws: RecordingError(.invalidConfiguration, path: "", message: "")) {
                try RecordingWriter(configuration: .init(syncInterval: 0))
            }
            #expect(throws: RecordingError(.invalidConfiguration, path: "", message: "")) {
                try RecordingWriter(configuration: .init(maximumPendingBytes: 1_000))
            }
        }
    }

    @Test("the writer stopping under a recording: writerStopped reported at the next flush; the file is repairable")
    func writerStoppedMidRecording() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            let encoder = try OpusEncoder()
            let packets = try RecorderFixture.tone(frequency: 440, frames: 120, encoder: encoder)
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let file = try recorder.start(room: "late", startTime: Self.startTime, directory: directory)
            var now = RelayTime.milliseconds(0)
            var reported: [RecordingError] = []
            for (index, packet) in packets.enumerated() {
                if index == 60 {
                    writer.stop()
                    #expect(file.isClosed)
                    #expect(file.failure?.code == .writerStopped)
                    #expect(!file.isFinished)
                }
                recorder.append(packet: packet)
                if let error = recorder.tick(now: now) {
                    reported.append(error)
                }
                now = now.adding(milliseconds: 20)
            }
            #expect(reported.map(\.code) == [.writerStopped])
            #expect(recorder.state == .failed)
            #expect(throws: RecordingError(.writerStopped, path: "", message: "")) {
                try recorder.start(room: "late", startTime: Self.startTime, directory: directory)
            }
            // Everything handed over before the stop was written: the first second, flushed.
            let bytes = try RecorderFixture.read(file.path)
            #expect(!OggPageScan(scanning: bytes).isCompleteStream)
            #expect(OggPageScan(scanning: bytes).pages.last?.granulePosition == Int64(51 * 960))
            let report = try RecordingRecovery.repair(directory: directory)
            #expect(report.repaired.map(\.path) == [file.path])
            #expect(OggPageScan(scanning: try RecorderFixture.read(file.path)).isCompleteStream)
        }
    }
}
