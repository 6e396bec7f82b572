import CRelaySocket
import Glibc
import MediaRelay
import Testing

// MARK: - Loopback test support (used by every Worker suite)

/// 127.0.0.1 and ::1 with a port.
func loopback4(_ port: UInt16) -> RelayAddress {
    RelayAddress(ipv4: 0x7F00_0001, port: port)
}

func loopback6(_ port: UInt16) -> RelayAddress {
    RelayAddress(ipv6High: 0, low: 1, port: port)
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
}

/// A blocking UDP socket for tests, written directly against Glibc (its own sockaddr code, so
/// it checks the relay's conversions independently). Receives time out (SO_RCVTIMEO).
final class LoopbackPeer {
    let descriptor: Int32
    let address: RelayAddress

    init(ipv6: Bool = false, timeoutMilliseconds: Int = 3000) throws {
        let family = ipv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw PeerError(description: "socket: errno \(errno)") }
        var size: Int32 = 4 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(
            tv_sec: timeoutMilliseconds / 1000,
            tv_usec: (timeoutMilliseconds % 1000) * 1000
        )
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var (storage, length) = Self.socketAddress(ipv6 ? loopback6(0) : loopback4(0))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw PeerError(description: "bind: errno \(errno)")
        }
        var local = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &localLength) }
        }
        self.descriptor = descriptor
        self.address = Self.relayAddress(local)
    }

    deinit {
        close(self.descriptor)
    }

    /// Changes the receive timeout.
    func setTimeout(milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    @discardableResult
    func send(_ bytes: [UInt8], to destination: RelayAddress) -> Bool {
        var (storage, length) = Self.socketAddress(destination)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(self.descriptor, buffer.baseAddress, buffer.count, 0, $0, length)
                }
            }
        }
        return sent == bytes.count
    }

    /// The next datagram and its source, or nil after the timeout.
    func receive() -> (bytes: [UInt8], source: RelayAddress)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let received = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(self.descriptor, bytes.baseAddress, bytes.count, 0, $0, &length)
                }
            }
        }
        guard received >= 0 else { return nil }
        return (Array(buffer[0..<received]), Self.relayAddress(storage))
    }

    /// Receives `count` datagrams, stopping early at a timeout.
    func receive(count: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        for _ in 0..<count {
            guard let (bytes, _) = self.receive() else { break }
            datagrams.append(bytes)
        }
        return datagrams
    }

    static func socketAddress(_ address: RelayAddress) -> (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        switch address.family {
        case .ipv4:
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = address.port.bigEndian
            v4.sin_addr.s_addr = UInt32(truncatingIfNeeded: address.low).bigEndian
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: v4) { target.copyMemory(from: $0) }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .ipv6:
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &v6.sin6_addr) { bytes in
                for index in 0..<8 {
                    bytes[index] = UInt8(truncatingIfNeeded: address.high >> UInt64(56 - 8 * index))
                    bytes[8 + index] = UInt8(truncatingIfNeeded: address.low >> UInt64(56 - 8 * index))
                }
            }
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: v6) { target.copyMemory(from: $0) }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    static func relayAddress(_ storage: sockaddr_storage) -> RelayAddress {
        var storage = storage
        if storage.ss_family == sa_family_t(AF_INET) {
            return withUnsafeBytes(of: &storage) { raw in
                let v4 = raw.loadUnaligned(as: sockaddr_in.self)
                return RelayAddress(ipv4: UInt32(bigEndian: v4.sin_addr.s_addr), port: UInt16(bigEndian: v4.sin_port))
            }
        }
        return withUnsafeBytes(of: &storage) { raw in
            let v6 = raw.loadUnaligned(as: sockaddr_in6.self)
            var high: UInt64 = 0
            var low: UInt64 = 0
            withUnsafeBytes(of: v6.sin6_addr) { bytes in
                for index in 0..<8 {
                    high = high << 8 | UInt64(bytes[index])
                    low = low << 8 | UInt64(bytes[8 + index])
                }
            }
            return RelayAddress(ipv6High: high, low: low, port: UInt16(bigEndian: v6.sin6_port))
        }
    }
}

/// Polls `condition` every 5 ms for up to `seconds`; true as soon as it holds.
func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = RelayTime.monotonicNow().adding(nanoseconds: UInt64(seconds * 1e9))
    while RelayTime.monotonicNow() < deadline {
        if condition() {
            return true
        }
        usleep(5000)
    }
    return condition()
}

/// A datagram of `length` bytes whose first four bytes are `index` (big-endian), the rest a
/// pattern derived from it.
func numberedDatagram(_ index: Int, length: Int = 200) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: length)
    for position in 0..<length {
        bytes[position] = UInt8(truncatingIfNeeded: index &* 31 &+ position)
    }
    if length >= 4 {
        bytes[0] = UInt8(truncatingIfNeeded: index >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: index >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: index >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: index)
    }
    return bytes
}

// MARK: - Address conversion

