import Foundation
import Testing

@testable import RTCAudio

/// Recordings made with the real encoder and writer, and the external tools that judge them
/// (opusinfo, opusdec and ffprobe, installed by Tools/bootstrap.sh).
enum OggFixture {
    /// A recording and what the writer was doing while making it.
    struct Recording {
        /// The whole file, as the writer appended it.
        var bytes: [UInt8]
        /// The pre-skip written in OpusHead (the encoder's lookahead).
        var preSkip: Int
        /// Audio packets written.
        var packetCount: Int
        /// After each flush (the first right after creation, for the headers): the file's length,
        /// which is what was on disk at that moment, and the packets written so far.
        var flushes: [(length: Int, packets: Int)]
        /// The writer's configuration.
        var configuration: OggOpusWriter.Configuration
    }

    static let version = "0.1.0-test"

    /// Interleaved 16-bit PCM for `frames` 20 ms frames: channel n is a sine at `frequencies[n]`.
    static func tone(frames: Int, frequencies: [Double], amplitude: Double = 12_000) -> [Int16] {
        let samples = Opus.samplesPer20ms * frames
        var pcm: [Int16] = []
        pcm.reserveCapacity(samples * frequencies.count)
        for index in 0..<samples {
            for frequency in frequencies {
                let phase = 2 * Double.pi * frequency * Double(index) / Double(Opus.sampleRate)
                pcm.append(Int16(amplitude * sin(phase)))
            }
        }
        return pcm
    }

    /// Encodes `frames` 20 ms frames of a tone (440 Hz left, 660 Hz right) and writes them through
    /// an ``OggOpusWriter``, flushing every `flushEvery` packets.
    static func record(
        frames: Int = 150,
        channels: Int = 1,
        bitrate: Int = 32_000,
        flushEvery: Int = 50,
        room: String = "weekly-sync",
        startTime: String = "2025-05-01T09:30:00Z",
        comments: [String] = [],
        finish: Bool = true
    ) throws -> Recording {
        let encoder = try OpusEncoder(
            configuration: .init(channels: channels, application: .audio, bitrate: bitrate)
        )
        let configuration = OggOpusWriter.Configuration(
            encoder: encoder,
            serialNumber: 0x5041_524C,
            room: room,
            startTime: startTime,
            version: Self.version,
            comments: comments
        )
        let writer = try OggOpusWriter(configuration: configuration)
        var bytes: [UInt8] = []
        writer.flush(into: &bytes)
        var flushes = [(length: bytes.count, packets: 0)]
        let pcm = Self.tone(frames: frames, frequencies: Array([440.0, 660.0].prefix(channels)))
        let frameSamples = Opus.samplesPer20ms * channels
        for frame in 0..<frames {
            let packet = try encoder.encode(Array(pcm[(frame * frameSamples)..<((frame + 1) * frameSamples)]))
            try writer.write(packet, into: &bytes)
            if (frame + 1) % flushEvery == 0 {
                writer.flush(into: &bytes)
                flushes.append((bytes.count, frame + 1))
            }
        }
        if finish {
            try writer.finish(into: &bytes)
            flushes.append((bytes.count, frames))
        }
        return Recording(
            bytes: bytes,
            preSkip: configuration.preSkip,
            packetCount: frames,
            flushes: flushes,
            configuration: configuration
        )
    }

    /// Runs `body` with a new empty directory under the system's temporary directory, and deletes
    /// the directory afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-ogg-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Writes `bytes` to `name` in `directory`.
    static func write(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// A tool's exit status and its standard output (and standard error, when `mergeErrors`).
    struct ToolResult {
        var status: Int32
        var output: String
        var outputData: Data
    }

    /// Runs a command-line tool found on the PATH.
    static func run(_ tool: String, _ arguments: [String], mergeErrors: Bool = true) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = mergeErrors ? output : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
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
        var channels: Int?
        var preSkip: Int?
        var playbackSeconds: Double?
    }

