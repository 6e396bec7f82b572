import Foundation
import MediaRelay
import RTCAudio
import RTCWire
import Testing

/// SECURITY.md "recording on crash" and reliability promise 1: a process killed with SIGKILL
/// mid-recording leaves a file whose complete pages all have valid CRCs, with monotonic page
/// sequence numbers and non-decreasing granule positions, that decodes, and that misses at most
/// one flush interval (1 s) of what was encoded; recovery then closes it cleanly.
@Suite("Recorder crash")
struct RecorderCrashTests {
    /// The probe executable, built next to the test binary (`.build/<triple>/debug`).
    static func probePath() -> String? {
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((executable as NSString).deletingLastPathComponent)
        }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent)
        return candidates.map { $0 + "/RecorderCrashProbe" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The probe's output lines so far.
    static func lines(_ path: String) -> [Substring] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n")
    }

    /// The numbers on the last line starting with `prefix` (`encoded 126` gives [126]).
    static func last(_ prefix: String, in lines: [Substring]) -> [Int]? {
        guard let line = lines.last(where: { $0.hasPrefix(prefix + " ") }) else { return nil }
        return line.split(separator: " ").dropFirst().compactMap { Int($0) }
    }

    @Test(
        "SIGKILL mid-recording: valid pages, at most 1 s lost, decodable; repair makes opusinfo clean",
        .timeLimit(.minutes(1))
    )
    func killedMidRecording() throws {
        let probe = try #require(Self.probePath(), "RecorderCrashProbe not found next to the test binary")
        try RecorderFixture.withTemporaryDirectory { root in
            let directory = root + "/recordings"
            let outputPath = root + "/probe.out"
            #expect(FileManager.default.createFile(atPath: outputPath, contents: nil))
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: probe)
            // It stops by itself after 8 s if the kill never comes.
            process.arguments = [directory, "8"]
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            let started = Date()
            try process.run()
            let pid = process.processIdentifier
            defer {
                // Only the process started here, by its id (a no-op once it has been reaped).
                if process.isRunning {
                    kill(pid, SIGKILL)
                    process.waitUntilExit()
                }
                try? output.close()
            }

            // Kill about half a flush interval after the second flush (about 2.5 s in): the
            // recording then holds two flushed seconds, and half a second is pending.
            var killLines: [Substring] = []
            let ready = RecorderFixture.waitUntil(seconds: 7) {
                let lines = Self.lines(outputPath)
                guard let flushed = Self.last("flushed", in: lines), flushed.count == 2, flushed[0] >= 2,
                    let encoded = Self.last("encoded", in: lines)?.first, encoded >= flushed[1] + 25
                else { return false }
                killLines = lines
                return true
            }
            try #require(ready, "the probe did not flush twice in time: \(Self.lines(outputPath).suffix(3))")
            #expect(kill(pid, SIGKILL) == 0)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == SIGKILL)
            #expect(Date().timeIntervalSince(started) < 8)

            // What the probe had encoded when it was killed: at least its last line, at most a
            // few packets more (printed between the test's last read and the kill).
            let lines = Self.lines(outputPath)
            #expect(!lines.contains { $0.hasPrefix("stopped") })
            let encodedAtRead = try #require(Self.last("encoded", in: killLines)?.first)
            let encoded = try #require(Self.last("encoded", in: lines)?.first)
            let flushed = try #require(Self.last("flushed", in: lines))
            let path = try #require(lines.first { $0.hasPrefix("file ") }.map { String($0.dropFirst(5)) })
            #expect(path.hasPrefix(directory + "/crash-probe-"))
            #expect(encoded >= encodedAtRead)

            // Every complete page is sound; the file ends at a page boundary or in a partial page.
            let bytes = try RecorderFixture.read(path)
            let scan = OggPageScan(scanning: bytes)
            #expect(
                scan.tailError == nil || scan.tailError?.code == .truncated,
                "\(String(describing: scan.tailError))"
            )
            #expect(!scan.isCompleteStream, "a killed recorder cannot have written its EOS page")
            #expect(RecorderFixture.streamProblems(bytes).isEmpty, "\(RecorderFixture.streamProblems(bytes))")
            let granule = try #require(scan.pages.last { $0.granulePosition >= 0 }?.granulePosition)
            #expect(granule % 960 == 0)
            let recovered = Int(granule / 960)
            // Everything flushed before the last flush line is there, and at most 1 s (50 packets)
            // of what was encoded is missing.
            #expect(recovered >= flushed[1], "recovered \(recovered) packets, flushed \(flushed[1])")
            #expect(encoded - recovered <= 50, "lost \(encoded - recovered) packets of \(encoded)")
            #expect(recovered <= encoded)

            // Decodable as it is: opusinfo only warns that the stream has no end (exit status 1);
            // ffprobe reads it.
            let before = try RecorderFixture.opusinfo(path)
            #expect(before.status == 0 || before.status == 1)
            #expect(before.output.contains("Opus stream 1"), "\(before.output)")
            let warnings = before.output.split(separator: "\n").filter {
                $0.contains("WARNING") || $0.contains("ERROR")
            }
            #expect(warnings.allSatisfy { $0.contains("EOS not set") }, "\(warnings)")
            let probed = try RecorderFixture.ffprobe(path)
            #expect(probed.status == 0)
            #expect(probed.codec == "opus")
            let duration = try #require(probed.duration)
            #expect(abs(duration - Double(recovered) * 0.02) < 0.04, "ffprobe \(duration) s, \(recovered) packets")

            // Repair on restart: truncated to the last whole page, closed with an EOS page.
            let report = try RecordingRecovery.repair(directory: directory)
            #expect(report.failures.isEmpty)
            let repair = try #require(report.files.first)
            #expect(report.files.count == 1)
            #expect(repair.outcome == .repaired)
            #expect(repair.path == path)
            #expect(repair.originalLength == bytes.count)
            #expect(repair.granulePosition == granule)
            let repaired = try RecorderFixture.read(path)
            #expect(repaired.count == repair.length)
            #expect(Array(repaired.prefix(scan.validLength)) == Array(bytes.prefix(scan.validLength)))
            #expect(OggPageScan(scanning: repaired).isCompleteStream)
            #expect(RecorderFixture.streamProblems(repaired).isEmpty)
            let after = try RecorderFixture.opusinfo(path)
            #expect(after.status == 0, "\(after.output)")
            #expect(!after.output.contains("WARNING"), "\(after.output)")
            let playback = try #require(after.playbackSeconds)
            // The probe records with the default encoder: its lookahead is the file's pre-skip.
            let preSkip = try OpusEncoder(configuration: .init(bitrate: 8_000)).lookahead
            #expect(abs(playback - Double(Int(granule) - preSkip) / 48_000) < 0.002)
            let pcm = try RecorderFixture.decode(path)
            #expect(RecorderFixture.energyShare(at: 440, in: pcm.dropFirst(4_800)) > 0.9)
            // A second pass finds nothing left to do.
            #expect(try RecordingRecovery.repair(directory: directory).files.map(\.outcome) == [.complete])
        }
    }
}
