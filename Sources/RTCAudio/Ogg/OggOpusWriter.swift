internal import COgg

/// Turns a stream of Opus packets into an Ogg Opus file (RFC 7845), as page bytes: owns one libogg
/// `ogg_stream_state` and frees it on `deinit`.
///
/// The writer does no file I/O: every call that produces pages appends their bytes, whole pages
/// only, to a caller's `[UInt8]`, which the caller writes out (off the worker thread) and empties
/// with `removeAll(keepingCapacity: true)`. The bytes it has handed out are therefore always a
/// prefix of a valid file, cut at a page boundary:
///
/// - the first output call emits the OpusHead page (BOS) and the OpusTags page(s);
/// - ``write(_:into:)`` submits one packet, and appends a page whenever libogg fills one (about
///   4 KiB, or 255 packets);
/// - ``flush(into:)`` forces out whatever is pending as a page, however small: a recorder that
///   flushes once a second loses at most one second of audio if the process dies;
/// - ``finish(into:)`` ends the stream with a page carrying the EOS flag and the final granule.
///
/// Granule positions count 48 kHz samples from the start of the stream, pre-skip included
/// (RFC 7845 section 4); the writer reads each packet's duration from its TOC byte.
///
/// A file cut short by a crash is repaired on restart with ``OggOpusRecovery``.
///
/// A writer is not thread-safe: it belongs to the worker that encodes the room's mix. In steady
/// state (libogg's buffers grown, the caller's array reused) writing makes no allocation of its
/// own, and libogg reuses its buffers.
public final class OggOpusWriter {
    // Owned: allocated and initialised in init, cleared and freed in deinit, never shared. libogg
    // keeps no pointer to the struct itself, but it is heap-allocated so its address is stable.
    private let stream: UnsafeMutablePointer<ogg_stream_state>

    /// The settings the stream was created with.
    public let configuration: Configuration

    /// The granule position of the last packet written: 48 kHz samples from the start of the
    /// stream, pre-skip included. Playback length is this minus the pre-skip.
    public private(set) var granulePosition: Int64 = 0

    /// Audio packets written so far (not counting the headers or the end-of-stream packet).
    public private(set) var packetCount: Int = 0

    /// Whether ``finish(into:)`` has run: the EOS page is out and nothing more can be written.
    public private(set) var isFinished: Bool = false

    // The header pages, built in init and handed out by the first call that takes an output.
    private var headerPages: [UInt8] = []
    private var headerPageCount: Int = 0

    // The TOC byte of the last audio packet, for the end-of-stream packet (see `finish`).
    private var lastTOC: UInt8?

    /// Creates a stream and builds its OpusHead and OpusTags pages (handed out by the first call
    /// that takes an output, so that a caller can write them at once with ``flush(into:)``).
    ///
    /// - Throws: ``OggError`` with ``OggError/Code/invalidArgument`` for channels other than 1 or 2,
    ///   a pre-skip outside 0...65 535, or a comment that is not `NAME=value` with a name of
    ///   printable ASCII without `=`; ``OggError/Code/libogg`` if libogg cannot allocate.
    public init(configuration: Configuration) throws(OggError) {
        let head = try Self.opusHead(configuration)
        let tags = try Self.opusTags(configuration)
        let stream = UnsafeMutablePointer<ogg_stream_state>.allocate(capacity: 1)
        guard ogg_stream_init(stream, Int32(bitPattern: configuration.serialNumber)) == 0 else {
            stream.deallocate()
            throw OggError(.libogg, "ogg_stream_init")
        }
        self.stream = stream
        self.configuration = configuration
        // From here on deinit frees the stream if a later step throws.
        // RFC 7845 section 3: OpusHead alone on the first page, OpusTags ending its own page(s), so
        // that the first audio packet starts a fresh page. Header pages have granule position 0.
        try self.submit(head.span, granule: 0, endOfStream: false)
        self.headerPageCount = self.drain(into: &self.headerPages, force: true)
        try self.submit(tags.span, granule: 0, endOfStream: false)
        self.headerPageCount += self.drain(into: &self.headerPages, force: true)
    }

    deinit {
        ogg_stream_clear(self.stream)
        self.stream.deallocate()
    }

    /// Whether packets are waiting in libogg for a page: ``flush(into:)`` would write one.
    public var hasPendingData: Bool {
        self.stream.pointee.lacing_fill > 0
    }

    /// Pages handed out so far (the next page's sequence number).
    public var pageCount: Int {
        Int(self.stream.pointee.pageno)
    }

    /// Adds one Opus packet to the stream, and appends a page to `output` if libogg filled one.
    ///
    /// - Parameters:
    ///   - packet: one Opus packet (RFC 6716), such as one 20 ms frame of the room's mix.
    ///   - output: complete pages are appended here (the header pages too, on the first call).
    /// - Throws: ``OggError`` with ``OggError/Code/invalidPacket`` for an empty or malformed packet
    ///   (nothing is written), ``OggError/Code/finished`` after ``finish(into:)``,
    ///   ``OggError/Code/libogg`` if libogg fails.
    public func write(_ packet: Span<UInt8>, into output: inout [UInt8]) throws(OggError) {
        guard !self.isFinished else {
            throw OggError(.finished, "write after finish: start a new writer for another stream")
        }
        let samples: Int
        do {
            samples = try Opus.sampleCount(ofPacket: packet)
        } catch {
            throw OggError(.invalidPacket, "Opus packet duration unreadable")
        }
        // libopus counts a code 3 packet announcing 0 frames as 0 samples; RFC 6716 forbids it.
        guard samples > 0 else {
            throw OggError(.invalidPacket, "Opus packet with no frames")
        }
        self.emitHeaders(into: &output)
        // A packet lasts at most 120 ms (5760 samples): the sum cannot overflow in any real stream.
        let granule = self.granulePosition + Int64(samples)
        try self.submit(packet, granule: granule, endOfStream: false)
        self.granulePosition = granule
        self.packetCount += 1
        self.lastTOC = packet[0]
        self.drain(into: &output, force: false)
    }

