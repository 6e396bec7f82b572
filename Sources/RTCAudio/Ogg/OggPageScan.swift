public import RTCWire

/// Every complete, valid Ogg page at the start of a byte buffer, and where the rest begins: the
/// page reader for recovering a recording after a crash, and for checking files in tests.
///
/// The scan walks pages from offset 0 and stops at the first one that fails to parse (see
/// ``OggPage/init(parsing:at:)``). A recording that was being written when the process died ends
/// in a partial page: every page before it is whole and checked, ``validLength`` is where the
/// partial page begins (cut the file there to recover it), and ``tailError`` says `truncated`.
/// Any other ``tailError`` (a bad CRC, bytes that are not a page) means the file was damaged
/// rather than cut short; the pages before it are still sound.
///
/// The scan checks each page on its own; stream-level rules (one serial number, consecutive
/// sequence numbers, granule positions that never decrease, BOS first and EOS last) are left to
/// the caller, with ``pages`` in hand.
public struct OggPageScan: Sendable {
    /// The valid pages, in order.
    public let pages: [OggPage]
    /// The length of the valid prefix: the end of the last valid page, 0 if there is none.
    public let validLength: Int
    /// The length of the buffer scanned.
    public let totalLength: Int
    /// Why the scan stopped before the end of the buffer, with the offset of the page that failed;
    /// nil when the buffer ends exactly after a valid page (or is empty).
    public let tailError: WireError?

    /// Scans `bytes` from the start.
    public init(scanning bytes: Span<UInt8>) {
        var pages: [OggPage] = []
        var offset = 0
        var tailError: WireError?
        // Bounded: every page found advances the offset by at least its 27-byte header.
        while offset < bytes.count {
            do {
                let page = try OggPage(parsing: bytes, at: offset)
                pages.append(page)
                offset = page.endOffset
            } catch {
                tailError = error
                break
            }
        }
        self.pages = pages
        self.validLength = offset
        self.totalLength = bytes.count
        self.tailError = tailError
    }

    /// Scans an array: for tests and tools.
    public init(scanning bytes: [UInt8]) {
        self.init(scanning: bytes.span)
    }

    /// Whether the buffer is nothing but valid pages and the last one has the EOS flag: a
    /// recording that was finished properly.
    public var isCompleteStream: Bool {
        self.tailError == nil && self.pages.last?.isEndOfStream == true
    }
}
