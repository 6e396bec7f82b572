import Glibc
import MediaRelay
import Testing

@Suite("Worker lifecycle")
struct WorkerLifecycleTests {
    /// The inode behind a descriptor, or nil when the descriptor is closed.
    static func inode(_ descriptor: Int32) -> UInt64? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return UInt64(status.st_ino)
    }

    @Test("stop joins the thread and closes the sockets, epoll and eventfd")
    func stopClosesEverything() throws {
        let socket4 = try RelaySocket(bindingTo: loopback4(0))
        let socket6 = try RelaySocket(bindingTo: loopback6(0))
        let worker = try RelayWorker(sockets: [socket4, socket6], handler: ForwardingHandler(destinations: []))
        let addresses = worker.localAddresses
        let descriptors = worker.fileDescriptors
        #expect(descriptors.count == 4)
        // The same descriptor number may be reused by another test once closed: compare inodes.
        let inodes = descriptors.map(Self.inode)
        #expect(inodes.allSatisfy { $0 != nil })
        #expect(worker.isRunning)

        worker.stop()
        #expect(!worker.isRunning)
        for (descriptor, inode) in zip(descriptors, inodes) {
            let now = Self.inode(descriptor)
            #expect(now == nil || now != inode)
        }
        // The ports are free again.
        for address in addresses {
            let again = try RelaySocket(bindingTo: address)
            #expect(again.localAddress == address)
        }
        // Stopping again does nothing; commands are refused.
        worker.stop()
        #expect(!worker.submit(.replaceDestinations([])))
    }

    @Test("commands queued before stop are applied, and their sends flushed, before the sockets close")
    func stopAppliesQueuedCommands() throws {
        let sink = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ProbeHandler())
        #expect(worker.submit(.record(5)))
        #expect(worker.submit(.report(to: sink.address)))
        worker.stop()
        let report = try #require(sink.receive()).bytes
        #expect(report.count == 24)
        #expect(ProbeHandler.value(report[16..<24]) == 5)
        #expect(worker.statistics.commandsApplied == 2)
    }

    @Test("releasing a running worker stops it")
    func releaseStops() throws {
        var address = loopback4(0)
        do {
            let socket = try RelaySocket(bindingTo: address)
            let worker = try RelayWorker(sockets: [socket], handler: ForwardingHandler(destinations: []))
            address = worker.localAddresses[0]
            #expect(worker.isRunning)
        }
        let again = try RelaySocket(bindingTo: address)
        #expect(again.localAddress == address)
    }

    @Test("a stop from many threads at once joins once and returns in each")
    func concurrentStops() async throws {
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(sockets: [socket], handler: ForwardingHandler(destinations: []))
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    worker.stop()
                    return worker.isRunning
                }
            }
            for await running in group {
                #expect(!running)
            }
        }
    }

    @Test("an invalid configuration is refused and the sockets handed over are closed")
    func invalidConfiguration() throws {
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let address = socket.localAddress
        var configuration = RelayWorkerConfiguration()
        configuration.slotSize = 1000
        #expect(configuration.validate()?.contains("slotSize") == true)
        do {
            _ = try RelayWorker(
                sockets: [socket],
                handler: ForwardingHandler(destinations: []),
                configuration: configuration
            )
            Issue.record("an invalid configuration was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("slotSize"))
        }
        let again = try RelaySocket(bindingTo: address)
        #expect(again.localAddress == address)

        #expect(throws: RelayIOError(code: .invalidArgument, operation: "RelayWorker.init", message: "")) {
            _ = try RelayWorker(sockets: [], handler: ForwardingHandler(destinations: []))
        }
        #expect(throws: RelayIOError(code: .badDescriptor, operation: "RelayWorker.init", message: "")) {
            let closed = try RelaySocket(bindingTo: loopback4(0))
            closed.close()
            _ = try RelayWorker(sockets: [closed], handler: ForwardingHandler(destinations: []))
        }
        #expect(RelayWorkerConfiguration(receiveBatchSize: 65).validate()?.contains("receiveBatchSize") == true)
        #expect(RelayWorkerConfiguration(sendBatchSize: 0).validate()?.contains("sendBatchSize") == true)
        #expect(RelayWorkerConfiguration(maximumBatchesPerIteration: 0).validate() != nil)
        #expect(RelayWorkerConfiguration().validate() == nil)
    }

    @Test("the thread takes the configured name and can be pinned")
    func nameAndCPU() throws {
        let sink = try LoopbackPeer()
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let worker = try RelayWorker(
            sockets: [socket],
            handler: ThreadNameHandler(),
            configuration: RelayWorkerConfiguration(name: "parley-test-worker-long", cpu: 0)
        )
        defer { worker.stop() }
        #expect(worker.submit(sink.address))
        let report = String(decoding: try #require(sink.receive()).bytes, as: UTF8.self)
        // The kernel keeps 15 bytes of a thread name; the thread may run on CPU 0 only.
        #expect(report == "parley-test-wor|0")
    }
}

/// Reports the worker thread's name and the CPUs it may run on to the address in each command.
struct ThreadNameHandler: RelayDatagramHandler {
    typealias Command = RelayAddress

    mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {}

    mutating func apply(_ command: RelayAddress, now: RelayTime, send: inout SendBatch) {
        // /proc/thread-self describes the calling thread: the worker's, here.
        let name = Self.read("/proc/thread-self/comm").trimmingSuffix("\n")
        let status = Self.read("/proc/thread-self/status")
        let cpus =
            status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?
            .split(separator: ":").last?.trimmingSuffix(" ").trimmingPrefix(" ").trimmingPrefix("\t") ?? ""
        send.append(to: command, copying: Array("\(name)|\(cpus)".utf8).span)
    }

    static func read(_ path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            text += String(decoding: line, as: UTF8.self)
        }
        return text
    }
}

extension StringProtocol {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = String(self)
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }

    func trimmingPrefix(_ prefix: String) -> String {
        var text = String(self)
        while text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text
    }
}