    /// Adds one Opus packet held in an array: for tests and tools.
    public func write(_ packet: [UInt8], into output: inout [UInt8]) throws(OggError) {
        try self.write(packet.span, into: &output)
    }

    /// Forces every pending packet out as a page, however small, and appends it to `output`.
    ///
    /// Call it at least once per flush interval (Parley: every second): what has been flushed and
    /// written to disk survives a crash. With nothing pending it appends nothing (except, on the
    /// first call, the header pages). After ``finish(into:)`` it does nothing.
    ///
    /// - Returns: the number of pages appended.
    @discardableResult
    public func flush(into output: inout [UInt8]) -> Int {
        guard !self.isFinished else { return 0 }
        let headers = self.emitHeaders(into: &output)
        return headers + self.drain(into: &output, force: true)
    }

    /// Ends the stream: appends the last page(s), the last one with the EOS flag and the final
    /// granule position. Calling it again does nothing.
    ///
    /// libogg can only mark the end of a stream on a packet, and cannot write an empty page, so
    /// `finish` always adds one packet: a TOC byte alone (a zero-length frame, which decoders treat
    /// like a DTX frame), in the configuration of the last packet. The EOS page's granule position
    /// is that of the last real packet, so decoders trim the whole end packet away (RFC 7845
    /// section 4.5) and the file's duration is the audio written. This works whether or not
    /// packets were pending, and for a stream with no audio at all.
    ///
    /// - Returns: the number of pages appended.
    /// - Throws: ``OggError`` with ``OggError/Code/libogg`` if libogg fails; the writer is then
    ///   finished anyway, and the output holds the pages written before.
    @discardableResult
    public func finish(into output: inout [UInt8]) throws(OggError) -> Int {
        guard !self.isFinished else { return 0 }
        self.isFinished = true
        let headers = self.emitHeaders(into: &output)
        let end = Self.endPacket(
            lastTOC: self.lastTOC,
            channels: self.configuration.channels,
            preSkip: self.configuration.preSkip,
            granulePosition: self.granulePosition
        )
        try self.submit(end.packet.span, granule: end.granulePosition, endOfStream: true)
        self.granulePosition = end.granulePosition
        return headers + self.drain(into: &output, force: true)
    }

    /// The packet that carries the EOS flag, and its granule position: see ``finish(into:)``.
    static func endPacket(
        lastTOC: UInt8?,
        channels: Int,
        preSkip: Int,
        granulePosition: Int64
    ) -> (packet: [UInt8], granulePosition: Int64) {
        // Code 0 (one frame) keeps the last packet's mode, bandwidth, frame size and stereo flag;
        // with no audio yet, a 20 ms CELT fullband frame (TOC config 31).
        let stereo: UInt8 = channels == 2 ? 0x04 : 0
        let packet = [(lastTOC ?? (0xF8 | stereo)) & 0xFC]
        // One frame of any configuration lasts 120 to 2880 samples, so this cannot fail.
        let samples = Int64((try? Opus.sampleCount(ofPacket: packet.span)) ?? 960)
        // The granule position keeps none of the end packet. Only a stream with less audio than its
        // pre-skip needs a larger one: a granule below pre-skip is invalid, and pre-skip samples
        // are discarded anyway.
        let granule = max(granulePosition, min(Int64(preSkip), granulePosition + samples))
        return (packet, granule)
    }

    @discardableResult
    private func emitHeaders(into output: inout [UInt8]) -> Int {
        guard self.headerPageCount > 0 else { return 0 }
        output.append(contentsOf: self.headerPages)
        // Release the memory: it is only needed once.
        self.headerPages = []
        defer { self.headerPageCount = 0 }
        return self.headerPageCount
    }

    private func submit(_ packet: Span<UInt8>, granule: Int64, endOfStream: Bool) throws(OggError) {
        let stream = self.stream
        let status = packet.withUnsafeBufferPointer { bytes -> Int32 in
            var oggPacket = ogg_packet()
            // libogg copies the bytes and never writes through this pointer: its C declaration is
            // simply not const. Packets are never empty here, so the base address exists.
            oggPacket.packet = UnsafeMutablePointer(mutating: bytes.baseAddress)
            oggPacket.bytes = bytes.count
            oggPacket.e_o_s = endOfStream ? 1 : 0
            oggPacket.granulepos = granule
            return ogg_stream_packetin(stream, &oggPacket)
        }
        guard status == 0 else {
            throw OggError(.libogg, "ogg_stream_packetin")
        }
    }

    // Appends the pages libogg has ready (all pending data when `force`), and returns how many.
    @discardableResult
    private func drain(into output: inout [UInt8], force: Bool) -> Int {
        var page = ogg_page()
        var pages = 0
        // Bounded: each page libogg returns takes at least one lacing value out of its buffer,
        // and the buffer only holds what was submitted.
        while (force ? ogg_stream_flush(self.stream, &page) : ogg_stream_pageout(self.stream, &page)) != 0 {
            // The page points into libogg's buffers, valid until the next call on the stream.
            output.append(contentsOf: UnsafeBufferPointer(start: page.header, count: page.header_len))
            output.append(contentsOf: UnsafeBufferPointer(start: page.body, count: page.body_len))
            pages += 1
        }
        return pages
    }
}

@available(*, unavailable)
extension OggOpusWriter: Sendable {}
