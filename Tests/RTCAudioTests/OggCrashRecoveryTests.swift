import Foundation
import RTCWire
import Testing

@testable import RTCAudio

/// SECURITY.md, "recording on crash": a recording cut short at any byte keeps every page completed
/// before the cut, with valid CRCs, and loses at most one flush interval (1 s) of audio.
///
/// A recorder appends each batch of pages to its file as the writer produces them; the process may
/// die in the middle of writing a page. The state on disk is then a prefix of the full file: every
/// byte up to the last flush, and part of what followed.
@Suite("Ogg crash recovery")
struct OggCrashRecoveryTests {
    // 64 kbit/s fills a 4 KiB page in about half a second, so between two flushes (every 50
    // packets, 1 s) libogg also emits full pages by itself: both kinds of page boundary are cut.
    static func recording() throws -> OggFixture.Recording {
        try OggFixture.record(frames: 300, bitrate: 64_000, flushEvery: 50)
    }

    // The flush index k such that bytes at `cut` were being written between flush k-1 and flush k.
    static func interval(containing cut: Int, in flushes: [(length: Int, packets: Int)]) -> Int? {
        flushes.indices.dropFirst().first { flushes[$0 - 1].length < cut && cut <= flushes[$0].length }
    }

    @Test("cut inside the page after each flush: every earlier page recovered, nothing flushed lost")
    func cutAfterEachFlush() throws {
        let recording = try Self.recording()
        let full = OggFixture.checkStructure(recording.bytes, preSkip: recording.preSkip, channels: 1)
        #expect(full.isCompleteStream)
        #expect(recording.flushes.count == 8)
        #expect(full.pages.count > recording.flushes.count + 2, "pages should also fill between flushes")
        var random = SplitMix64(state: 0x0CCA_5E)
        for (index, flush) in recording.flushes.enumerated().dropLast() {
            // The page written next, the one the crash interrupts.
            let next = try #require(full.pages.first { $0.offset == flush.length })
            var cuts = [flush.length + 1, flush.length + 27, next.endOffset - 1]
            for _ in 0..<8 {
                cuts.append(flush.length + 1 + Int(random.next() % UInt64(next.length - 1)))
            }
            for cut in cuts {
                let onDisk = Array(recording.bytes[..<cut])
                let scan = OggPageScan(scanning: onDisk)
                #expect(scan.validLength == flush.length, "cut at \(cut)")
                #expect(scan.tailError?.code == .truncated)
                #expect(scan.tailError?.offset == flush.length)
                #expect(scan.pages == Array(full.pages.prefix(scan.pages.count)))
                #expect(!scan.isCompleteStream)
                // libogg finds the same complete pages and no damage: it waits for the rest.
                let libogg = LiboggSync.pages(in: onDisk)
                #expect(libogg.skips == 0)
                #expect(libogg.pages.count == scan.pages.count)
                // Everything flushed is there; what was lost was written after the last flush.
                let recovered = scan.pages.last { $0.granulePosition >= 0 }?.granulePosition ?? -1
                #expect(recovered == Int64(flush.packets * 960), "cut at \(cut)")
                let written = recording.flushes[index + 1].packets * 960
                #expect(Int64(written) - recovered <= 48_000)
            }
        }
    }

