import Glibc
import MediaRelay
import Testing

/// A handler that records what it was told and on which thread, and reports on request.
struct ProbeHandler: RelayDatagramHandler {
    enum Command: Sendable {
        case record(Int)
        case report(to: RelayAddress)
        case schedule(tag: UInt8, afterMilliseconds: UInt64, reportTo: RelayAddress)
    }

    struct Timer {
        var deadline: RelayTime
        var tag: UInt8
        var destination: RelayAddress
    }

    var recorded: [Int] = []
    var applyThread: UInt64 = 0
    var handleThread: UInt64 = 0
    var timers: [Timer] = []

    var nextDeadline: RelayTime? {
        self.timers.map(\.deadline).min()
    }

    mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        self.handleThread = UInt64(pthread_self())
        send.append(to: source, copying: datagram.span.extracting(0..<length))
    }

    mutating func apply(_ command: Command, now: RelayTime, send: inout SendBatch) {
        self.applyThread = UInt64(pthread_self())
        switch command {
        case .record(let value):
            self.recorded.append(value)
        case .report(let destination):
            var bytes = ProbeHandler.bytes(self.applyThread) + ProbeHandler.bytes(self.handleThread)
            for value in self.recorded {
                bytes += ProbeHandler.bytes(UInt64(value))
            }
            send.append(to: destination, copying: bytes.span)
        case .schedule(let tag, let milliseconds, let destination):
            self.timers.append(
                Timer(deadline: now.adding(milliseconds: milliseconds), tag: tag, destination: destination)
            )
        }
    }

    mutating func timersFired(now: RelayTime, send: inout SendBatch) {
        let due = self.timers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
        self.timers.removeAll { $0.deadline <= now }
        for timer in due {
            let bytes =
                [timer.tag] + ProbeHandler.bytes(timer.deadline.nanoseconds) + ProbeHandler.bytes(now.nanoseconds)
            send.append(to: timer.destination, copying: bytes.span)
        }
    }

    static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
    }

    static func value(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

@Suite("Worker commands")
struct WorkerCommandTests {
    @Test("a destination change applies to the datagrams that follow it")
    func replaceDestinations() throws {
        let first = try LoopbackPeer()
        let second = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ForwardingHandler(destinations: [first.address]))
        defer { worker.stop() }
        let sender = try LoopbackPeer()
        #expect(sender.send(numberedDatagram(1), to: worker.localAddresses[0]))
        #expect(first.receive()?.bytes == numberedDatagram(1))

        #expect(worker.submit(.replaceDestinations([second.address])))
        #expect(eventually { worker.statistics.commandsApplied == 1 })
        #expect(sender.send(numberedDatagram(2), to: worker.localAddresses[0]))
        #expect(second.receive()?.bytes == numberedDatagram(2))
        first.setTimeout(milliseconds: 200)
        #expect(first.receive() == nil)

        // No destination: everything is dropped silently (nothing to send, no error).
        #expect(worker.submit(.replaceDestinations([])))
        #expect(eventually { worker.statistics.commandsApplied == 2 })
        #expect(sender.send(numberedDatagram(3), to: worker.localAddresses[0]))
        #expect(eventually { worker.statistics.received == 3 })
        second.setTimeout(milliseconds: 200)
        #expect(second.receive() == nil)
        #expect(worker.statistics.sendErrors == 0)
    }

    @Test("commands run on the worker thread, the one that handles datagrams, in submission order")
    func workerThreadAndOrder() throws {
        let sink = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ProbeHandler())
        defer { worker.stop() }
        let sender = try LoopbackPeer()
        // A datagram first, so that the handler has seen the worker thread in handle().
        #expect(sender.send([1], to: worker.localAddresses[0]))
        #expect(sender.receive()?.bytes == [1])
        for value in 0..<200 {
            #expect(worker.submit(.record(value)))
        }
        #expect(worker.submit(.report(to: sink.address)))
        let report = try #require(sink.receive()).bytes
        try #require(report.count == 16 + 200 * 8)
        let applyThread = ProbeHandler.value(report[0..<8])
        let handleThread = ProbeHandler.value(report[8..<16])
        #expect(applyThread != 0)
        #expect(applyThread == handleThread)
        #expect(applyThread != UInt64(pthread_self()))
        let recorded = stride(from: 16, to: report.count, by: 8).map { Int(ProbeHandler.value(report[$0..<($0 + 8)])) }
        #expect(recorded == Array(0..<200))
        #expect(worker.statistics.commandsApplied == 201)
    }

    @Test("commands from many threads are all applied")
    func concurrentSubmitters() async throws {
        let sink = try LoopbackPeer(ipv6: true)
        let socket = try RelaySocket(bindingTo: loopback6(0))
        // The report (8 bytes per command) needs bigger send slots than the default 2048.
        let worker = try RelayWorker(
            sockets: [socket],
            handler: ProbeHandler(),
            configuration: RelayWorkerConfiguration(slotSize: 16_384)
        )
        defer { worker.stop() }
        await withTaskGroup(of: Void.self) { group in
            for submitter in 0..<4 {
                group.addTask {
                    for value in 0..<250 {
                        worker.submit(.record(submitter * 1000 + value))
                    }
                }
            }
        }
        #expect(worker.submit(.report(to: sink.address)))
        let report = try #require(sink.receive()).bytes
        let recorded = stride(from: 16, to: report.count, by: 8).map { Int(ProbeHandler.value(report[$0..<($0 + 8)])) }
        #expect(recorded.count == 1000)
        #expect(Set(recorded).count == 1000)
        // Each submitter's own commands stay in its order.
        for submitter in 0..<4 {
            let mine = recorded.filter { $0 / 1000 == submitter }
            #expect(mine == (0..<250).map { submitter * 1000 + $0 })
        }
    }
}