    static func opusinfo(_ file: URL) throws -> OpusInfo {
        let result = try Self.run("opusinfo", [file.path])
        var info = OpusInfo(status: result.status, output: result.output)
        for line in result.output.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Channels: ") {
                info.channels = Int(text.dropFirst("Channels: ".count))
            } else if text.hasPrefix("Pre-skip: ") {
                info.preSkip = Int(text.dropFirst("Pre-skip: ".count))
            } else if text.hasPrefix("Playback length: ") {
                // "Playback length: 0m:02.993s"
                let value = text.dropFirst("Playback length: ".count).dropLast()
                let parts = value.split(separator: ":")
                if parts.count == 2, let minutes = Double(parts[0].dropLast()), let seconds = Double(parts[1]) {
                    info.playbackSeconds = minutes * 60 + seconds
                }
            }
        }
        return info
    }

    /// ffprobe's view of the first stream (`-show_streams -of json`).
    struct Probe {
        var status: Int32
        var codec: String?
        var sampleRate: Int?
        var channels: Int?
        var duration: Double?
        var tags: [String: String]
    }

    static func ffprobe(_ file: URL) throws -> Probe {
        let result = try Self.run(
            "ffprobe",
            ["-v", "error", "-show_streams", "-of", "json", file.path],
            mergeErrors: false
        )
        var probe = Probe(status: result.status, tags: [:])
        let json = try? JSONSerialization.jsonObject(with: result.outputData) as? [String: Any]
        guard let streams = json?["streams"] as? [[String: Any]], let stream = streams.first else {
            return probe
        }
        probe.codec = stream["codec_name"] as? String
        probe.sampleRate = (stream["sample_rate"] as? String).flatMap { Int($0) }
        probe.channels = stream["channels"] as? Int
        probe.duration = (stream["duration"] as? String).flatMap { Double($0) }
        for (key, value) in stream["tags"] as? [String: Any] ?? [:] {
            probe.tags[key.uppercased()] = value as? String
        }
        return probe
    }

    /// Decodes a file with opusdec (pre-skip and end trimming applied) to interleaved 16-bit PCM.
    static func opusdec(_ file: URL, in directory: URL) throws -> (status: Int32, pcm: [Int16]) {
        let raw = directory.appendingPathComponent(file.lastPathComponent + ".raw")
        let result = try Self.run("opusdec", ["--quiet", "--rate", "48000", file.path, raw.path])
        let data = (try? Data(contentsOf: raw)) ?? Data()
        let pcm = data.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count - 1, by: 2).map { offset in
                Int16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
            }
        }
        return (result.status, pcm)
    }

    /// The share of a signal's energy at `frequency` (Goertzel), 0 to about 1 for a pure tone.
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

    /// One channel of interleaved PCM.
    static func channel(_ index: Int, of pcm: [Int16], channels: Int) -> [Int16] {
        stride(from: index, to: pcm.count, by: channels).map { pcm[$0] }
    }
}

/// A small deterministic generator (SplitMix64), so that "random" cut points repeat run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value &>> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value &>> 31)
    }
}

extension OggFixture {
    /// The OpusTags packet of a file, reassembled from its pages, split into the vendor string and
    /// the comments.
    static func tags(of bytes: [UInt8], scan: OggPageScan) -> (vendor: String, comments: [String])? {
        // The second packet of the stream: on page 1, and on the following pages while it continues.
        var packet: [UInt8] = []
        for page in scan.pages.dropFirst() {
            guard let part = page.packets(in: bytes.span).first else { return nil }
            packet += bytes[part.range]
            if part.isComplete { break }
        }
        guard packet.count >= 16, packet.prefix(8).elementsEqual("OpusTags".utf8) else { return nil }
        var offset = 8
        func readLength() -> Int? {
            guard offset + 4 <= packet.count else { return nil }
            let value = (0..<4).reduce(0) { $0 | Int(packet[offset + $1]) << (8 * $1) }
            offset += 4
            return value
        }
        func readString() -> String? {
            guard let length = readLength(), offset + length <= packet.count else { return nil }
            defer { offset += length }
            return String(decoding: packet[offset..<(offset + length)], as: UTF8.self)
        }
        guard let vendor = readString(), let count = readLength(), count < 1000 else { return nil }
        var comments: [String] = []
        for _ in 0..<count {
            guard let comment = readString() else { return nil }
            comments.append(comment)
        }
        return (vendor, comments)
    }

