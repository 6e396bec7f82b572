import Glibc
import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Transport timers: consent, connect timeout, DTLS retransmission")
struct TransportTimerTests {
    static let id = TransportConnectionTests.id
    static let start = TransportConnectionTests.start
    static let peerAddress = TransportSecurityTests.peerAddress

    @Test("no consent for 30 s stops sending and closes; consent checks from the bound tuple keep it alive")
    func consentExpiry() throws {
        let (relay, transport, peer) = try TransportSecurityTests.connected()
        // Consent checks at +10 s and +20 s from the bound tuple; one from elsewhere does not count.
        for seconds: UInt64 in [10, 20] {
            let now = Self.start.adding(milliseconds: seconds * 1_000)
            _ = relay.receive(try peer.bindingRequest(useCandidate: false), from: peer.address, now: now)
            #expect(transport.lastConsent == now)
        }
        let elsewhere = RelayAddress(ipv4: 0x0A0A_0A0A, port: 1_234)
        _ = relay.receive(
            try peer.bindingRequest(useCandidate: false),
            from: elsewhere,
            now: Self.start.adding(milliseconds: 25_000)
        )
        let lastConsent = Self.start.adding(milliseconds: 20_000)
        #expect(transport.lastConsent == lastConsent)
        let expiry = lastConsent.adding(milliseconds: 30_000)
        #expect(transport.consentDeadline == expiry)
        #expect(transport.nextDeadline == expiry)

        // One nanosecond before: still allowed to send.
        #expect(relay.tick(now: RelayTime(nanoseconds: expiry.nanoseconds - 1)).isEmpty)
        #expect(transport.canSend)
        #expect(relay.events.count == 2)

        // At 30 s: sending stops and the transport closes, saying why; nothing is sent.
        #expect(relay.tick(now: expiry).isEmpty)
        #expect(!transport.canSend)
        #expect(transport.state == .closed(.consentExpired))
        #expect(relay.events.suffix(2).map(\.1) == [.consentExpired, .closed(.consentExpired)])
        #expect(transport.nextDeadline == nil)
        var buffer = TransportTestPeer.rtpPacket(sequence: 1) + [UInt8](repeating: 0, count: 16)
        var span = buffer.mutableSpan
        #expect(try transport.protectRTP(&span, length: 52) == .dropped(.sendWithoutConsent))
        #expect(transport.counters[.sendWithoutConsent] == 1)
        #expect(relay.demux.count == 0)
        #expect(relay.responder.credentialCount == 0)
        // Later timers do nothing more.
        #expect(transport.handleTimer(now: expiry.adding(milliseconds: 60_000)).isEmpty)
    }

    @Test("consent is also enforced while DTLS is still running")
    func consentDuringDTLS() throws {
        var limits = RelayLimits()
        limits.connectTimeoutSeconds = 60
        let relay = try TransportTestRelay(limits: limits)
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        _ = relay.receive(try peer.bindingRequest(useCandidate: true), from: peer.address, now: Self.start)
        #expect(transport.state == .dtls)
        #expect(transport.nextDeadline == Self.start.adding(milliseconds: 30_000))
        _ = relay.tick(now: Self.start.adding(milliseconds: 30_000))
        #expect(transport.state == .closed(.consentExpired))
    }

    @Test("a transport never bound is closed and reported at the connect timeout")
    func connectTimeoutWithoutICE() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let deadline = Self.start.adding(milliseconds: 30_000)
        #expect(transport.nextDeadline == deadline)
        #expect(relay.tick(now: RelayTime(nanoseconds: deadline.nanoseconds - 1)).isEmpty)
        #expect(transport.state == .waitingForICE)
        #expect(relay.events.isEmpty)
        _ = relay.tick(now: deadline)
        #expect(transport.state == .closed(.connectTimeout))
        #expect(relay.events.map(\.1) == [.closed(.connectTimeout)])
        #expect(relay.responder.credentialCount == 0)
    }

    @Test("a handshake that never completes is freed at the connect timeout")
    func connectTimeoutDuringDTLS() throws {
        let relay = try TransportTestRelay()
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        // ICE succeeds and DTLS starts, but the peer's messages stop after its first flight.
        let later = Self.start.adding(milliseconds: 5_000)
        _ = relay.receive(try peer.bindingRequest(useCandidate: true), from: peer.address, now: later)
        for datagram in peer.dtls.start().datagrams {
            _ = relay.receive(datagram, from: peer.address, now: later)
        }
        #expect(transport.state == .dtls)
        // Consent keeps coming, so only the connect timeout (from creation, not from binding) ends it.
        let checkTime = Self.start.adding(milliseconds: 25_000)
        _ = relay.receive(try peer.bindingRequest(useCandidate: false), from: peer.address, now: checkTime)
        let deadline = Self.start.adding(milliseconds: 30_000)
        #expect(transport.connectDeadline == deadline)
        _ = relay.tick(now: RelayTime(nanoseconds: deadline.nanoseconds - 1))
        #expect(transport.state == .dtls)
        _ = relay.tick(now: deadline)
        #expect(transport.state == .closed(.connectTimeout))
        #expect(transport.dtlsState == nil)
        #expect(relay.events.map(\.1) == [.bound(peer.address), .closed(.connectTimeout)])
        #expect(relay.demux.count == 0)
    }

    @Test("the DTLS retransmission timer is the transport's next deadline and retransmits to the bound tuple")
    func dtlsRetransmission() throws {
        // Short DTLS timers (30 ms) so the test waits little: OpenSSL times its retransmissions with
        // the system clock, so real time must pass.
        var configuration = DTLSContext.Configuration()
        configuration.initialRetransmissionTimeout = .milliseconds(30)
        configuration.maximumRetransmissionTimeout = .milliseconds(120)
        let relay = try TransportTestRelay(dtlsConfiguration: configuration)
        let transport = try relay.addTransport(Self.id, credentials: ICELiteResponderTests.credentials, now: Self.start)
        let peer = try TransportTestPeer(address: Self.peerAddress)
        _ = relay.receive(try peer.bindingRequest(useCandidate: true), from: peer.address, now: Self.start)
        // ClientHello -> HelloVerifyRequest (no timer), ClientHello with cookie -> the server's flight.
        var toRelay = peer.dtls.start().datagrams
        var serverFlight: [[UInt8]] = []
        for _ in 0..<2 {
            var next: [[UInt8]] = []
            for datagram in toRelay {
                for (destination, bytes) in relay.receive(datagram, from: peer.address, now: Self.start) {
                    #expect(destination == peer.address)
                    serverFlight.append(bytes)
                    next += peer.dtls.receive(datagram: bytes.span).datagrams
                }
            }
            toRelay = next
        }
        // The peer's second flight is lost: the relay's timer is armed.
        #expect(!serverFlight.isEmpty)
        let deadline = try #require(transport.nextDeadline)
        #expect(deadline >= Self.start)
        #expect(deadline <= Self.start.adding(milliseconds: 30))
        #expect(deadline < transport.connectDeadline)

        usleep(45_000)
        let retransmitted = relay.tick(now: deadline)
        #expect(!retransmitted.isEmpty)
        #expect(retransmitted.allSatisfy { $0.0 == peer.address })
        #expect(transport.state == .dtls)
        let rearmed = try #require(transport.nextDeadline)
        #expect(rearmed > deadline)
    }
}