@Suite("Worker address conversion")
struct WorkerAddressTests {
    static let addresses: [RelayAddress] = [
        RelayAddress(ipv4: 0x7F00_0001, port: 5000),
        RelayAddress(ipv4: 0xC000_0201, port: 65_535),
        RelayAddress(ipv4: 0, port: 1),
        RelayAddress(ipv6High: 0, low: 1, port: 443),
        RelayAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 0x0000_0000_0000_0001, port: 3478),
        RelayAddress(ipv6High: 0xFE80_0000_0000_0000, low: 0x0211_22FF_FE33_4455, port: 0),
        RelayAddress(ipv6High: .max, low: .max, port: 65_535),
    ]

    @Test("a destination written into a send slot reads back unchanged (IPv4 and IPv6)")
    func sendBatchRoundTrip() {
        var batch = SendBatch(slotCount: 8, slotSize: 64)
        for (index, address) in Self.addresses.enumerated() {
            batch.append(to: address, copying: numberedDatagram(index, length: 10).span)
        }
        #expect(batch.count == Self.addresses.count)
        for index in Self.addresses.indices {
            batch.withDatagram(at: index) { bytes, destination in
                #expect(destination == Self.addresses[index])
                #expect(bytes.count == 10)
                var copy: [UInt8] = []
                for position in 0..<bytes.count {
                    copy.append(bytes[position])
                }
                #expect(copy == numberedDatagram(index, length: 10))
            }
        }
    }

    @Test("sources decoded from the kernel match the sender's own address", arguments: [false, true])
    func receivedSource(ipv6: Bool) throws {
        let socket = try RelaySocket(bindingTo: ipv6 ? loopback6(0) : loopback4(0))
        #expect(socket.localAddress.family == (ipv6 ? .ipv6 : .ipv4))
        #expect(socket.localAddress.port != 0)
        let peer = try LoopbackPeer(ipv6: ipv6)
        #expect(peer.send([1, 2, 3], to: socket.localAddress))
        var batch = RecvBatch(slotCount: 4, slotSize: 2048, maximumDatagramSize: 1500)
        #expect(eventually { batch.receive(from: socket).received > 0 })
        try #require(batch.count == 1)
        batch.withDatagram(at: 0) { bytes, length, source in
            #expect(length == 3)
            #expect(bytes[0] == 1 && bytes[1] == 2 && bytes[2] == 3)
            #expect(source == peer.address)
        }
    }

    @Test("a reply to a decoded source reaches the sender: encoding matches the kernel's", arguments: [false, true])
    func replyThroughKernel(ipv6: Bool) throws {
        let socket = try RelaySocket(bindingTo: ipv6 ? loopback6(0) : loopback4(0))
        let peer = try LoopbackPeer(ipv6: ipv6)
        let worker = try RelayWorker(sockets: [socket], handler: EchoHandler())
        defer { worker.stop() }
        #expect(peer.send([9, 8, 7, 6], to: worker.localAddresses[0]))
        let reply = try #require(peer.receive())
        #expect(reply.bytes == [9, 8, 7, 6])
        #expect(reply.source == worker.localAddresses[0])
    }

    @Test("a dual-stack socket reports IPv4 peers as IPv4 and answers them")
    func dualStack() throws {
        let socket = try RelaySocket(
            bindingTo: RelayAddress(ipv6High: 0, low: 0, port: 0),
            options: RelaySocket.Options(ipv6Only: false)
        )
        #expect(socket.carriesIPv4 && socket.carriesIPv6)
        let port = socket.localAddress.port
        let peer = try LoopbackPeer(ipv6: false)
        let worker = try RelayWorker(sockets: [socket], handler: EchoHandler())
        defer { worker.stop() }
        #expect(peer.send([42], to: loopback4(port)))
        let reply = try #require(peer.receive())
        #expect(reply.bytes == [42])
        #expect(reply.source == loopback4(port))
    }
}

/// Sends every datagram back to its source, through the worker.
struct EchoHandler: RelayDatagramHandler {
    typealias Command = Never

    mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        send.append(to: source, copying: datagram.span.extracting(0..<length))
    }

    mutating func apply(_ command: Never, now: RelayTime, send: inout SendBatch) {}
}

@Suite("RelayAddress from text")
struct RelayAddressParsingTests {
    @Test("IPv4, IPv6 and bracketed IPv6 parse; names and garbage do not")
    func parsing() {
        #expect(RelayAddress(parsing: "127.0.0.1", port: 5000) == RelayAddress(ipv4: 0x7F00_0001, port: 5000))
        #expect(RelayAddress(parsing: "::1", port: 9) == RelayAddress(ipv6High: 0, low: 1, port: 9))
        #expect(RelayAddress(parsing: "[::1]", port: 9) == RelayAddress(ipv6High: 0, low: 1, port: 9))
        #expect(
            RelayAddress(parsing: "2001:db8::2", port: 1)
                == RelayAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 2, port: 1)
        )
        #expect(RelayAddress(parsing: "localhost", port: 1) == nil)
        #expect(RelayAddress(parsing: "300.1.1.1", port: 1) == nil)
        #expect(RelayAddress(parsing: "", port: 1) == nil)
    }
}
