public import MediaRelay
public import RTCSecurity
import RTCWire

/// A browser-like client of a ``RelayCoreHarness``, without a socket: a controlling ICE agent
/// (Binding requests built with RTCWire's writer, signed with ``STUNAuthenticator``), a DTLS
/// client and, once the handshake completed, its SRTP sessions.
///
/// The harness owns its clients and moves their datagrams; tests use ``unprotectRTP(_:)`` to read
/// what the relay forwarded to a client. Not thread-safe.
public final class RelayTestClient {
    /// The client's transport on the relay (and, as a participant, the same number).
    public let id: TransportID
    /// The address the client's datagrams come from (never a real socket).
    public let address: RelayAddress
    /// The ICE credentials the relay is given for this client.
    public let credentials: ICECredentials
    let dtls: DTLSEndpoint
    let authenticator: STUNAuthenticator
    /// Decrypts what the relay sends (nil until the handshake completed).
    public private(set) var inbound: SRTPSession?
    /// Encrypts what the client sends (nil until the handshake completed).
    public private(set) var outbound: SRTPSession?
    private var transactionCounter: UInt64 = 0

    /// Makes a client with its own credentials (derived from `id`), a DTLS client endpoint on
    /// `context` that expects the relay's `relayFingerprint`.
    ///
    /// - Throws: ``DTLSError`` or ``STUNIntegrityError`` if OpenSSL cannot create the endpoint or HMAC.
    init(id: UInt64, address: RelayAddress, context: DTLSContext, relayFingerprint: DTLSFingerprint) throws {
        self.id = TransportID(id)
        self.address = address
        self.credentials = ICECredentials(
            transport: self.id,
            localUfrag: "relay\(id)",
            localPassword: "relayPassword\(id)x0123456789abcdef",
            remoteUfrag: "client\(id)"
        )
        self.dtls = try DTLSEndpoint(
            context: context,
            role: .client,
            peerAddress: [],
            expectedFingerprints: [relayFingerprint]
        )
        self.authenticator = try STUNAuthenticator()
    }

    /// The participant this client is in the routing table.
    public var participant: RoutingParticipantID {
        RoutingParticipantID(rawValue: self.id.rawValue)
    }

    /// Whether the DTLS handshake completed and the SRTP sessions exist.
    public var isConnected: Bool {
        self.inbound != nil && self.outbound != nil
    }

    /// A signed Binding request with USE-CANDIDATE, as a controlling browser nominates with.
    func bindingRequest() throws -> [UInt8] {
        self.transactionCounter += 1
        var bytes: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: STUNTransactionID(
                high: UInt32(truncatingIfNeeded: self.id.rawValue),
                low: self.transactionCounter
            ),
            username: "\(self.credentials.localUfrag):\(self.credentials.remoteUfrag ?? "")",
            priority: 0x6E00_01FF,
            role: .controlling(tieBreaker: 0x0102_0304_0506_0708 &+ self.id.rawValue),
            useCandidate: true,
            appendingTo: &bytes
        )
        try self.authenticator.appendIntegrityAndFingerprint(
            to: &bytes,
            writer: writer,
            password: self.credentials.localPassword
        )
        return bytes
    }

    /// The first DTLS flight (the ClientHello).
    func startDTLS() -> [[UInt8]] {
        self.dtls.start().datagrams
    }

    /// Takes a datagram from the relay during connection; returns what the client sends back.
    /// STUN responses are taken as they come; DTLS goes to the endpoint, whose completed
    /// handshake yields the SRTP sessions.
    ///
    /// - Throws: ``RelayCoreHarnessError`` for anything else or a failed handshake.
    func receive(_ datagram: [UInt8]) throws -> [[UInt8]] {
        switch PacketClass(classifying: datagram.span) {
        case .stun:
            return []
        case .dtls:
            let output = self.dtls.receive(datagram: datagram.span)
            for event in output.events {
                switch event {
                case .handshakeCompleted(let keys):
                    // The client unprotects with the relay's key and protects with its own.
                    self.inbound = try SRTPSession(direction: .inbound, keyingMaterial: keys.remote)
                    self.outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
                case .failed(let error):
                    throw RelayCoreHarnessError("client \(self.id): DTLS failed: \(error)")
                case .closed:
                    throw RelayCoreHarnessError("client \(self.id): DTLS closed during connection")
                }
            }
            return output.datagrams
        default:
            throw RelayCoreHarnessError("client \(self.id): the relay sent neither STUN nor DTLS while connecting")
        }
    }

    /// Encrypts a plain RTP packet as this client sends it to the relay (for tests; allocates).
    ///
    /// - Throws: ``RelayCoreHarnessError`` before the handshake completed, ``SRTPError`` when
    ///   protection fails.
    public func protectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        guard let outbound = self.outbound else {
            throw RelayCoreHarnessError("client \(self.id) is not connected")
        }
        return try outbound.protectRTP(packet)
    }

    /// Decrypts an SRTP packet the relay sent to this client (for tests; allocates).
    ///
    /// - Throws: ``RelayCoreHarnessError`` before the handshake completed, ``SRTPError`` for a
    ///   packet that does not authenticate.
    public func unprotectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        guard let inbound = self.inbound else {
            throw RelayCoreHarnessError("client \(self.id) is not connected")
        }
        return try inbound.unprotectRTP(packet)
    }
}

@available(*, unavailable)
extension RelayTestClient: Sendable {}
