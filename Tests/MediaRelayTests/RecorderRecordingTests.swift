import Foundation
import MediaRelay
import RTCAudio
import RTCWire
import Testing

/// Recording a room end to end: RoomRecorder on the calling thread (standing in for a worker,
/// driven by simulated 20 ms ticks), RecordingWriter on its own thread, real files checked with
/// opusinfo, ffprobe and ffmpeg.
@Suite("Recorder recording")
struct RecorderRecordingTests {
    static let startTime = RecordingTimestamp(secondsSinceEpoch: 1_746_091_800)  // 2025-05-01T09:30:00Z

    @Test("3 s of a tone: named by room and time, flushed every second, EOS at stop, opusinfo and ffprobe agree")
    func threeSecondTone() throws {
        try RecorderFixture.withTemporaryDirectory { root in
            // A directory that does not exist yet, two levels deep.
            let directory = root + "/recordings/may"
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let encoder = try OpusEncoder()
            let packets = try RecorderFixture.tone(frequency: 440, frames: 150, encoder: encoder)
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder, version: "test-1"))
            let file = try recorder.start(room: "Team Standup", startTime: Self.startTime, directory: directory)
            #expect(file.path == directory + "/Team_Standup-20250501-093000.opus")
            #expect(recorder.state == .recording)
            #expect(RecorderFixture.permissions(root + "/recordings") == 0o750)
            #expect(RecorderFixture.permissions(directory) == 0o750)
            #expect(RecorderFixture.permissions(file.path) == 0o640)

            // The header pages reach the disk at once, before any audio or tick.
            try #require(RecorderFixture.waitUntilWritten(file))
            let headers = try RecorderFixture.read(file.path)
            #expect(OggPageScan(scanning: headers).pages.count == 2)
            #expect(OggPageScan(scanning: headers).tailError == nil)

            var now = RelayTime.milliseconds(5_000)
            let firstTick = now
            var flushTimes: [RelayTime] = []
            var sizes = [headers.count]
            for (index, packet) in packets.enumerated() {
                recorder.append(packet: packet)
                #expect(recorder.tick(now: now) == nil)
                if recorder.statistics.flushes > flushTimes.count {
                    flushTimes.append(now)
                    // Between ticks, once the writer has drained: everything appended so far is in
                    // the file, which has grown.
                    try #require(RecorderFixture.waitUntilWritten(file))
                    let bytes = try RecorderFixture.read(file.path)
                    let scan = OggPageScan(scanning: bytes)
                    #expect(bytes.count == Int(file.statistics.bytesWritten))
                    #expect(bytes.count > sizes[sizes.count - 1], "the file did not grow at flush \(flushTimes.count)")
                    #expect(scan.tailError == nil)
                    #expect(scan.pages.last?.granulePosition == Int64((index + 1) * 960))
                    #expect(RecorderFixture.streamProblems(bytes).isEmpty)
                    sizes.append(bytes.count)
                }
                now = now.adding(milliseconds: 20)
            }
            // Flushes exactly once per second of the recorder's clock.
            #expect(flushTimes == [firstTick.adding(milliseconds: 1_000), firstTick.adding(milliseconds: 2_000)])
            #expect(recorder.nextDeadline == firstTick.adding(milliseconds: 3_000))
            #expect(recorder.statistics.packets == 150)
            #expect(recorder.statistics.droppedHandoffs == 0)

            #expect(recorder.stop() === file)
            #expect(recorder.state == .stopped)
            #expect(recorder.nextDeadline == nil)
            try #require(RecorderFixture.waitUntil { file.isClosed })
            #expect(file.isFinished)
            #expect(file.failure == nil)
            #expect(file.statistics.syncs >= 1)
            #expect(file.statistics.bytesSynced == file.statistics.bytesWritten)

            let bytes = try RecorderFixture.read(file.path)
            let scan = OggPageScan(scanning: bytes)
            #expect(scan.isCompleteStream)
            #expect(scan.pages.last?.granulePosition == Int64(150 * 960))
            #expect(RecorderFixture.streamProblems(bytes).isEmpty)

