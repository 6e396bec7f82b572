internal import COgg

/// How to repair an Ogg Opus recording that was cut short (the process died while writing it):
/// keep its first ``length`` bytes, then append ``closingPage``.
///
/// A recorder runs this on restart for every file left without an EOS page. The result is a
/// complete stream that every reader accepts without a warning: all complete pages up to the last
/// one that ends a packet (a partial page at the end, or a packet left unfinished by the last
/// whole page, is dropped), then an EOS page with the next sequence number, the same serial
/// number and the last granule position, built by libogg like the writer's own pages. The audio
/// is exactly what the kept pages hold: with a flush every second, at most the last second is lost.
public struct OggOpusRecovery: Sendable, Hashable {
    /// How many bytes of the file to keep (truncate the file to this length).
    public let length: Int
    /// The page to append after truncating: empty when the stream was already complete (its EOS
    /// page present), and then ``length`` ends at that page.
    public let closingPage: [UInt8]
    /// The stream's final granule position once repaired (48 kHz samples, pre-skip included).
    public let granulePosition: Int64

    /// Works out the repair of `bytes`, a whole file as read back from disk.
    ///
    /// - Returns: nil when there is nothing to recover: the bytes do not start with a valid OpusHead
    ///   page followed by a complete OpusTags packet (a file cut during its first flush), or they
    ///   hold bytes that are not Ogg pages before any such point.
    public init?(recovering bytes: Span<UInt8>) {
        let scan = OggPageScan(scanning: bytes)
        guard let head = scan.pages.first, head.isBeginningOfStream, head.completedPacketCount == 1,
            let (channels, preSkip) = Self.opusHead(bytes, page: head)
        else { return nil }
        if let end = scan.pages.firstIndex(where: \.isEndOfStream) {
            self.length = scan.pages[end].endOffset
            self.closingPage = []
            self.granulePosition = scan.pages[end].granulePosition
            return
        }
        // The last page, from the one that completes OpusTags on, whose last packet ends on it.
        var last: OggPage?
        var lastTOC: UInt8?
        var packetsDone = 1  // OpusHead
        var toc: UInt8?
        for page in scan.pages.dropFirst() {
            // A recording holds one logical stream: anything else is not ours to keep.
            guard page.serialNumber == head.serialNumber else { break }
            let parts = page.packets(in: bytes)
            for part in parts where part.isComplete {
                packetsDone += 1
                // A packet's first byte is its TOC, unless this part continues it from a page before.
                let isContinued = part.range.lowerBound == page.bodyRange.lowerBound && page.isContinuation
                toc = packetsDone > 2 && !isContinued && !part.range.isEmpty ? bytes[part.range.lowerBound] : nil
            }
            if packetsDone >= 2, parts.last?.isComplete ?? true, page.granulePosition >= 0 {
                last = page
                lastTOC = toc
            }
        }
        guard let last else { return nil }
        let end = OggOpusWriter.endPacket(
            lastTOC: lastTOC,
            channels: channels,
            preSkip: preSkip,
            granulePosition: last.granulePosition
        )
        guard
            let page = Self.closingPage(
                serialNumber: head.serialNumber,
                sequenceNumber: last.sequenceNumber &+ 1,
                packet: end.packet,
                granulePosition: end.granulePosition
            )
        else { return nil }
        self.length = last.endOffset
        self.closingPage = page
        self.granulePosition = end.granulePosition
    }

    /// Works out the repair of a file held in an array: for tests and tools.
    public init?(recovering bytes: [UInt8]) {
        self.init(recovering: bytes.span)
    }

    // Channel count and pre-skip from the OpusHead packet alone on the BOS page.
    private static func opusHead(_ bytes: Span<UInt8>, page: OggPage) -> (channels: Int, preSkip: Int)? {
        let body = page.bodyRange
        guard body.count >= 19 else { return nil }
        let magic: [UInt8] = Array("OpusHead".utf8)
        for index in 0..<8 where bytes[body.lowerBound + index] != magic[index] {
            return nil
        }
        let channels = Int(bytes[body.lowerBound + 9])
        let preSkip = Int(bytes[body.lowerBound + 10]) | Int(bytes[body.lowerBound + 11]) << 8
        guard channels == 1 || channels == 2 else { return nil }
        return (channels, preSkip)
    }

    // One page holding `packet` with the EOS flag, continuing a stream whose earlier pages exist.
    private static func closingPage(
        serialNumber: UInt32,
        sequenceNumber: UInt32,
        packet: [UInt8],
        granulePosition: Int64
    ) -> [UInt8]? {
        // Owned for this call only: initialised here, cleared and freed by the defer.
        let stream = UnsafeMutablePointer<ogg_stream_state>.allocate(capacity: 1)
        guard ogg_stream_init(stream, Int32(bitPattern: serialNumber)) == 0 else {
            stream.deallocate()
            return nil
        }
        defer {
            ogg_stream_clear(stream)
            stream.deallocate()
        }
        // libogg has no call to resume a stream midway: its state struct is public (ogg.h), and
        // these two fields are the page number the next page gets, and whether the BOS page has
        // been written (so that this page does not claim to begin the stream).
        stream.pointee.pageno = Int(sequenceNumber)
        stream.pointee.b_o_s = 1
        let status = packet.withUnsafeBufferPointer { bytes -> Int32 in
            var oggPacket = ogg_packet()
            // libogg copies the bytes and never writes through this pointer (not const in C).
            oggPacket.packet = UnsafeMutablePointer(mutating: bytes.baseAddress)
            oggPacket.bytes = bytes.count
            oggPacket.e_o_s = 1
            oggPacket.granulepos = granulePosition
            return ogg_stream_packetin(stream, &oggPacket)
        }
        var page = ogg_page()
        guard status == 0, ogg_stream_flush(stream, &page) != 0 else { return nil }
        return Array(UnsafeBufferPointer(start: page.header, count: page.header_len))
            + Array(UnsafeBufferPointer(start: page.body, count: page.body_len))
    }
}
