import Foundation
import RTCWire
import Testing

@testable import RTCAudio

@Suite("Ogg Opus writer")
struct OggOpusWriterTests {
    @Test("3 s of a mono tone: opusinfo, ffprobe and opusdec agree on channels, pre-skip, duration, pitch")
    func monoToneFile() throws {
        let recording = try OggFixture.record(frames: 150, channels: 1)
        let scan = OggFixture.checkStructure(recording.bytes, preSkip: recording.preSkip, channels: 1)
        #expect(scan.isCompleteStream)
        #expect(scan.validLength == recording.bytes.count)
        #expect(scan.pages.last?.granulePosition == Int64(150 * 960))
        #expect(recording.preSkip > 0 && recording.preSkip < 960)

        try OggFixture.withTemporaryDirectory { directory in
            let file = try OggFixture.write(recording.bytes, named: "tone.opus", in: directory)
            let info = try OggFixture.opusinfo(file)
            #expect(info.status == 0, "\(info.output)")
            #expect(!info.output.contains("WARNING"), "\(info.output)")
            #expect(info.channels == 1)
            #expect(info.preSkip == recording.preSkip)
            let expected = Double(150 * 960 - recording.preSkip) / 48_000
            let playback = try #require(info.playbackSeconds, "\(info.output)")
            #expect(abs(playback - expected) < 0.002, "opusinfo \(playback) s, expected \(expected) s")
            #expect(abs(playback - 3) < 0.04)

            let probe = try OggFixture.ffprobe(file)
            #expect(probe.status == 0)
            #expect(probe.codec == "opus")
            #expect(probe.sampleRate == 48_000)
            #expect(probe.channels == 1)
            let duration = try #require(probe.duration)
            #expect(abs(duration - 3) < 0.04, "ffprobe duration \(duration) s")

            let decoded = try OggFixture.opusdec(file, in: directory)
            #expect(decoded.status == 0)
            #expect(decoded.pcm.count == 150 * 960 - recording.preSkip)
            let middle = decoded.pcm[24_000..<72_000]
            #expect(OggFixture.energyShare(at: 440, in: middle) > 0.8)
            #expect(OggFixture.energyShare(at: 660, in: middle) < 0.01)
        }
    }

    @Test("a stereo file has two channels, each with its own tone")
    func stereoToneFile() throws {
        let recording = try OggFixture.record(frames: 150, channels: 2)
        let scan = OggFixture.checkStructure(recording.bytes, preSkip: recording.preSkip, channels: 2)
        #expect(scan.isCompleteStream)
        try OggFixture.withTemporaryDirectory { directory in
            let file = try OggFixture.write(recording.bytes, named: "stereo.opus", in: directory)
            let info = try OggFixture.opusinfo(file)
            #expect(info.status == 0, "\(info.output)")
            #expect(info.channels == 2)
            #expect(info.preSkip == recording.preSkip)
            let playback = try #require(info.playbackSeconds)
            #expect(abs(playback - 3) < 0.04)

            let probe = try OggFixture.ffprobe(file)
            #expect(probe.codec == "opus")
            #expect(probe.sampleRate == 48_000)
            #expect(probe.channels == 2)
            #expect(abs((probe.duration ?? 0) - 3) < 0.04)

            let decoded = try OggFixture.opusdec(file, in: directory)
            #expect(decoded.pcm.count == 2 * (150 * 960 - recording.preSkip))
            let left = OggFixture.channel(0, of: decoded.pcm, channels: 2)
            let right = OggFixture.channel(1, of: decoded.pcm, channels: 2)
            #expect(OggFixture.energyShare(at: 440, in: left[24_000..<72_000]) > 0.8)
            #expect(OggFixture.energyShare(at: 660, in: right[24_000..<72_000]) > 0.8)
        }
    }