    @Test("cut at any byte: the valid prefix ends at the last whole page, at most 1 s is lost")
    func cutAnywhere() throws {
        let recording = try Self.recording()
        let full = OggPageScan(scanning: recording.bytes)
        let ends = [0] + full.pages.map(\.endOffset)
        var random = SplitMix64(state: 0xD15C)
        for _ in 0..<300 {
            let cut = 1 + Int(random.next() % UInt64(recording.bytes.count - 1))
            let scan = OggPageScan(scanning: Array(recording.bytes[..<cut]))
            let lastEnd = ends.last { $0 <= cut } ?? 0
            #expect(scan.validLength == lastEnd, "cut at \(cut)")
            #expect(scan.tailError?.code == (lastEnd == cut ? nil : .truncated))
            #expect(scan.pages.count == ends.firstIndex(of: lastEnd))
            let interval = try #require(Self.interval(containing: cut, in: recording.flushes))
            // By the time byte `cut` was written, at most this many packets had been given to the writer.
            let written = Int64(recording.flushes[interval].packets * 960)
            let recovered = max(0, scan.pages.last { $0.granulePosition >= 0 }?.granulePosition ?? 0)
            #expect(written - recovered <= 48_000, "cut at \(cut): lost \(written - recovered) samples")

            // The repair a recorder makes on restart: keep the whole pages, append an EOS page.
            let onDisk = Array(recording.bytes[..<cut])
            guard cut >= recording.flushes[0].length else {
                #expect(OggOpusRecovery(recovering: onDisk) == nil, "headers incomplete at \(cut)")
                continue
            }
            let recovery = try #require(OggOpusRecovery(recovering: onDisk), "cut at \(cut)")
            #expect(recovery.length == scan.validLength)
            #expect(recovery.granulePosition == max(recovered, Int64(recording.preSkip)))
            let repaired = Array(onDisk[..<recovery.length]) + recovery.closingPage
            let repairedScan = OggPageScan(scanning: repaired)
            #expect(repairedScan.isCompleteStream)
            #expect(repairedScan.pages.dropLast() == scan.pages[...])
            #expect(repairedScan.pages.last?.sequenceNumber == UInt32(scan.pages.count))
            #expect(repairedScan.pages.last?.granulePosition == recovery.granulePosition)
            #expect(LiboggSync.pages(in: repaired).skips == 0)
        }
    }

    @Test("recovery leaves a complete file alone and refuses files with nothing to keep")
    func recoveryEdges() throws {
        let recording = try OggFixture.record(frames: 60, channels: 2)
        let complete = try #require(OggOpusRecovery(recovering: recording.bytes))
        #expect(complete.length == recording.bytes.count)
        #expect(complete.closingPage.isEmpty)
        #expect(complete.granulePosition == Int64(60 * 960))
        // Bytes after the EOS page are not part of the stream.
        let extended = try #require(OggOpusRecovery(recovering: recording.bytes + Array("OggS junk".utf8)))
        #expect(extended.length == recording.bytes.count)

        // Stereo, cut mid-stream: the end packet is a TOC byte in the last packet's configuration.
        let unfinished = try OggFixture.record(frames: 60, channels: 2, flushEvery: 25, finish: false)
        let cut = Array(unfinished.bytes.dropLast(10))
        let recovery = try #require(OggOpusRecovery(recovering: cut))
        let scan = OggPageScan(scanning: cut)
        let lastPage = try #require(scan.pages.last)
        let lastPacket = try #require(lastPage.packets(in: cut.span).last)
        #expect(recovery.granulePosition == Int64(25 * 960), "the page flushed at 50 packets was cut")
        let closing = try OggPage(parsing: recovery.closingPage, at: 0)
        #expect(closing.isEndOfStream && !closing.isBeginningOfStream && !closing.isContinuation)
        #expect(closing.serialNumber == lastPage.serialNumber)
        #expect(recovery.closingPage[closing.bodyRange] == [cut[lastPacket.range.lowerBound] & 0xFC])
        #expect(cut[lastPacket.range.lowerBound] & 0x04 == 0x04, "stereo TOC")

        // Nothing to recover: no bytes, not Ogg, OpusHead alone, OpusTags unfinished.
        #expect(OggOpusRecovery(recovering: [UInt8]()) == nil)
        #expect(OggOpusRecovery(recovering: Array("RIFF....WAVEfmt ".utf8)) == nil)
        let headPage = try OggPage(parsing: recording.bytes, at: 0)
        #expect(OggOpusRecovery(recovering: Array(recording.bytes[..<headPage.endOffset])) == nil)
        let long = "NOTES=" + String(repeating: "x", count: 70_000)
        let longTags = try OggFixture.record(frames: 5, comments: [long])
        let longScan = OggPageScan(scanning: longTags.bytes)
        #expect(OggOpusRecovery(recovering: Array(longTags.bytes[..<longScan.pages[1].endOffset])) == nil)
        let afterTags = try #require(OggOpusRecovery(recovering: Array(longTags.bytes[..<longScan.pages[2].endOffset])))
        #expect(afterTags.length == longScan.pages[2].endOffset)
        #expect(afterTags.granulePosition == Int64(longTags.preSkip))
        // Something that is not Opus in the BOS page.
        var notOpus = recording.bytes
        notOpus[headPage.bodyRange.lowerBound] = UInt8(ascii: "V")
        #expect(OggOpusRecovery(recovering: notOpus) == nil)
    }

