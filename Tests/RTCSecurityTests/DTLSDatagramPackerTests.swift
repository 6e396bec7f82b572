import Testing

@testable import RTCSecurity

@Suite("DTLS datagram packing of memory-BIO output")
struct DTLSDatagramPackerTests {
    /// A fake DTLS record of `body` bytes whose payload bytes are all `marker`.
    static func record(_ body: Int, marker: UInt8) -> [UInt8] {
        [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, marker, UInt8(body >> 8), UInt8(body & 0xFF)]
            + [UInt8](repeating: marker, count: body)
    }

    @Test("records are packed in order into datagrams within the MTU")
    func packs() {
        let records = [
            Self.record(100, marker: 1), Self.record(500, marker: 2), Self.record(580, marker: 3),
            Self.record(1187, marker: 4), Self.record(0, marker: 5), Self.record(10, marker: 6),
        ]
        var datagrams: [[UInt8]] = []
        DTLSDatagramPacker.pack(records.flatMap { $0 }, mtu: 1200, into: &datagrams)
        // 113 + 513 + 593 = 1219 > 1200: the third record starts a new datagram; the 1200-byte
        // record fills one alone; the last two share one.
        #expect(datagrams == [records[0] + records[1], records[2], records[3], records[4] + records[5]])
        #expect(datagrams.allSatisfy { $0.count <= 1200 })
        #expect(datagrams.flatMap { $0 } == records.flatMap { $0 })
    }

    @Test("a record exactly at the MTU fills a datagram; one beyond it goes alone, unchanged")
    func boundaries() {
        let exact = Self.record(1200 - 13, marker: 1)
        let oversized = Self.record(1300, marker: 2)
        let small = Self.record(5, marker: 3)
        var datagrams: [[UInt8]] = []
        DTLSDatagramPacker.pack(small + exact + oversized + small, mtu: 1200, into: &datagrams)
        #expect(datagrams == [small, exact, oversized, small])
    }

    @Test("bytes that are not whole records are passed on, never dropped or overread")
    func leftovers() {
        let whole = Self.record(20, marker: 1)
        var datagrams: [[UInt8]] = []
        DTLSDatagramPacker.pack(whole + [22, 0xFE, 0xFD], mtu: 1200, into: &datagrams)
        #expect(datagrams == [whole, [22, 0xFE, 0xFD]])

        datagrams = []
        let truncated = Array(Self.record(50, marker: 2).prefix(30))
        DTLSDatagramPacker.pack(whole + truncated, mtu: 1200, into: &datagrams)
        #expect(datagrams == [whole, truncated])

        datagrams = []
        DTLSDatagramPacker.pack([], mtu: 1200, into: &datagrams)
        #expect(datagrams.isEmpty)
    }
}
