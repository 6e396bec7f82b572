import Glibc
import MediaRelay
import Testing

@Suite("Worker timers")
struct WorkerTimerTests {
    @Test("timers fire in deadline order, never before their deadline")
    func order() throws {
        let sink = try LoopbackPeer(timeoutMilliseconds: 5000)
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ProbeHandler())
        defer { worker.stop() }
        let submitted = RelayTime.monotonicNow()
        #expect(worker.submit(.schedule(tag: 3, afterMilliseconds: 300, reportTo: sink.address)))
        #expect(worker.submit(.schedule(tag: 1, afterMilliseconds: 100, reportTo: sink.address)))
        #expect(worker.submit(.schedule(tag: 2, afterMilliseconds: 200, reportTo: sink.address)))
        var tags: [UInt8] = []
        var deadlines: [UInt64] = []
        for _ in 0..<3 {
            let report = try #require(sink.receive()).bytes
            try #require(report.count == 17)
            let deadline = ProbeHandler.value(report[1..<9])
            let firedAt = ProbeHandler.value(report[9..<17])
            #expect(firedAt >= deadline)
            tags.append(report[0])
            deadlines.append(deadline)
            let elapsed = RelayTime.monotonicNow().nanoseconds(since: submitted)
            // Lower bound: the wall clock agrees that at least the delay passed.
            #expect(elapsed >= UInt64(report[0]) * 100_000_000)
        }
        #expect(tags == [1, 2, 3])
        #expect(deadlines == deadlines.sorted())
        #expect(deadlines[1] - deadlines[0] >= 99_000_000)
        let statistics = worker.statistics
        #expect(statistics.timerRuns >= 3)
        // The worker slept between timers rather than spinning: a few iterations per timer.
        #expect(statistics.iterations < 100)
    }

    @Test("a timer due while datagrams keep arriving still fires")
    func underLoad() throws {
        let sink = try LoopbackPeer(timeoutMilliseconds: 5000)
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ProbeHandler())
        defer { worker.stop() }
        let sender = try LoopbackPeer()
        sender.setTimeout(milliseconds: 1)
        #expect(worker.submit(.schedule(tag: 7, afterMilliseconds: 50, reportTo: sink.address)))
        let start = RelayTime.monotonicNow()
        var sent = 0
        // Keep the worker busy for 150 ms (the echoes are drained and dropped as we go).
        while RelayTime.monotonicNow().nanoseconds(since: start) < 150_000_000 {
            sender.send(numberedDatagram(sent), to: worker.localAddresses[0])
            sent += 1
            _ = sender.receive()
        }
        let report = try #require(sink.receive()).bytes
        #expect(report.first == 7)
        #expect(sent > 10)
    }
}
