import Glibc
import MediaRelay
import Testing

@Suite("Worker forwarding")
struct WorkerForwardingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let ipv6: Bool
        let sinks: Int
        let datagrams: Int
        var testDescription: String { "\(self.ipv6 ? "::1" : "127.0.0.1"), fan-out \(self.sinks)" }
    }

    @Test(
        "every datagram reaches every sink, unchanged and in order",
        arguments: [
            Case(ipv6: false, sinks: 1, datagrams: 300),
            Case(ipv6: false, sinks: 9, datagrams: 150),
            Case(ipv6: true, sinks: 3, datagrams: 300),
        ]
    )
    func forward(_ setup: Case) throws {
        let sinks = try (0..<setup.sinks).map { _ in try LoopbackPeer(ipv6: setup.ipv6) }
        let socket = try RelaySocket(bindingTo: setup.ipv6 ? loopback6(0) : loopback4(0))
        let worker = try RelayWorker(
            sockets: [socket],
            handler: ForwardingHandler(destinations: sinks.map(\.address))
        )
        defer { worker.stop() }
        let sender = try LoopbackPeer(ipv6: setup.ipv6)
        var received = [[[UInt8]]](repeating: [], count: setup.sinks)
        // Rounds of 50, each drained at the sinks before the next: no buffer can overflow.
        for round in stride(from: 0, to: setup.datagrams, by: 50) {
            let end = min(round + 50, setup.datagrams)
            for index in round..<end {
                #expect(sender.send(numberedDatagram(index), to: worker.localAddresses[0]))
            }
            for (sinkIndex, sink) in sinks.enumerated() {
                received[sinkIndex] += sink.receive(count: end - round)
            }
        }
        let expected = (0..<setup.datagrams).map { numberedDatagram($0) }
        for sinkIndex in 0..<setup.sinks {
            #expect(received[sinkIndex].count == setup.datagrams)
            #expect(received[sinkIndex] == expected)
        }
        let total = UInt64(setup.datagrams)
        #expect(eventually { worker.statistics.sent == total * UInt64(setup.sinks) })
        let statistics = worker.statistics
        #expect(statistics.received == total)
        #expect(statistics.receivedBytes == total * 200)
        #expect(statistics.sentBytes == total * UInt64(setup.sinks) * 200)
        #expect(statistics.droppedOversize == 0)
        #expect(statistics.sendErrors == 0)
        #expect(statistics.sendDroppedWouldBlock == 0)
        #expect(statistics.timerRuns == 0)
        #expect(statistics.iterations >= 1)
    }

    @Test("oversize datagrams (1501, 9000, 65507 bytes) are dropped and counted; the handler never sees them")
    func oversize() throws {
        let sink = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ForwardingHandler(destinations: [sink.address]))
        defer { worker.stop() }
        let sender = try LoopbackPeer()
        for length in [1501, 9000, 65_507, 1500, 100] {
            #expect(sender.send(numberedDatagram(length, length: length), to: worker.localAddresses[0]))
        }
        // The forwarder forwards whatever it is handed: only the two within the limit arrive.
        let first = try #require(sink.receive())
        #expect(first.bytes == numberedDatagram(1500, length: 1500))
        let second = try #require(sink.receive())
        #expect(second.bytes == numberedDatagram(100, length: 100))
        sink.setTimeout(milliseconds: 200)
        #expect(sink.receive() == nil)
        let statistics = worker.statistics
        #expect(statistics.droppedOversize == 3)
        #expect(statistics.received == 2)
        #expect(statistics.receivedBytes == 1600)
    }

    @Test("a worker with an IPv4 and an IPv6 socket sends each destination through the socket of its family")
    func twoFamilies() throws {
        let sink4 = try LoopbackPeer(ipv6: false)
        let sink6 = try LoopbackPeer(ipv6: true)
        let socket4 = try RelaySocket(bindingTo: loopback4(0))
        let socket6 = try RelaySocket(bindingTo: loopback6(0))
        let worker = try RelayWorker(
            sockets: [socket4, socket6],
            handler: ForwardingHandler(destinations: [sink6.address, sink4.address])
        )
        defer { worker.stop() }
        let sender4 = try LoopbackPeer(ipv6: false)
        let sender6 = try LoopbackPeer(ipv6: true)
        #expect(sender4.send(numberedDatagram(1), to: worker.localAddresses[0]))
        #expect(sender6.send(numberedDatagram(2), to: worker.localAddresses[1]))
        for expected in [1, 2] {
            let at4 = try #require(sink4.receive())
            #expect(at4.bytes == numberedDatagram(expected))
            #expect(at4.source == worker.localAddresses[0])
            let at6 = try #require(sink6.receive())
            #expect(at6.bytes == numberedDatagram(expected))
            #expect(at6.source == worker.localAddresses[1])
        }
    }

    @Test("a destination no socket can carry is dropped and counted; the others still get theirs")
    func unroutable() throws {
        let sink = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(
            sockets: [socket],
            handler: ForwardingHandler(destinations: [loopback6(9), sink.address])
        )
        defer { worker.stop() }
        let sender = try LoopbackPeer()
        for index in 0..<5 {
            #expect(sender.send(numberedDatagram(index), to: worker.localAddresses[0]))
        }
        #expect(sink.receive(count: 5) == (0..<5).map { numberedDatagram($0) })
        // Counted at append time; `sent` is published after the flush.
        #expect(eventually { worker.statistics.sendErrors == 5 && worker.statistics.sent == 5 })
    }
}