            let info = try RecorderFixture.opusinfo(file.path)
            #expect(info.status == 0, "\(info.output)")
            #expect(!info.output.contains("WARNING"), "\(info.output)")
            #expect(info.output.contains("ROOM=Team Standup"))
            #expect(info.output.contains("START=2025-05-01T09:30:00Z"))
            #expect(info.output.contains("ENCODER=Parley test-1"))
            #expect(info.output.contains("Pre-skip: \(encoder.lookahead)"))
            let playback = try #require(info.playbackSeconds, "\(info.output)")
            #expect(abs(playback - Double(150 * 960 - encoder.lookahead) / 48_000) < 0.002)

            let probe = try RecorderFixture.ffprobe(file.path)
            #expect(probe.status == 0)
            #expect(probe.codec == "opus")
            let duration = try #require(probe.duration)
            #expect(abs(duration - 3) < 0.04, "ffprobe duration \(duration) s")

            // The audio is the tone: nearly all its energy at 440 Hz, none at 1 kHz.
            let pcm = try RecorderFixture.decode(file.path)
            #expect(abs(pcm.count - (150 * 960 - encoder.lookahead)) <= 960)
            let body = pcm.dropFirst(4_800).prefix(96_000)
            #expect(RecorderFixture.energyShare(at: 440, in: body) > 0.9)
            #expect(RecorderFixture.energyShare(at: 1_000, in: body) < 0.01)
        }
    }

    @Test("stop with packets pending: the last packets and the EOS page are written; recovery leaves the file alone")
    func stopWithPendingPackets() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            let encoder = try OpusEncoder()
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let file = try recorder.start(room: "short", startTime: Self.startTime, directory: directory)
            for packet in try RecorderFixture.tone(frequency: 440, frames: 30, encoder: encoder) {
                recorder.append(packet: packet)
                #expect(recorder.tick(now: .milliseconds(100)) == nil)
            }
            #expect(recorder.statistics.flushes == 0)
            #expect(recorder.stop() === file)
            #expect(recorder.stop() == nil, "a second stop does nothing")
            recorder.append(packet: [0xF8, 0xFF, 0xFE])
            #expect(recorder.statistics.packets == 30, "packets after stop are ignored")
            // The writer's stop waits for every file to be written, synced and closed.
            writer.stop()
            #expect(!writer.isRunning)
            #expect(file.isClosed)
            #expect(file.isFinished)
            #expect(file.failure == nil)

            let bytes = try RecorderFixture.read(file.path)
            let scan = OggPageScan(scanning: bytes)
            #expect(scan.isCompleteStream)
            #expect(scan.pages.last?.isEndOfStream == true)
            #expect(scan.pages.last?.granulePosition == Int64(30 * 960))
            #expect(RecorderFixture.streamProblems(bytes).isEmpty)
            let report = try RecordingRecovery.repair(directory: directory)
            #expect(report.files.map(\.outcome) == [.complete])
            #expect(report.repaired.isEmpty)
            #expect(try RecorderFixture.read(file.path) == bytes)
        }
    }

    @Test("two rooms share one writer; the same room and second again gets a -2 suffix, never an overwrite")
    func roomsShareWriterAndNeverOverwrite() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let encoder = try OpusEncoder()
            let low = try RecorderFixture.tone(frequency: 300, frames: 60, encoder: encoder)
            let high = try RecorderFixture.tone(frequency: 2_000, frames: 60, encoder: encoder)
            let first = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let second = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let firstFile = try first.start(room: "alpha", startTime: Self.startTime, directory: directory)
            let secondFile = try second.start(room: "beta", startTime: Self.startTime, directory: directory)
            var now = RelayTime.milliseconds(0)
            for index in 0..<60 {
                first.append(packet: low[index])
                second.append(packet: high[index])
                #expect(first.tick(now: now) == nil)
                #expect(second.tick(now: now) == nil)
                now = now.adding(milliseconds: 20)
            }
            first.stop()
            second.stop()
            try #require(RecorderFixture.waitUntil { firstFile.isClosed && secondFile.isClosed })
            #expect(firstFile.path == directory + "/alpha-20250501-093000.opus")
            #expect(secondFile.path == directory + "/beta-20250501-093000.opus")
            for (file, frequency) in [(firstFile, 300.0), (secondFile, 2_000.0)] {
                let bytes = try RecorderFixture.read(file.path)
                #expect(OggPageScan(scanning: bytes).isCompleteStream)
                #expect(RecorderFixture.streamProblems(bytes).isEmpty)
                let pcm = try RecorderFixture.decode(file.path)
                #expect(RecorderFixture.energyShare(at: frequency, in: pcm.dropFirst(4_800)) > 0.8)
            }

            // The same room in the same second, twice more: new names, the first file untouched.
            let before = try RecorderFixture.read(firstFile.path)
            let again = try first.start(room: "alpha", startTime: Self.startTime, directory: directory)
            let third = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let yetAgain = try third.start(room: "alpha", startTime: Self.startTime, directory: directory)
            #expect(again.path == directory + "/alpha-20250501-093000-2.opus")
            #expect(yetAgain.path == directory + "/alpha-20250501-093000-3.opus")
            first.stop()
            third.stop()
            try #require(RecorderFixture.waitUntil { again.isClosed && yetAgain.isClosed })
            #expect(try RecorderFixture.read(firstFile.path) == before)
            #expect(OggPageScan(scanning: try RecorderFixture.read(again.path)).isCompleteStream)
        }
    }

    @Test("empty payloads are skipped and malformed ones rejected, both counted; the stream goes on")
    func emptyAndMalformedPayloads() throws {
        try RecorderFixture.withTemporaryDirectory { directory in
            let writer = try RecordingWriter()
            defer { writer.stop() }
            let encoder = try OpusEncoder()
            let packets = try RecorderFixture.tone(frequency: 440, frames: 10, encoder: encoder)
            let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder))
            let file = try recorder.start(room: "gaps", startTime: Self.startTime, directory: directory)
            recorder.append(packet: packets[0])
            recorder.append(packet: [])
            // Code 3 with a frame count of 0: no duration.
            recorder.append(packet: [0xFB, 0x00])
            for packet in packets.dropFirst() {
                recorder.append(packet: packet)
            }
            #expect(recorder.statistics.packets == 10)
            #expect(recorder.statistics.emptyPackets == 1)
            #expect(recorder.statistics.rejectedPackets == 1)
            #expect(recorder.state == .recording)
            recorder.stop()
            try #require(RecorderFixture.waitUntil { file.isClosed })
            let bytes = try RecorderFixture.read(file.path)
            #expect(OggPageScan(scanning: bytes).pages.last?.granulePosition == Int64(10 * 960))
        }
    }
}