    @Test("a file cut short still plays in opusinfo, ffprobe and opusdec, with the audio up to the last page")
    func truncatedFilesDecode() throws {
        let recording = try Self.recording()
        let full = OggPageScan(scanning: recording.bytes)
        var random = SplitMix64(state: 0x0F1E)
        // Cuts from the second flush on, so that at least a second of audio was flushed.
        let lower = recording.flushes[2].length
        let cuts = (0..<3).map { _ in lower + Int(random.next() % UInt64(recording.bytes.count - 1 - lower)) }
        try OggFixture.withTemporaryDirectory { directory in
            for (index, cut) in cuts.enumerated() {
                let onDisk = Array(recording.bytes[..<cut])
                let scan = OggPageScan(scanning: onDisk)
                let recovered = try #require(scan.pages.last { $0.granulePosition >= 0 }?.granulePosition)
                let seconds = Double(Int(recovered) - recording.preSkip) / 48_000
                #expect(scan.pages == Array(full.pages.prefix(scan.pages.count)))
                // As the crash left it (a partial page at the end), and cut back to the last whole page.
                let partial = try OggFixture.write(onDisk, named: "partial-\(index).opus", in: directory)
                let trimmed = try OggFixture.write(
                    Array(onDisk[..<scan.validLength]),
                    named: "trimmed-\(index).opus",
                    in: directory
                )
                for file in [partial, trimmed] {
                    let info = try OggFixture.opusinfo(file)
                    #expect(info.channels == 1, "\(info.output)")
                    // The one warning a cut file may get: its stream has no end.
                    let warnings = info.output.split(separator: "\n").filter { $0.contains("WARNING") }
                    #expect(warnings.allSatisfy { $0.contains("EOS not set") }, "\(info.output)")
                    let playback = try #require(info.playbackSeconds, "\(info.output)")
                    #expect(
                        abs(playback - seconds) < 0.002,
                        "\(file.lastPathComponent): \(playback) s, pages say \(seconds) s"
                    )
                    #expect(!info.output.contains("Hole in data"), "\(info.output)")
                    let probe = try OggFixture.ffprobe(file)
                    #expect(probe.status == 0)
                    #expect(probe.codec == "opus")
                    #expect(probe.channels == 1)
                    #expect(abs((probe.duration ?? 0) - seconds) < 0.04, "ffprobe \(probe.duration ?? -1) s")
                    let decoded = try OggFixture.opusdec(file, in: directory)
                    #expect(decoded.status == 0)
                    #expect(decoded.pcm.count == Int(recovered) - recording.preSkip)
                    let end = min(decoded.pcm.count, 48_000)
                    #expect(OggFixture.energyShare(at: 440, in: decoded.pcm[4_800..<end]) > 0.8)
                }
                // Without an EOS page, opusinfo warns (and exits 1); the repaired file passes clean.
                #expect(try OggFixture.opusinfo(partial).output.contains("EOS not set"))
                let recovery = try #require(OggOpusRecovery(recovering: onDisk))
                let repaired = try OggFixture.write(
                    Array(onDisk[..<recovery.length]) + recovery.closingPage,
                    named: "repaired-\(index).opus",
                    in: directory
                )
                let info = try OggFixture.opusinfo(repaired)
                #expect(info.status == 0, "\(info.output)")
                #expect(!info.output.contains("WARNING"), "\(info.output)")
                #expect(abs((info.playbackSeconds ?? 0) - seconds) < 0.002)
                #expect(try OggFixture.opusdec(repaired, in: directory).pcm.count == Int(recovered) - recording.preSkip)
                #expect(try OggFixture.ffprobe(repaired).status == 0)
            }
        }
    }
}
