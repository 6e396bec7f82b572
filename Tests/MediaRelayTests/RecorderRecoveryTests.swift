import Foundation
import MediaRelay
import RTCAudio
import RTCWire
import Testing

/// Recovery at start-up: every unfinished `.opus` file in the directory is truncated after its
/// last complete page and closed with an EOS page; complete files and files with nothing to
/// recover are left alone, and everything is reported.
@Suite("Recorder recovery")
struct RecorderRecoveryTests {
    /// A finished 3 s recording, its bytes, and the end offsets of its pages.
    static func recording(in directory: String) throws -> (bytes: [UInt8], pageEnds: [Int]) {
        let writer = try RecordingWriter()
        defer { writer.stop() }
        let encoder = try OpusEncoder()
        // Flushed every 250 ms: a dozen audio pages.
        let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder, flushInterval: 250_000_000))
        let file = try recorder.start(
            room: "source",
            startTime: RecordingTimestamp(secondsSinceEpoch: 0),
            directory: directory
        )
        var now = RelayTime.milliseconds(0)
        for packet in try RecorderFixture.tone(frequency: 440, frames: 150, encoder: encoder) {
            recorder.append(packet: packet)
            _ = recorder.tick(now: now)
            now = now.adding(milliseconds: 20)
        }
        recorder.stop()
        writer.stop()
        let bytes = try RecorderFixture.read(file.path)
        try FileManager.default.removeItem(atPath: file.path)
        return (bytes, OggPageScan(scanning: bytes).pages.map(\.endOffset))
    }

    @Test("a directory of complete, cut, over-long, headless and foreign files: each gets the right treatment")
    func repairDirectory() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let (bytes, ends) = try Self.recording(in: directory)
            try #require(ends.count >= 6)
            // Cut 100 bytes into the page after the third audio page.
            let cut = ends[4] + 100
            let garbage = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            try RecorderFixture.write(bytes, to: directory + "/a-complete.opus")
            try RecorderFixture.write(Array(bytes[..<cut]), to: directory + "/b-cut.opus")
            try RecorderFixture.write(bytes + [0x4F, 0x67, 0x67], to: directory + "/c-trailing.opus")
            try RecorderFixture.write(Array(bytes[..<20]), to: directory + "/d-headless.opus")
            try RecorderFixture.write(garbage, to: directory + "/e-garbage.opus")
            try RecorderFixture.write(Array(bytes[..<cut]), to: directory + "/notes.txt")
            try RecorderFixture.write(Array(bytes[..<cut]), to: directory + "/.hidden.opus")
            try FileManager.default.createDirectory(
                atPath: directory + "/f-folder.opus",
                withIntermediateDirectories: false
            )

            let report = try RecordingRecovery.repair(directory: directory)
            #expect(report.failures.isEmpty)
            #expect(
                report.files.map { ($0.path as NSString).lastPathComponent } == [
                    "a-complete.opus", "b-cut.opus", "c-trailing.opus", "d-headless.opus", "e-garbage.opus",
                ]
            )
            #expect(report.files.map(\.outcome) == [.complete, .repaired, .repaired, .unrecoverable, .unrecoverable])
            #expect(report.repaired.count == 2)

            let complete = report.files[0]
            #expect(complete.length == bytes.count && complete.originalLength == bytes.count)
            #expect(complete.granulePosition == Int64(150 * 960))
            #expect(try RecorderFixture.read(directory + "/a-complete.opus") == bytes)

            // The cut file keeps its whole pages and gains an EOS page with the last granule.
            let cutRepair = report.files[1]
            let kept = OggPageScan(scanning: Array(bytes[..<cut]))
            #expect(cutRepair.originalLength == cut)
            #expect(cutRepair.granulePosition == kept.pages.last?.granulePosition)
            let repaired = try RecorderFixture.read(directory + "/b-cut.opus")
            #expect(repaired.count == cutRepair.length)
            #expect(Array(repaired[..<ends[3]]) == Array(bytes[..<ends[3]]))
            #expect(OggPageScan(scanning: repaired).isCompleteStream)
            #expect(RecorderFixture.streamProblems(repaired).isEmpty)
            let info = try RecorderFixture.opusinfo(directory + "/b-cut.opus")
            #expect(info.status == 0, "\(info.output)")
            #expect(!info.output.contains("WARNING"), "\(info.output)")

            // Bytes after the EOS page are cut off.
            #expect(report.files[2].length == bytes.count)
            #expect(try RecorderFixture.read(directory + "/c-trailing.opus") == bytes)

            // Nothing to recover: left as they were.
            #expect(report.files[3].granulePosition == nil)
            #expect(try RecorderFixture.read(directory + "/d-headless.opus") == Array(bytes[..<20]))
            #expect(try RecorderFixture.read(directory + "/e-garbage.opus") == garbage)
            // Files recovery does not look at are untouched.
            #expect(try RecorderFixture.read(directory + "/notes.txt").count == cut)
            #expect(try RecorderFixture.read(directory + "/.hidden.opus").count == cut)

            // Repairing again changes nothing.
            let again = try RecordingRecovery.repair(directory: directory)
            #expect(again.files.map(\.outcome) == [.complete, .complete, .complete, .unrecoverable, .unrecoverable])
            #expect(try RecorderFixture.read(directory + "/b-cut.opus") == repaired)
        }
    }

    @Test("a cut at every byte of the first two audio pages repairs to a stream that holds every whole page")
    func cutEverywhere() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let (bytes, ends) = try Self.recording(in: directory)
            let path = directory + "/cut.opus"
            // After the two header pages, through the end of the fourth page.
            for cut in stride(from: ends[1] + 1, through: ends[3], by: 97) {
                try RecorderFixture.write(Array(bytes[..<cut]), to: path)
                let repair = try #require(try RecordingRecovery.repair(file: path))
                let lastWhole = ends.last { $0 <= cut } ?? 0
                let repaired = try RecorderFixture.read(path)
                #expect(repair.outcome == .repaired, "cut at \(cut)")
                #expect(Array(repaired[..<lastWhole]) == Array(bytes[..<lastWhole]), "cut at \(cut)")
                #expect(OggPageScan(scanning: repaired).isCompleteStream, "cut at \(cut)")
                #expect(RecorderFixture.streamProblems(repaired).isEmpty, "cut at \(cut)")
            }
        }
    }

    @Test("a directory that does not exist: an error, not a crash")
    func missingDirectory() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let error = try #require(throws: RecordingError.self) {
                try RecordingRecovery.repair(directory: directory + "/absent")
            }
            #expect(error.code == .directoryUnavailable)
            #expect(error.systemError == ENOENT)
        }
    }
}
