internal import CRelaySocket
internal import Glibc

/// A bound, non-blocking UDP socket (IPv4 or IPv6): owns one file descriptor and closes it on
/// ``close()`` or `deinit`.
///
/// Create sockets on any thread, then hand them to a ``RelayWorker``, which reads and writes
/// them on its own thread and closes them when it stops. A socket belongs to one thread at a
/// time: it is not `Sendable`, and the worker takes it with `sending`.
///
/// ```swift
/// let socket = try RelaySocket(bindingTo: RelayAddress(ipv4: 0x7F00_0001, port: 0))
/// print(socket.localAddress)  // 127.0.0.1:40517, the port the kernel chose
/// ```
public final class RelaySocket {
    /// Socket options applied before binding.
    public struct Options: Sendable, Hashable {
        /// SO_RCVBUF in bytes, or nil for the kernel's default. The kernel caps it at
        /// `net.core.rmem_max` unless the process has CAP_NET_ADMIN. A relay wants a large one:
        /// it absorbs bursts while the worker is busy.
        public var receiveBufferSize: Int?
        /// SO_SNDBUF in bytes, or nil for the kernel's default (capped at `net.core.wmem_max`).
        public var sendBufferSize: Int?
        /// SO_REUSEPORT: several sockets (one per worker) bound to one port share its traffic,
        /// the kernel choosing a socket by the peer's address and port.
        public var reusePort: Bool
        /// IPV6_V6ONLY for IPv6 sockets. False makes a dual-stack socket: bound to `::`, it also
        /// receives IPv4 (reported as plain IPv4 ``RelayAddress``es) and can send to IPv4.
        public var ipv6Only: Bool

        /// Options: 4 MiB receive buffer, 1 MiB send buffer, no port sharing, IPv6 only.
        public init(
            receiveBufferSize: Int? = 4 << 20,
            sendBufferSize: Int? = 1 << 20,
            reusePort: Bool = false,
            ipv6Only: Bool = true
        ) {
            self.receiveBufferSize = receiveBufferSize
            self.sendBufferSize = sendBufferSize
            self.reusePort = reusePort
            self.ipv6Only = ipv6Only
        }
    }

    /// The address and port the socket is bound to (with the kernel's port when bound to 0).
    public let localAddress: RelayAddress
    /// Whether the socket can send to and receive from IPv4 peers (an IPv4 socket, or a
    /// dual-stack IPv6 one).
    public let carriesIPv4: Bool
    /// Whether the socket can send to and receive from IPv6 peers.
    public let carriesIPv6: Bool
    // AF_INET or AF_INET6: how destinations are encoded for this socket.
    let socketFamily: Int32
    // Owned: opened in init, closed once by close() or deinit; -1 once closed.
    private(set) var descriptor: Int32

    /// Opens a UDP socket and binds it.
    ///
    /// - Parameters:
    ///   - address: the local address (`0.0.0.0`, `::`, `127.0.0.1`, `::1`, a host address) and
    ///     port (0: the kernel picks one, see ``localAddress``).
    ///   - options: buffer sizes, port sharing, dual stack.
    /// - Throws: ``RelayIOError``: ``RelayIOError/Code/addressInUse`` when the port is taken,
    ///   ``RelayIOError/Code/addressNotAvailable`` for an address this machine does not have,
    ///   ``RelayIOError/Code/addressFamilyNotSupported`` when IPv6 is disabled.
    public init(bindingTo address: RelayAddress, options: Options = Options()) throws(RelayIOError) {
        let family = address.socketFamily
        let descriptor = crelay_udp_open(family, options.ipv6Only ? 1 : 0, options.reusePort ? 1 : 0)
        guard descriptor >= 0 else {
            throw RelayIOError.fromErrno("socket")
        }
        // From here every failure closes the descriptor before throwing.
        func fail(_ operation: StaticString) -> RelayIOError {
            let error = RelayIOError.fromErrno(operation)
            Glibc.close(descriptor)
            return error
        }
        if let size = options.receiveBufferSize {
            guard crelay_set_buffer_size(descriptor, 1, Int32(clamping: size)) == 0 else {
                throw fail("setsockopt(SO_RCVBUF)")
            }
        }
        if let size = options.sendBufferSize {
            guard crelay_set_buffer_size(descriptor, 0, Int32(clamping: size)) == 0 else {
                throw fail("setsockopt(SO_SNDBUF)")
            }
        }
        var storage = sockaddr_storage()
        var length = socklen_t(0)
        guard address.write(to: &storage, length: &length, socketFamily: family) else {
            Glibc.close(descriptor)
            throw RelayIOError(errno: EAFNOSUPPORT, operation: "bind")
        }
        guard crelay_bind(descriptor, &storage, length) == 0 else {
            throw fail("bind")
        }
        guard crelay_local_address(descriptor, &storage, &length) == 0 else {
            throw fail("getsockname")
        }
        guard let local = RelayAddress(socketAddress: &storage, length: length) else {
            Glibc.close(descriptor)
            throw RelayIOError(errno: EAFNOSUPPORT, operation: "getsockname")
        }
        self.descriptor = descriptor
        self.socketFamily = family
        // A dual-stack socket bound to `::` reports `::`, not a mapped address: the family
        // decides what it carries, and the option whether IPv4 comes too.
        self.localAddress = local
        self.carriesIPv4 = family == AF_INET || !options.ipv6Only
        self.carriesIPv6 = family == AF_INET6
    }

    deinit {
        self.close()
    }

    /// Whether the socket is still open.
    public var isOpen: Bool {
        self.descriptor >= 0
    }

    /// The kernel's receive buffer size in bytes (what SO_RCVBUF reports: twice the granted
    /// request, the kernel counting its bookkeeping), or 0 once closed.
    public var receiveBufferSize: Int {
        self.isOpen ? Int(max(0, crelay_buffer_size(self.descriptor, 1))) : 0
    }

    /// The kernel's send buffer size in bytes (SO_SNDBUF, as ``receiveBufferSize``), or 0 once
    /// closed.
    public var sendBufferSize: Int {
        self.isOpen ? Int(max(0, crelay_buffer_size(self.descriptor, 0))) : 0
    }

    /// Whether this socket can send to `address` (its family, or IPv4 on a dual-stack socket).
    public func canReach(_ address: RelayAddress) -> Bool {
        address.family == .ipv4 ? self.carriesIPv4 : self.carriesIPv6
    }

    /// Closes the descriptor now. Calling it again does nothing; a closed socket receives and
    /// sends nothing (the batches report `EBADF`).
    public func close() {
        guard self.descriptor >= 0 else { return }
        // close(2) on Linux releases the descriptor even when it reports EINTR: never retry.
        Glibc.close(self.descriptor)
        self.descriptor = -1
    }

    /// The file descriptor (-1 once closed), for tests that check it was closed.
    package var fileDescriptor: Int32 {
        self.descriptor
    }
}

@available(*, unavailable)
extension RelaySocket: Sendable {}
