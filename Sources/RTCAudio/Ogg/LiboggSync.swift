internal import COgg

/// libogg's own reading of a buffer of pages, through `ogg_sync_pageout`, which checks every
/// page's CRC: a second, independent page reader the tests hold ``OggPageScan`` and the writer to.
enum LiboggSync {
    /// A page as libogg returned it.
    struct Page: Hashable {
        var length: Int
        var sequenceNumber: Int
        var granulePosition: Int64
        var serialNumber: UInt32
        var isBeginningOfStream: Bool
        var isEndOfStream: Bool
    }

    /// The pages libogg accepts in `bytes`, and how many times it skipped bytes (a bad CRC or bytes
    /// that are not a page). A partial page at the end is neither: libogg waits for more data.
    static func pages(in bytes: [UInt8]) -> (pages: [Page], skips: Int) {
        // Owned for this call only: initialised here, cleared and freed by the defer.
        let sync = UnsafeMutablePointer<ogg_sync_state>.allocate(capacity: 1)
        ogg_sync_init(sync)
        defer {
            ogg_sync_clear(sync)
            sync.deallocate()
        }
        guard !bytes.isEmpty, let buffer = ogg_sync_buffer(sync, bytes.count) else { return ([], 0) }
        bytes.withUnsafeBytes { source in
            // ogg_sync_buffer returned room for bytes.count bytes (a char buffer, hence raw memory).
            guard let base = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: source.count)
        }
        ogg_sync_wrote(sync, bytes.count)
        var pages: [Page] = []
        var skips = 0
        var page = ogg_page()
        // Bounded: each result other than 0 consumes at least one byte of the buffer.
        for _ in 0...bytes.count {
            let result = ogg_sync_pageout(sync, &page)
            if result == 0 { break }
            if result < 0 {
                skips += 1
                continue
            }
            pages.append(
                Page(
                    length: page.header_len + page.body_len,
                    sequenceNumber: Int(ogg_page_pageno(&page)),
                    granulePosition: ogg_page_granulepos(&page),
                    serialNumber: UInt32(truncatingIfNeeded: ogg_page_serialno(&page)),
                    isBeginningOfStream: ogg_page_bos(&page) != 0,
                    isEndOfStream: ogg_page_eos(&page) != 0
                )
            )
        }
        return (pages, skips)
    }
}
