import Foundation
import MediaRelay
import RTCAudio
import RTCWire
import Testing

/// The file writer thread: the bounded handoff (drop and count rather than grow), syncing, and
/// closing at stop.
@Suite("Recorder writer")
struct RecorderWriterTests {
    static let startTime = RecordingTimestamp(secondsSinceEpoch: 1_746_091_800)

    @Test("a stalled writer: batches over the bound are dropped whole and counted; the closing batch always goes")
    func boundedQueue() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter(configuration: .init(maximumPendingBytes: 64 * 1024))
            defer { writer.stop() }
            let file = try writer.open(room: "bound", startTime: Self.startTime, directory: directory)
            writer.suspend()
            let first = [UInt8](repeating: 1, count: 40_000)
            let second = [UInt8](repeating: 2, count: 30_000)
            let third = [UInt8](repeating: 3, count: 20_000)
            let last = [UInt8](repeating: 4, count: 10_000)
            #expect(file.append(first))
            #expect(!file.append(second), "40 000 + 30 000 bytes exceed 64 KiB")
            #expect(file.append(third))
            var statistics = file.statistics
            #expect(statistics.batchesDropped == 1)
            #expect(statistics.bytesDropped == 30_000)
            #expect(statistics.bytesAccepted == 60_000)
            #expect(statistics.bytesPending == 60_000)
            #expect(statistics.bytesWritten == 0, "a suspended writer writes nothing")
            #expect(file.close(final: last), "the closing batch is accepted over the bound")
            #expect(!file.append(first), "nothing after the close")
            #expect(!file.close(final: last))
            writer.resume()
            try #require(RecorderFixture.waitUntil { file.isClosed })
            statistics = file.statistics
            #expect(file.isFinished)
            #expect(statistics.batchesDropped == 3)
            #expect(statistics.bytesDropped == 30_000 + 40_000 + 10_000)
            #expect(statistics.bytesWritten == 70_000)
            #expect(statistics.bytesSynced == 70_000)
            #expect(try RecorderFixture.read(file.path) == first + third + last)
        }
    }

    @Test(
        "a recorder ahead of a stalled disk: drops counted on both sides; the file stays valid Ogg with a sequence gap"
    )
    func recorderDropsWhenDiskStalls() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter(configuration: .init(maximumPendingBytes: 64 * 1024))
            defer { writer.stop() }
            // 128 kbit/s: about 16 KiB a second, so the 64 KiB bound is passed in a few seconds.
            let encoder = try OpusEncoder(configuration: .init(application: .audio, bitrate: 128_000))
            let packets = try RecorderFixture.tone(frequency: 440, frames: 50, encoder: encoder)
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let file = try recorder.start(room: "stall", startTime: Self.startTime, directory: directory)
            try #require(RecorderFixture.waitUntilWritten(file))
            writer.suspend()
            var now = RelayTime.milliseconds(0)
            // 10 s with the disk stalled, then 2 s with it back.
            for index in 0..<600 {
                if index == 500 {
                    writer.resume()
                }
                recorder.append(packet: packets[index % packets.count])
                #expect(recorder.tick(now: now) == nil, "a full queue is not a failure")
                now = now.adding(milliseconds: 20)
            }
            #expect(recorder.state == .recording)
            let dropped = recorder.statistics.droppedHandoffs
            #expect(dropped > 0)
            #expect(file.statistics.batchesDropped == UInt64(dropped))
            #expect(file.statistics.bytesPending <= 64 * 1024)
            recorder.stop()
            try #require(RecorderFixture.waitUntil { file.isClosed })
            #expect(file.isFinished)

            let bytes = try RecorderFixture.read(file.path)
            let scan = OggPageScan(scanning: bytes)
            #expect(scan.isCompleteStream)
            #expect(RecorderFixture.streamProblems(bytes, allowingGaps: true).isEmpty)
            // Pages are missing where batches were dropped, and only there.
            let last = try #require(scan.pages.last)
            #expect(Int(last.sequenceNumber) + 1 > scan.pages.count)
            #expect(!RecorderFixture.streamProblems(bytes).isEmpty)
            #expect(last.granulePosition == Int64(600 * 960))
            let probe = try RecorderFixture.ffprobe(file.path)
            #expect(probe.status == 0)
            #expect(probe.codec == "opus")
        }
    }

    @Test("written bytes are synced within the sync interval, and an idle file is not synced again")
    func syncInterval() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter(configuration: .init(syncInterval: 50_000_000))
            defer { writer.stop() }
            let file = try writer.open(room: "sync", startTime: Self.startTime, directory: directory)
            let started = Date()
            #expect(file.append([UInt8](repeating: 7, count: 1_000)))
            try #require(RecorderFixture.waitUntil { file.statistics.bytesSynced == 1_000 })
            #expect(Date().timeIntervalSince(started) < 1)
            let syncs = file.statistics.syncs
            #expect(syncs == 1)
            usleep(200_000)
            #expect(file.statistics.syncs == syncs, "nothing new to sync")
            #expect(file.append([UInt8](repeating: 8, count: 500)))
            try #require(RecorderFixture.waitUntil { file.statistics.bytesSynced == 1_500 })
            #expect(file.statistics.syncs == 2)
            #expect(!file.isClosed)
        }
    }

    @Test("stop writes what is queued, closes every file, and is idempotent; then open is refused")
    func stopClosesFiles() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            let file = try writer.open(room: "open", startTime: Self.startTime, directory: directory)
            writer.suspend()
            #expect(file.append([1, 2, 3]))
            writer.stop()
            writer.stop()
            #expect(!writer.isRunning)
            #expect(file.isClosed)
            #expect(!file.isFinished)
            #expect(file.failure?.code == .writerStopped)
            #expect(try RecorderFixture.read(file.path) == [1, 2, 3])
            #expect(!file.append([4]))
            #expect(file.statistics.batchesDropped == 1)
            #expect(throws: RecordingError(.writerStopped, path: "", message: "")) {
                try writer.open(room: "late", startTime: Self.startTime, directory: directory)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["open-20250501-093000.opus"])
        }
    }
}