    @Test("OpusTags carry the vendor, room, start time, encoder and the caller's comments")
    func tags() throws {
        let recording = try OggFixture.record(
            frames: 10,
            room: "Salle Émile-Zola / 3",
            startTime: "2025-05-01T09:30:00Z",
            comments: ["TITLE=Weekly sync", "language=fr"]
        )
        let scan = OggFixture.checkStructure(recording.bytes, preSkip: recording.preSkip, channels: 1)
        let tags = try #require(OggFixture.tags(of: recording.bytes, scan: scan))
        #expect(tags.vendor == "Parley \(OggFixture.version)")
        #expect(
            tags.comments == [
                "ROOM=Salle Émile-Zola / 3",
                "START=2025-05-01T09:30:00Z",
                "ENCODER=Parley \(OggFixture.version)",
                "TITLE=Weekly sync",
                "language=fr",
            ]
        )
        try OggFixture.withTemporaryDirectory { directory in
            let file = try OggFixture.write(recording.bytes, named: "tags.opus", in: directory)
            let info = try OggFixture.opusinfo(file)
            #expect(info.status == 0)
            #expect(info.output.contains("Parley \(OggFixture.version)"))
            #expect(info.output.contains("ROOM=Salle Émile-Zola / 3"))
            #expect(info.output.contains("START=2025-05-01T09:30:00Z"))
            let probe = try OggFixture.ffprobe(file)
            #expect(probe.tags["ROOM"] == "Salle Émile-Zola / 3")
            #expect(probe.tags["START"] == "2025-05-01T09:30:00Z")
            #expect(probe.tags["ENCODER"] == "Parley \(OggFixture.version)")
        }
    }

    @Test("a comment longer than a page spreads OpusTags over several pages; audio still starts afresh")
    func longTags() throws {
        let long = "NOTES=" + String(repeating: "0123456789", count: 10_000)
        let recording = try OggFixture.record(frames: 100, comments: [long])
        let scan = OggFixture.checkStructure(recording.bytes, preSkip: recording.preSkip, channels: 1)
        let tagPages = scan.pages.dropFirst().prefix { $0.granulePosition == -1 }
        #expect(tagPages.count >= 1, "the tags packet should not fit one page")
        let tags = try #require(OggFixture.tags(of: recording.bytes, scan: scan))
        #expect(tags.comments.last == long)
        try OggFixture.withTemporaryDirectory { directory in
            let file = try OggFixture.write(recording.bytes, named: "long-tags.opus", in: directory)
            let info = try OggFixture.opusinfo(file)
            #expect(info.status == 0, "\(info.output)")
            #expect(abs((info.playbackSeconds ?? 0) - 2) < 0.04)
        }
    }

    @Test("flush writes the headers first, then one page whenever packets are pending, nothing otherwise")
    func flushOnDemand() throws {
        let encoder = try OpusEncoder()
        let writer = try OggOpusWriter(
            configuration: .init(encoder: encoder, serialNumber: 7, room: "r", startTime: "t", version: "1")
        )
        var bytes: [UInt8] = []
        #expect(!writer.hasPendingData)
        #expect(writer.flush(into: &bytes) == 2)
        #expect(OggPageScan(scanning: bytes).pages.count == 2)
        let headerLength = bytes.count
        #expect(writer.flush(into: &bytes) == 0)
        #expect(bytes.count == headerLength)

        let pcm = OggFixture.tone(frames: 1, frequencies: [440])
        for index in 1...20 {
            let before = bytes.count
            try writer.write(encoder.encode(pcm), into: &bytes)
            #expect(bytes.count == before, "a 20 ms packet should not fill a page")
            #expect(writer.hasPendingData)
            #expect(writer.flush(into: &bytes) == 1)
            #expect(!writer.hasPendingData)
            let page = try OggPage(parsing: bytes, at: before)
            #expect(page.endOffset == bytes.count)
            #expect(page.completedPacketCount == 1)
            #expect(page.granulePosition == Int64(index * 960))
            #expect(page.sequenceNumber == UInt32(index + 1))
            #expect(writer.flush(into: &bytes) == 0)
            #expect(bytes.count == page.endOffset)
        }
        #expect(writer.granulePosition == 20 * 960)
        #expect(writer.packetCount == 20)
        #expect(writer.pageCount == 22)
    }

    @Test("without flushes, pages come out by themselves when full, each below the page limit")
    func pagesWhenFull() throws {
        let encoder = try OpusEncoder(configuration: .init(application: .audio, bitrate: 128_000))
        let writer = try OggOpusWriter(
            configuration: .init(encoder: encoder, serialNumber: 7, room: "r", startTime: "t", version: "1")
        )
        var bytes: [UInt8] = []
        let pcm = OggFixture.tone(frames: 200, frequencies: [440])
        var pageCounts: [Int] = []
        for frame in 0..<200 {
            try writer.write(encoder.encode(Array(pcm[(frame * 960)..<((frame + 1) * 960)])), into: &bytes)
            pageCounts.append(writer.pageCount)
        }
        // About 320 bytes a packet: libogg closes a page near 4 KiB, so every 13 packets or so.
        #expect(writer.pageCount > 2 + 10)
        let scan = OggPageScan(scanning: bytes)
        #expect(scan.tailError == nil)
        #expect(scan.pages.count == writer.pageCount)
        #expect(scan.pages.dropFirst(2).allSatisfy { $0.bodyLength < 8192 })
        try writer.finish(into: &bytes)
        _ = OggFixture.checkStructure(bytes, preSkip: encoder.lookahead, channels: 1)
    }

    @Test("finish marks EOS with the final granule, with or without pending packets, and only once")
    func finishWritesEOS() throws {
        // Pending packets: they go out on the EOS page.
        let pending = try OggFixture.record(frames: 75, flushEvery: 50)
        let pendingScan = OggFixture.checkStructure(pending.bytes, preSkip: pending.preSkip, channels: 1)
        let last = try #require(pendingScan.pages.last)
        #expect(last.isEndOfStream)
        #expect(last.granulePosition == 75 * 960)
        #expect(last.completedPacketCount == 25 + 1)

        // Nothing pending (finish right after a flush): an EOS page with only the end packet.
        let flushed = try OggFixture.record(frames: 100, flushEvery: 50)
        let flushedScan = OggFixture.checkStructure(flushed.bytes, preSkip: flushed.preSkip, channels: 1)
        let eos = try #require(flushedScan.pages.last)
        #expect(eos.isEndOfStream)
        #expect(eos.granulePosition == 100 * 960)
        #expect(flushedScan.pages.dropLast().last?.granulePosition == Int64(100 * 960))
        #expect(eos.completedPacketCount == 1)
        #expect(eos.bodyLength == 1)
        try OggFixture.withTemporaryDirectory { directory in
            for (name, recording) in [("pending.opus", pending), ("flushed.opus", flushed)] {
                let file = try OggFixture.write(recording.bytes, named: name, in: directory)
                let info = try OggFixture.opusinfo(file)
                #expect(info.status == 0, "\(info.output)")
                #expect(!info.output.contains("WARNING"), "\(info.output)")
                let expected = Double(recording.packetCount * 960 - recording.preSkip) / 48_000
                #expect(abs((info.playbackSeconds ?? 0) - expected) < 0.002)
                // The end packet is trimmed away entirely: exactly the audio written decodes.
                let decoded = try OggFixture.opusdec(file, in: directory)
                #expect(decoded.pcm.count == recording.packetCount * 960 - recording.preSkip)
            }
        }

        // A second finish, a flush after finish, a write after finish.
        let encoder = try OpusEncoder()
        let writer = try OggOpusWriter(
            configuration: .init(encoder: encoder, serialNumber: 1, room: "r", startTime: "t", version: "1")
        )
        var bytes: [UInt8] = []
        try writer.write(encoder.encode(OggFixture.tone(frames: 1, frequencies: [440])), into: &bytes)
        // The write handed out the two header pages; finish adds the EOS page.
        #expect(OggPageScan(scanning: bytes).pages.count == 2)
        #expect(try writer.finish(into: &bytes) == 1)
        #expect(writer.isFinished)
        let length = bytes.count
        #expect(try writer.finish(into: &bytes) == 0)
        #expect(writer.flush(into: &bytes) == 0)
        let error = #expect(throws: OggError.self) {
            try writer.write(encoder.encode(OggFixture.tone(frames: 1, frequencies: [440])), into: &bytes)
        }
        #expect(error?.code == .finished)
        #expect(bytes.count == length)
    }

    @Test("a recording with no audio still ends with an EOS page and reads as empty")
    func emptyRecording() throws {
        let recording = try OggFixture.record(frames: 0)
        let scan = OggPageScan(scanning: recording.bytes)
        #expect(scan.isCompleteStream)
        #expect(scan.pages.count == 3)
        #expect(scan.pages.last?.granulePosition == Int64(recording.preSkip))
        #expect(LiboggSync.pages(in: recording.bytes).skips == 0)
        try OggFixture.withTemporaryDirectory { directory in
            let file = try OggFixture.write(recording.bytes, named: "empty.opus", in: directory)
            let decoded = try OggFixture.opusdec(file, in: directory)
            #expect(decoded.status == 0)
            #expect(decoded.pcm.count == 0)
        }
    }

    @Test("settings and packets the writer refuses are errors, and leave the output untouched")
    func refusals() throws {
        func configuration(
            channels: Int = 1,
            preSkip: Int = 312,
            comments: [String] = []
        ) -> OggOpusWriter.Configuration {
            .init(
                serialNumber: 1,
                channels: channels,
                preSkip: preSkip,
                room: "r",
                startTime: "t",
                version: "1",
                comments: comments
            )
        }
        for bad in [
            configuration(channels: 0), configuration(channels: 3), configuration(preSkip: -1),
            configuration(preSkip: 65_536), configuration(comments: ["NOEQUALS"]), configuration(comments: ["=x"]),
            configuration(comments: ["NA~ME=x"]), configuration(comments: ["NA\nME=x"]),
        ] {
            let error = #expect(throws: OggError.self) { _ = try OggOpusWriter(configuration: bad) }
            #expect(error?.code == .invalidArgument)
        }
        #expect(throws: Never.self) {
            _ = try OggOpusWriter(
                configuration: configuration(channels: 2, preSkip: 65_535, comments: ["A=", "B=c=d"])
            )
        }

        let writer = try OggOpusWriter(configuration: configuration())
        var bytes: [UInt8] = []
        writer.flush(into: &bytes)
        let length = bytes.count
        // Empty; a code 3 TOC without its frame count byte; code 3 with 0 frames.
        for packet: [UInt8] in [[], [0x03], [0x03, 0x00]] {
            let error = #expect(throws: OggError.self) { try writer.write(packet, into: &bytes) }
            #expect(error?.code == .invalidPacket)
        }
        #expect(bytes.count == length)
        #expect(!writer.hasPendingData)
        #expect(writer.granulePosition == 0)
        #expect(writer.packetCount == 0)
    }
}
