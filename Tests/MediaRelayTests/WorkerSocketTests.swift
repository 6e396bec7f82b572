import Glibc
import MediaRelay
import Testing

@Suite("Worker sockets")
struct WorkerSocketTests {
    /// net.core.rmem_max / wmem_max: the most an unprivileged socket gets.
    static func systemLimit(_ name: String) -> Int {
        guard let file = fopen("/proc/sys/net/core/\(name)", "r") else { return 0 }
        defer { fclose(file) }
        var value = 0
        withUnsafeMutablePointer(to: &value) { pointer in
            _ = withVaList([pointer]) { vfscanf(file, "%ld", $0) }
        }
        return value
    }

    @Test("binding port 0 gets an ephemeral port, IPv4 and IPv6", arguments: [false, true])
    func ephemeralPort(ipv6: Bool) throws {
        let socket = try RelaySocket(bindingTo: ipv6 ? loopback6(0) : loopback4(0))
        #expect(socket.isOpen)
        #expect(socket.localAddress.port != 0)
        #expect(
            socket.localAddress == (ipv6 ? loopback6(socket.localAddress.port) : loopback4(socket.localAddress.port))
        )
        #expect(socket.carriesIPv4 == !ipv6)
        #expect(socket.carriesIPv6 == ipv6)
    }

    @Test("buffer sizes are applied (the kernel reports twice the request, capped by rmem_max/wmem_max)")
    func bufferSizes() throws {
        let requested = 1 << 20
        let socket = try RelaySocket(
            bindingTo: loopback4(0),
            options: RelaySocket.Options(receiveBufferSize: requested, sendBufferSize: requested / 2)
        )
        let receiveCap = min(requested, Self.systemLimit("rmem_max"))
        let sendCap = min(requested / 2, Self.systemLimit("wmem_max"))
        #expect(socket.receiveBufferSize >= receiveCap)
        #expect(socket.sendBufferSize >= sendCap)

        let small = try RelaySocket(
            bindingTo: loopback4(0),
            options: RelaySocket.Options(receiveBufferSize: 8192, sendBufferSize: 8192)
        )
        #expect(small.receiveBufferSize < socket.receiveBufferSize)
        #expect(small.receiveBufferSize >= 8192)
    }

    @Test("a port in use is reported as addressInUse; SO_REUSEPORT lets sockets share it")
    func addressInUse() throws {
        let first = try RelaySocket(bindingTo: loopback4(0))
        #expect(throws: RelayIOError(code: .addressInUse, operation: "bind", message: "")) {
            _ = try RelaySocket(bindingTo: first.localAddress)
        }
        let sharedOptions = RelaySocket.Options(reusePort: true)
        let a = try RelaySocket(bindingTo: loopback6(0), options: sharedOptions)
        let b = try RelaySocket(bindingTo: a.localAddress, options: sharedOptions)
        #expect(b.localAddress == a.localAddress)
    }

    @Test("an address this machine does not have is reported as addressNotAvailable")
    func addressNotAvailable() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host.
        #expect(throws: RelayIOError(code: .addressNotAvailable, operation: "bind", message: "")) {
            _ = try RelaySocket(bindingTo: RelayAddress(ipv4: 0xC000_0201, port: 0))
        }
    }

    @Test("close is explicit, idempotent, and a closed socket receives nothing (EBADF)")
    func close() throws {
        let socket = try RelaySocket(bindingTo: loopback4(0))
        let address = socket.localAddress
        socket.close()
        socket.close()
        #expect(!socket.isOpen)
        #expect(socket.receiveBufferSize == 0)
        var batch = RecvBatch(slotCount: 4)
        let outcome = batch.receive(from: socket)
        #expect(outcome.error == .badDescriptor)
        #expect(batch.count == 0)
        // The port is free again.
        let again = try RelaySocket(bindingTo: address)
        #expect(again.localAddress == address)
    }

    @Test("deinit closes the socket (its port can be bound again)")
    func deinitCloses() throws {
        var address = loopback6(0)
        do {
            let socket = try RelaySocket(bindingTo: address)
            address = socket.localAddress
        }
        let again = try RelaySocket(bindingTo: address)
        #expect(again.localAddress == address)
    }

    @Test("errors compare by code and describe the call and errno")
    func errorDescription() {
        let error = RelayIOError(code: .addressInUse, operation: "bind", message: "Address already in use")
        #expect(error.description == "bind failed: EADDRINUSE (Address already in use)")
        #expect(error == RelayIOError(code: .addressInUse, operation: "socket", message: "other"))
        #expect(error != RelayIOError(code: .invalidArgument, operation: "bind", message: "Address already in use"))
    }
}
