import RTCWire
import Testing

@testable import RTCAudio

@Suite("Ogg page reader")
struct OggPageScanTests {
    @Test("the Ogg CRC matches its known answer and libogg's")
    func checksum() throws {
        // CRC-32/CKSUM without its final XOR: check value 0x765E7680 ^ 0xFFFFFFFF.
        #expect(OggChecksum.compute(Array("123456789".utf8).span) == 0x89A1_897F)
        #expect(OggChecksum.compute([UInt8]().span) == 0)
        #expect(OggChecksum.compute([0x01].span) == 0x04C1_1DB7)
        // Every page the writer made through libogg carries a CRC our reader recomputes.
        let recording = try OggFixture.record(frames: 60, channels: 2)
        let scan = OggPageScan(scanning: recording.bytes)
        #expect(scan.tailError == nil)
        #expect(scan.pages.count == LiboggSync.pages(in: recording.bytes).pages.count)
        for page in scan.pages {
            var zeroed = Array(recording.bytes[page.offset..<page.endOffset])
            zeroed.replaceSubrange(22..<26, with: [0, 0, 0, 0])
            #expect(OggChecksum.compute(zeroed.span) == page.checksum)
        }
    }

    @Test("page fields are read little-endian from their RFC 3533 offsets")
    func fields() throws {
        let recording = try OggFixture.record(frames: 100, flushEvery: 25)
        let scan = OggPageScan(scanning: recording.bytes)
        let page = try #require(scan.pages.dropFirst(3).first)
        let bytes = recording.bytes
        let base = page.offset
        #expect(bytes[base..<(base + 4)].elementsEqual("OggS".utf8))
        #expect(page.headerType == bytes[base + 5])
        #expect(page.granulePosition == Int64(50 * 960))
        #expect(page.serialNumber == 0x5041_524C)
        #expect(bytes[(base + 14)..<(base + 18)].elementsEqual([0x4C, 0x52, 0x41, 0x50]))
        #expect(page.sequenceNumber == 3)
        #expect(page.segmentCount == Int(bytes[base + 26]))
        #expect(page.headerLength == 27 + page.segmentCount)
        #expect(page.completedPacketCount == 25)
        let packets = page.packets(in: bytes.span)
        #expect(packets.count == 25)
        #expect(packets.allSatisfy { $0.isComplete })
        #expect(packets.first?.range.lowerBound == page.bodyRange.lowerBound)
        #expect(packets.last?.range.upperBound == page.endOffset)
        for packet in packets {
            #expect(try Opus.sampleCount(ofPacket: Array(bytes[packet.range]).span) == 960)
        }
    }

    @Test("a packet over 255 bytes, and one continued across pages, split into the right parts")
    func packetParts() throws {
        let long = "NOTES=" + String(repeating: "x", count: 70_000)
        let recording = try OggFixture.record(frames: 5, comments: [long])
        let scan = OggPageScan(scanning: recording.bytes)
        #expect(scan.tailError == nil)
        let bytes = recording.bytes.span
        // Page 1 starts the tags packet, page 2 continues and ends it.
        let start = scan.pages[1].packets(in: bytes)
        #expect(start.count == 1 && !start[0].isComplete)
        #expect(scan.pages[1].segmentCount == 255)
        #expect(scan.pages[1].granulePosition == -1)
        let end = scan.pages[2].packets(in: bytes)
        #expect(scan.pages[2].isContinuation)
        #expect(end.count == 1 && end[0].isComplete)
        #expect(start[0].range.count + end[0].range.count > 70_000)
    }

    @Test("empty input, and input that ends exactly after a page, leave no tail")
    func cleanEnds() throws {
        let empty = OggPageScan(scanning: [UInt8]())
        #expect(empty.pages.isEmpty && empty.validLength == 0 && empty.tailError == nil)
        #expect(!empty.isCompleteStream)
        let recording = try OggFixture.record(frames: 10, finish: false)
        let scan = OggPageScan(scanning: recording.bytes)
        #expect(scan.tailError == nil)
        #expect(scan.validLength == recording.bytes.count)
        #expect(!scan.isCompleteStream, "no EOS page")
    }

    @Test("damage anywhere in a page stops the scan at that page, with the pages before it intact")
    func everySingleBitFlip() throws {
        let recording = try OggFixture.record(frames: 20, flushEvery: 5)
        let original = OggPageScan(scanning: recording.bytes)
        #expect(original.isCompleteStream)
        var damaged = recording.bytes
        for position in 0..<recording.bytes.count {
            let bit = UInt8(1) << UInt8(position % 8)
            damaged[position] ^= bit
            defer { damaged[position] ^= bit }
            let pageIndex = try #require(original.pages.firstIndex { $0.endOffset > position })
            let page = original.pages[pageIndex]
            let scan = OggPageScan(scanning: damaged)
            #expect(scan.pages == Array(original.pages.prefix(pageIndex)), "flip at \(position)")
            #expect(scan.validLength == page.offset)
            #expect(scan.tailError?.offset == page.offset)
            let expectedCode: WireError.Code =
                switch position - page.offset {
                case 0..<4: .invalidValue
                case 4: .invalidVersion
                default: .invalidChecksum
                }
            // A flipped segment count or lacing value may instead make the page run past the end.
            let code = try #require(scan.tailError?.code)
            #expect(code == expectedCode || (code == .truncated && position - page.offset >= 26))
            // libogg's own CRC check rejects the same page.
            #expect(LiboggSync.pages(in: damaged).skips > 0 || code == .truncated, "flip at \(position)")
        }
    }

    @Test("malformed and hostile input never traps and reports why it stopped")
    func hostileInput() throws {
        let capture: [UInt8] = Array("OggS".utf8)
        func code(_ bytes: [UInt8]) -> WireError.Code? { OggPageScan(scanning: bytes).tailError?.code }
        #expect(code([0x4F]) == .truncated)
        #expect(code(capture) == .truncated)
        #expect(code([0x4F, 0x67, 0x67, 0x54]) == .invalidValue)
        #expect(code(Array("ID3\u{3}".utf8)) == .invalidValue)
        var header = capture + [0, 0x02] + [UInt8](repeating: 0, count: 20) + [0]
        #expect(header.count == 27)
        // A page with no segments and a zero CRC field: its CRC is not zero.
        #expect(code(header) == .invalidChecksum)
        header[4] = 1
        #expect(code(header) == .invalidVersion)
        header[4] = 0
        header[26] = 255
        #expect(code(header) == .truncated)
        #expect(code(header + [UInt8](repeating: 255, count: 255)) == .truncated)
        // The largest page a header can announce, cut one byte short.
        #expect(code(header + [UInt8](repeating: 255, count: 255 + 255 * 255 - 1)) == .truncated)
        #expect(throws: WireError.self) { _ = try OggPage(parsing: capture, at: 5) }
        #expect(throws: WireError.self) { _ = try OggPage(parsing: capture, at: -1) }

        // Random bytes, and random bytes behind the capture pattern, never trap.
        var random = SplitMix64(state: 0x0667)
        for round in 0..<2_000 {
            let count = Int(random.next() % 600)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round.isMultiple(of: 2) {
                bytes = capture + [0] + bytes
            }
            let scan = OggPageScan(scanning: bytes)
            #expect(scan.validLength <= bytes.count)
            #expect(scan.pages.isEmpty == (scan.validLength == 0))
        }
    }
}
