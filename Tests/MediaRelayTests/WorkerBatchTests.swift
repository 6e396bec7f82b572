import Glibc
import MediaRelay
import Testing

@Suite("Worker batches")
struct WorkerBatchTests {
    @Test("one receive reads several datagrams with their lengths, bytes and sources")
    func receiveSeveral() throws {
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let peer = try LoopbackPeer()
        let lengths = [1, 200, 1500, 37]
        for (index, length) in lengths.enumerated() {
            #expect(peer.send(numberedDatagram(index, length: length), to: socket.localAddress))
        }
        var batch = RecvBatch(slotCount: 64, slotSize: 2048, maximumDatagramSize: 1500)
        var seen: [[UInt8]] = []
        // Loopback delivers within sendto, but poll briefly rather than assume it.
        _ = eventually {
            batch.receive(from: socket)
            for index in 0..<batch.count {
                batch.withDatagram(at: index) { bytes, length, source in
                    #expect(bytes.count == 2048)
                    #expect(source == peer.address)
                    var copy: [UInt8] = []
                    for position in 0..<length {
                        copy.append(bytes[position])
                    }
                    seen.append(copy)
                }
            }
            return seen.count >= lengths.count
        }
        #expect(seen == lengths.enumerated().map { numberedDatagram($0.offset, length: $0.element) })
        // Nothing left: not an error.
        let empty = batch.receive(from: socket)
        #expect(empty == RecvBatch.Outcome())
        #expect(batch.count == 0)
    }

    @Test("datagrams over the limit are dropped and counted before anyone sees them")
    func oversize() throws {
        let socket = try RelaySocket(bindingTo: loopback6(0))
        let peer = try LoopbackPeer(ipv6: true)
        // 1501: fits the 2048-byte slot but exceeds the limit; 9000 and 65507: truncated by the
        // kernel (MSG_TRUNC). 1500 and 10 are kept.
        let lengths = [1500, 1501, 9000, 65_507, 10]
        for (index, length) in lengths.enumerated() {
            #expect(peer.send(numberedDatagram(index, length: length), to: socket.localAddress))
        }
        var batch = RecvBatch(slotCount: 64, slotSize: 2048, maximumDatagramSize: 1500)
        var total = RecvBatch.Outcome()
        var kept: [Int] = []
        _ = eventually {
            let outcome = batch.receive(from: socket)
            total.received += outcome.received
            total.droppedOversize += outcome.droppedOversize
            total.acceptedBytes += outcome.acceptedBytes
            for index in 0..<batch.count {
                batch.withDatagram(at: index) { _, length, _ in kept.append(length) }
            }
            return total.received >= lengths.count
        }
        #expect(total.received == 5)
        #expect(total.droppedOversize == 3)
        #expect(total.acceptedBytes == 1510)
        #expect(kept == [1500, 10])
    }

    @Test("a slot exactly the limit's size still drops one byte more (MSG_TRUNC)")
    func slotEqualsLimit() throws {
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let peer = try LoopbackPeer()
        #expect(peer.send(numberedDatagram(0, length: 577), to: socket.localAddress))
        #expect(peer.send(numberedDatagram(1, length: 576), to: socket.localAddress))
        var batch = RecvBatch(slotCount: 2, slotSize: 576, maximumDatagramSize: 576)
        var dropped = 0
        var kept: [Int] = []
        _ = eventually {
            let outcome = batch.receive(from: socket)
            dropped += outcome.droppedOversize
            for index in 0..<batch.count {
                batch.withDatagram(at: index) { _, length, _ in kept.append(length) }
            }
            return dropped + kept.count >= 2
        }
        #expect(dropped == 1)
        #expect(kept == [576])
    }

    @Test("an unbound send batch keeps appends for inspection and refuses what does not fit")
    func sendBatchLimits() {
        var batch = SendBatch(slotCount: 2, slotSize: 16)
        let destination = loopback4(9)
        // Written in place: the writer returns the length.
        batch.append(to: destination) { slot in
            #expect(slot.count == 16)
            slot[0] = 0xAB
            slot[1] = 0xCD
            return 2
        }
        // Length 0: nothing appended, nothing counted.
        batch.append(to: destination) { _ in 0 }
        #expect(batch.count == 1)
        // Invalid lengths from a writer: refused and counted.
        batch.append(to: destination) { _ in 17 }
        batch.append(to: destination) { _ in -1 }
        #expect(batch.count == 1)
        #expect(batch.counters.rejected == 2)
        // Too large to copy.
        batch.append(to: destination, copying: [UInt8](repeating: 1, count: 17).span)
        #expect(batch.counters.rejected == 3)
        // Empty copy: nothing.
        batch.append(to: destination, copying: [UInt8]().span)
        batch.append(to: loopback6(10), copying: [UInt8](repeating: 7, count: 16).span)
        #expect(batch.count == 2)
        // Full, and no socket to flush to: refused.
        batch.append(to: destination, copying: [1].span)
        #expect(batch.count == 2)
        #expect(batch.counters.rejected == 4)
        #expect(batch.counters.sent == 0)

        batch.withDatagram(at: 0) { bytes, address in
            #expect(bytes.count == 2)
            #expect(bytes[0] == 0xAB && bytes[1] == 0xCD)
            #expect(address == destination)
        }
        batch.withDatagram(at: 1) { bytes, address in
            #expect(bytes.count == 16)
            #expect(address == loopback6(10))
        }
        batch.removeAll()
        #expect(batch.count == 0)
    }

    @Test("a writer's error propagates and appends nothing")
    func throwingWriter() {
        struct Refused: Error {}
        var batch = SendBatch(slotCount: 4, slotSize: 64)
        #expect(throws: Refused.self) {
            try batch.append(to: loopback4(1)) { (_: inout MutableSpan<UInt8>) throws(Refused) -> Int in
                throw Refused()
            }
        }
        #expect(batch.count == 0)
        #expect(batch.counters == SendBatch.Counters())
    }
}