    /// Checks the rules every Parley recording keeps, complete or cut short: pages all valid and
    /// contiguous from the start, one serial number, sequence numbers 0, 1, 2..., granule positions
    /// never decreasing, BOS on the first page only, OpusHead alone on it with the configured
    /// fields, OpusTags ending its own page(s) with granule 0, EOS at most on the last page; and
    /// libogg reads the same pages without skipping a byte.
    static func checkStructure(
        _ bytes: [UInt8],
        preSkip: Int,
        channels: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> OggPageScan {
        let scan = OggPageScan(scanning: bytes)
        let pages = scan.pages
        #expect(pages.count >= 3, "pages \(pages.count)", sourceLocation: sourceLocation)
        guard let first = pages.first else { return scan }
        for (index, page) in pages.enumerated() {
            #expect(page.sequenceNumber == UInt32(index), sourceLocation: sourceLocation)
            #expect(page.serialNumber == first.serialNumber, sourceLocation: sourceLocation)
            #expect(page.isBeginningOfStream == (index == 0), sourceLocation: sourceLocation)
            #expect(!page.isEndOfStream || index == pages.count - 1, sourceLocation: sourceLocation)
            #expect(page.length <= OggPage.maximumLength, sourceLocation: sourceLocation)
        }
        let granules = pages.map(\.granulePosition).filter { $0 >= 0 }
        #expect(granules == granules.sorted(), "granules decrease: \(granules)", sourceLocation: sourceLocation)
        // OpusHead, alone on the BOS page.
        let headParts = first.packets(in: bytes.span)
        #expect(headParts.count == 1 && headParts[0].isComplete, sourceLocation: sourceLocation)
        #expect(first.granulePosition == 0, sourceLocation: sourceLocation)
        let head = Array(bytes[first.bodyRange])
        let expectedHead: [UInt8] =
            Array("OpusHead".utf8) + [1, UInt8(channels), UInt8(preSkip & 0xFF), UInt8(preSkip >> 8)]
            + [0x80, 0xBB, 0, 0] + [0, 0] + [0]
        #expect(head == expectedHead, "OpusHead \(head)", sourceLocation: sourceLocation)
        // OpusTags: a fresh packet on page 1 that ends a page with granule 0; audio starts afresh.
        let tagPages = pages.dropFirst().prefix { page in
            page.packets(in: bytes.span).last?.isComplete == false
        }
        let lastTagPage = pages[min(1 + tagPages.count, pages.count - 1)]
        #expect(!pages[1].isContinuation, sourceLocation: sourceLocation)
        #expect(lastTagPage.completedPacketCount == 1, sourceLocation: sourceLocation)
        #expect(lastTagPage.granulePosition == 0, sourceLocation: sourceLocation)
        if let firstAudio = pages.dropFirst(2 + tagPages.count).first {
            #expect(!firstAudio.isContinuation, sourceLocation: sourceLocation)
            #expect(firstAudio.granulePosition > 0, sourceLocation: sourceLocation)
        }
        // libogg agrees, page for page, and checked every CRC on its way.
        let libogg = LiboggSync.pages(in: bytes)
        #expect(libogg.skips == 0, sourceLocation: sourceLocation)
        #expect(
            libogg.pages.map(\.sequenceNumber) == pages.map { Int($0.sequenceNumber) },
            sourceLocation: sourceLocation
        )
        #expect(libogg.pages.map(\.granulePosition) == pages.map(\.granulePosition), sourceLocation: sourceLocation)
        #expect(libogg.pages.map(\.length) == pages.map(\.length), sourceLocation: sourceLocation)
        #expect(libogg.pages.map(\.isEndOfStream) == pages.map(\.isEndOfStream), sourceLocation: sourceLocation)
        return scan
    }
}
