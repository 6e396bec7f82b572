import Glibc
import MediaRelay
import RTCSecurity
import RTCWire

/// One browser-like client of the relay on a real loopback socket: a controlling ICE agent that
/// sends one signed Binding request with USE-CANDIDATE (RTCWire's writer, ``STUNAuthenticator``),
/// then a DTLS client (``DTLSEndpoint``) whose completed handshake yields the SRTP keys. The same
/// steps a browser takes, over UDP to the relay's socket, so the relay binds the client's real
/// tuple (127.0.0.1:port).
///
/// Used only to connect: once every client is connected the driver closes their sockets, and
/// RatioC's load binds the same ports to send the publisher's packets and count the subscribers'.
final class RatioClient {
    /// The client's transport on the relay (and its participant number).
    let id: TransportID
    /// The client's port on 127.0.0.1.
    let port: UInt16
    /// The ICE credentials the relay is given for this client.
    let credentials: ICECredentials
    /// The keys of the completed handshake (nil before).
    private(set) var keys: DTLSSRTPKeyingMaterial?
    /// The socket (connected to the relay), -1 once closed.
    private(set) var descriptor: Int32
    private let dtls: DTLSEndpoint
    private let authenticator: STUNAuthenticator

    /// Opens a UDP socket on 127.0.0.1:`port`, connected to 127.0.0.1:`relayPort`.
    init(
        id: UInt64,
        port: UInt16,
        relayPort: UInt16,
        context: DTLSContext,
        relayFingerprint: DTLSFingerprint
    )
        throws(RatioError)
    {
        self.id = TransportID(id)
        self.port = port
        self.credentials = ICECredentials(
            transport: self.id,
            localUfrag: "ratio\(id)",
            localPassword: "ratioPassword\(id)x0123456789abcdef",
            remoteUfrag: "client\(id)"
        )
        do {
            self.dtls = try DTLSEndpoint(
                context: context,
                role: .client,
                peerAddress: [],
                expectedFingerprints: [relayFingerprint]
            )
            self.authenticator = try STUNAuthenticator()
        } catch {
            throw RatioError("client \(id): \(error)")
        }
        self.descriptor = try Self.openSocket(port: port, relayPort: relayPort)
    }

    deinit {
        self.close()
    }

    /// The participant this client is in the routing table.
    var participant: RoutingParticipantID {
        RoutingParticipantID(rawValue: self.id.rawValue)
    }

    /// Whether the handshake completed.
    var isConnected: Bool {
        self.keys != nil
    }

    /// Sends the Binding request and the ClientHello.
    func start() throws(RatioError) {
        var request: [UInt8] = []
        do {
            let writer = try STUNMessageWriter.bindingRequest(
                transactionID: STUNTransactionID(high: UInt32(truncatingIfNeeded: self.id.rawValue), low: 1),
                username: "\(self.credentials.localUfrag):\(self.credentials.remoteUfrag ?? "")",
                priority: 0x6E00_01FF,
                role: .controlling(tieBreaker: 0x0102_0304_0506_0708 &+ self.id.rawValue),
                useCandidate: true,
                appendingTo: &request
            )
            try self.authenticator.appendIntegrityAndFingerprint(
                to: &request,
                writer: writer,
                password: self.credentials.localPassword
            )
        } catch {
            throw RatioError("client \(self.id.rawValue): building the Binding request: \(error)")
        }
        try self.send(request)
        try self.send(self.dtls.start())
    }

    /// Reads every datagram waiting on the socket and answers DTLS; STUN responses are taken as
    /// they come.
    func readAvailable() throws(RatioError) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Bounded: a socket holds a finite number of datagrams, and 64 is far more than a
        // handshake flight.
        for _ in 0..<64 {
            let count = buffer.withUnsafeMutableBytes { bytes in
                recv(self.descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
            }
            guard count > 0 else { return }
            let datagram = Array(buffer[0..<count])
            switch PacketClass(classifying: datagram.span) {
            case .dtls:
                try self.take(self.dtls.receive(datagram: datagram.span))
            default:
                continue
            }
        }
    }

    /// Retransmits the last DTLS flight when its timer expired.
    func handleTimeout() throws(RatioError) {
        guard !self.isConnected else { return }
        try self.take(self.dtls.handleTimeout())
    }

    /// Closes the socket (so that RatioC can bind the port).
    func close() {
        if self.descriptor >= 0 {
            _ = Glibc.close(self.descriptor)
            self.descriptor = -1
        }
    }

    private func take(_ output: DTLSEndpoint.Output) throws(RatioError) {
        for event in output.events {
            switch event {
            case .handshakeCompleted(let keys):
                self.keys = keys
            case .failed(let error):
                throw RatioError("client \(self.id.rawValue): DTLS failed: \(error)")
            case .closed:
                throw RatioError("client \(self.id.rawValue): DTLS closed while connecting")
            }
        }
        try self.send(output)
    }

    private func send(_ output: DTLSEndpoint.Output) throws(RatioError) {
        for datagram in output.datagrams {
            try self.send(datagram)
        }
    }

    private func send(_ datagram: [UInt8]) throws(RatioError) {
        let sent = datagram.withUnsafeBytes { bytes in
            Glibc.send(self.descriptor, bytes.baseAddress, bytes.count, 0)
        }
        guard sent == datagram.count else {
            throw RatioError("client \(self.id.rawValue): send failed (errno \(errno))")
        }
    }

    private static func openSocket(port: UInt16, relayPort: UInt16) throws(RatioError) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw RatioError("socket failed (errno \(errno))")
        }
        var local = Self.loopback(port: port)
        var relay = Self.loopback(port: relayPort)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw RatioError("bind 127.0.0.1:\(port) failed (errno \(code))")
        }
        let connected = withUnsafePointer(to: &relay) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
        }
        guard connected == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw RatioError("connect to 127.0.0.1:\(relayPort) failed (errno \(code))")
        }
        return descriptor
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// A failure of the ratio driver, with what went wrong.
struct RatioError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