/// Helpers shared by the recorder's suites.
enum RecorderFixture {
    /// Runs `body` with a new empty directory (its path), deleted afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-recorder-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.path)
    }

    /// `frames` 20 ms Opus packets of a sine at `frequency` (a third of full scale).
    static func tone(frequency: Double, frames: Int, encoder: OpusEncoder) throws -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var phase = 0.0
        let step = 2 * Double.pi * frequency / Double(Opus.sampleRate)
        for _ in 0..<frames {
            var pcm = [Int16](repeating: 0, count: Opus.samplesPer20ms * encoder.configuration.channels)
            for index in pcm.indices {
                pcm[index] = Int16(sin(phase) * 10_000)
                phase += step
            }
            packets.append(try encoder.encode(pcm))
        }
        return packets
    }

    /// Polls `condition` every millisecond for at most `seconds`; whether it became true.
    static func waitUntil(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(1_000)
        }
        return true
    }

    /// Waits until the writer has written everything `file` accepted.
    static func waitUntilWritten(_ file: RecordingFile) -> Bool {
        Self.waitUntil {
            let statistics = file.statistics
            return statistics.bytesPending == 0 && statistics.bytesWritten == statistics.bytesAccepted
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The permission bits of a file or directory.
    static func permissions(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int
    }

    /// The Ogg CRC computed here, independently of RTCAudio: polynomial 0x04C11DB7, initial value
    /// 0, not reflected, over the page with its CRC field zeroed.
    static func oggCRC(_ page: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0
        for (offset, byte) in page.enumerated() {
            let value = (22..<26).contains(offset) ? 0 : byte
            crc ^= UInt32(value) << 24
            for _ in 0..<8 {
                crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1
            }
        }
        return crc
    }

    /// What is wrong with the stream structure of a recording, page by page (empty when nothing):
    /// every page's CRC (recomputed here), one serial number, BOS first and only there, sequence
    /// numbers consecutive from 0 (increasing only, when `allowingGaps`), granule positions never
    /// decreasing, EOS only on the last page.
    static func streamProblems(_ bytes: [UInt8], allowingGaps: Bool = false) -> [String] {
        let scan = OggPageScan(scanning: bytes)
        var problems: [String] = []
        if let error = scan.tailError, error.code != .truncated {
            problems.append("damaged tail at \(scan.validLength): \(error)")
        }
        guard let first = scan.pages.first else { return ["no page"] }
        var granule: Int64 = 0
        for (index, page) in scan.pages.enumerated() {
            let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[page.offset + 22 + $1]) << (8 * $1) }
            if Self.oggCRC(bytes[page.offset..<page.endOffset]) != stored {
                problems.append("page \(index): CRC")
            }
            if page.serialNumber != first.serialNumber {
                problems.append("page \(index): serial number")
            }
            if page.isBeginningOfStream != (index == 0) {
                problems.append("page \(index): BOS flag")
            }
            if page.isEndOfStream && index != scan.pages.count - 1 {
                problems.append("page \(index): EOS before the last page")
            }
            if index > 0 {
                let previous = scan.pages[index - 1].sequenceNumber
                let ordered = allowingGaps ? page.sequenceNumber > previous : page.sequenceNumber == previous &+ 1
                if !ordered {
                    problems.append("page \(index): sequence \(page.sequenceNumber) after \(previous)")
                }
            } else if page.sequenceNumber != 0 {
                problems.append("page 0: sequence \(page.sequenceNumber)")
            }
            if page.granulePosition >= 0 {
                if page.granulePosition < granule {
                    problems.append("page \(index): granule \(page.granulePosition) after \(granule)")
                }
                granule = page.granulePosition
            }
        }
        return problems
    }

    /// A tool's exit status and what it printed.
    struct ToolResult {
        var status: Int32
        var output: String
        var outputData: Data
    }

    /// Runs a command-line tool found on the PATH; it is terminated if it runs for over 20 s.
    static func run(_ tool: String, _ arguments: [String], mergeErrors: Bool = true) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = mergeErrors ? output : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            // Only the process started here, by its id.
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return ToolResult(
            status: process.terminationStatus,
            output: String(decoding: data, as: UTF8.self),
            outputData: data
        )
    }

    /// What opusinfo says about a file.
    struct OpusInfo {
        var status: Int32
        var output: String
        var playbackSeconds: Double?
    }

    static func opusinfo(_ path: String) throws -> OpusInfo {
        let result = try Self.run("opusinfo", [path])
        var info = OpusInfo(status: result.status, output: result.output)
        for line in result.output.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("Playback length: ") else { continue }
            // "Playback length: 0m:02.993s"
            let parts = text.dropFirst("Playback length: ".count).dropLast().split(separator: ":")
            if parts.count == 2, let minutes = Double(parts[0].dropLast()), let seconds = Double(parts[1]) {
                info.playbackSeconds = minutes * 60 + seconds
            }
        }
        return info
    }

    /// ffprobe's view of a file's first stream.
    struct Probe {
        var status: Int32
        var codec: String?
        var duration: Double?
    }

    static func ffprobe(_ path: String) throws -> Probe {
        let result = try Self.run(
            "ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_name,duration", "-of", "default=noprint_wrappers=1", path],
            mergeErrors: false
        )
        var probe = Probe(status: result.status)
        for line in result.output.split(separator: "\n") {
            if line.hasPrefix("codec_name=") {
                probe.codec = String(line.dropFirst("codec_name=".count))
            } else if line.hasPrefix("duration=") {
                probe.duration = Double(line.dropFirst("duration=".count))
            }
        }
        return probe
    }

    /// Decodes a file with ffmpeg to mono 48 kHz 16-bit PCM; throws if ffmpeg fails.
    static func decode(_ path: String) throws -> [Int16] {
        let result = try Self.run(
            "ffmpeg",
            ["-v", "error", "-nostdin", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "48000", "-"],
            mergeErrors: false
        )
        try #require(result.status == 0, "ffmpeg failed on \(path)")
        return result.outputData.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count - 1, by: 2).map { offset in
                Int16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
            }
        }
    }

    /// The share of a signal's energy at `frequency` (Goertzel): about 1 for a pure tone there.
    static func energyShare(at frequency: Double, in samples: ArraySlice<Int16>) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(Opus.sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        var total = 0.0
        for sample in samples {
            let value = Double(sample)
            total += value * value
            let current = value + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        guard total > 0 else { return 0 }
        return 2 * power / (Double(samples.count) * total)
    }

    static func energyShare(at frequency: Double, in samples: [Int16]) -> Double {
        Self.energyShare(at: frequency, in: samples[...])
    }
}
