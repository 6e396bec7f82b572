import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("ICE amplification, reflection and rate limits")
struct ICEAmplificationTests {
    /// Ten kinds of unauthenticated datagram an attacker (or a confused host) might send.
    static func floodDatagrams() throws -> [[UInt8]] {
        var wrongPassword = ICELiteResponderTests.agent
        wrongPassword.relayPassword = "wrongPassword0123456789"
        var unknownUser = ICELiteResponderTests.agent
        unknownUser.relayUfrag = "zzzz"
        let valid = try ICELiteResponderTests.agent.bindingRequest(useCandidate: true)
        var overrun = valid
        overrun[22] = 0x02
        var headerOnly: [UInt8] = []
        _ = STUNMessageWriter(
            type: .bindingRequest,
            transactionID: STUNTransactionID(high: 1, low: 1),
            appendingTo: &headerOnly
        )
        var badFingerprint = valid
        badFingerprint[badFingerprint.count - 1] ^= 0x80
        var unsigned: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: STUNTransactionID(high: 2, low: 2),
            username: "abcd:peer1234",
            priority: 1,
            role: .controlling(tieBreaker: 1),
            appendingTo: &unsigned
        )
        try writer.appendFingerprint(to: &unsigned)
        return [
            try wrongPassword.bindingRequest(useCandidate: true),
            try unknownUser.bindingRequest(useCandidate: false),
            try ICELiteResponderTests.agent.bindingRequest(useCandidate: true, username: "abc:peer1234"),
            overrun,
            headerOnly,
            badFingerprint,
            unsigned,
            [0x00, 0x01, 0x00, 0x00, 0x21, 0x12],
            [UInt8](repeating: 0x00, count: 40),
            [UInt8](repeating: 0x01, count: 1_400),
        ]
    }

    @Test("10^4 unauthenticated datagrams from 10^4 addresses: bytes out <= bytes in, no XOR-MAPPED-ADDRESS, no state")
    func flood() throws {
        let responder = try ICELiteResponderTests.responder()
        let relay = try TransportTestRelay(responder: responder)
        let id = ICELiteResponderTests.transport
        _ = try relay.addTransport(id, now: RelayTime(nanoseconds: 0))
        let slotsBefore = responder.rateLimiter.slotCount
        let datagrams = try Self.floodDatagrams()
        var bytesIn = 0
        var bytesOut = 0
        var responses = 0
        for index in 0..<10_000 {
            let request = datagrams[index % datagrams.count]
            let source: RelayAddress =
                index.isMultiple(of: 2)
                ? RelayAddress(ipv4: 0x0A00_0000 | UInt32(index), port: UInt16(truncatingIfNeeded: 1_024 + index))
                : RelayAddress(ipv6High: 0x2001_0DB8_0000_0000, low: UInt64(index), port: 40_000)
            let now = RelayTime(nanoseconds: UInt64(index) * 100_000)  // 10^4 datagrams per second
            let sent = relay.receive(request, from: source, now: now)
            bytesIn += request.count
            for (destination, bytes) in sent {
                #expect(destination == source)
                #expect(bytes.count <= request.count)
                bytesOut += bytes.count
                responses += 1
                let message = try STUNMessage(parsing: bytes, fingerprint: .require)
                #expect(message.xorMappedAddress == nil)
                #expect(message.attribute(.mappedAddress, in: bytes.span) == nil)
                #expect(message.messageIntegrity == nil)
                #expect(message.type == .bindingErrorResponse)
            }
        }
        #expect(bytesOut <= bytesIn)
        #expect(Double(bytesOut) / Double(bytesIn) <= 1.0)
        // Some errors were sent (the test can see them), but far fewer bytes than came in.
        #expect(responses > 0)
        #expect(responder.counters.errorResponseBytes == UInt64(bytesOut))
        // No state: tables are the size they were, nothing bound or authenticated.
        #expect(responder.rateLimiter.slotCount == slotsBefore)
        #expect(responder.credentialCount == 1)
        #expect(responder.counters.authenticated == 0)
        #expect(relay.demux.count == 0)
        #expect(relay.transports[id]?.state == .waitingForICE)
        #expect(relay.transports[id]?.boundAddress == nil)
        #expect(relay.events.isEmpty)
    }

    @Test("error responses are rate-limited per source address")
    func perAddressRateLimit() throws {
        let responder = try ICELiteResponderTests.responder()  // 5 per second per address
        var wrong = ICELiteResponderTests.agent
        wrong.relayPassword = "wrongPassword0123456789"
        let request = try wrong.bindingRequest(useCandidate: true)
        let first = RelayAddress(ipv4: 0x0A00_0001, port: 1_000)
        let second = RelayAddress(ipv4: 0x0A00_0002, port: 1_000)
        var response: [UInt8] = []
        func answered(_ source: RelayAddress, at now: RelayTime, times: Int) -> Int {
            var count = 0
            for _ in 0..<times {
                _ = responder.handle(request: request, from: source, now: now, response: &response)
                if !response.isEmpty { count += 1 }
            }
            return count
        }
        let start = RelayTime(nanoseconds: 1_000_000_000)
        #expect(answered(first, at: start, times: 20) == 5)
        #expect(answered(second, at: start, times: 20) == 5)
        #expect(answered(first, at: start.adding(milliseconds: 100), times: 5) == 0)
        #expect(answered(first, at: start.adding(milliseconds: 200), times: 5) == 1)
        #expect(answered(first, at: start.adding(milliseconds: 1_200), times: 20) == 5)
        #expect(responder.counters.errorResponsesSent == 16)
        #expect(responder.counters.errorResponsesRateLimited == 54)
        // Every one was still rejected and counted.
        #expect(responder.counters[.badIntegrity] == 70)
    }

    @Test("the global limit caps error responses from all addresses together")
    func globalRateLimit() throws {
        let responder = try ICELiteResponderTests.responder { $0.errorResponsesPerSecond = 50 }
        var wrong = ICELiteResponderTests.agent
        wrong.relayPassword = "wrongPassword0123456789"
        let request = try wrong.bindingRequest(useCandidate: true)
        var response: [UInt8] = []
        var answered = 0
        for index in 0..<1_000 {
            let source = RelayAddress(ipv4: 0x0B00_0000 | UInt32(index), port: 2_000)
            _ = responder.handle(request: request, from: source, now: RelayTime(nanoseconds: 7), response: &response)
            if !response.isEmpty { answered += 1 }
        }
        #expect(answered == 50)
    }

    @Test("the limiter's table has a fixed power-of-two size and a zero rate allows nothing")
    func limiterShape() {
        var limiter = ICERateLimiter(ratePerSecond: 3, globalRatePerSecond: 1_000_000, slotCount: 1_000, seed: 1)
        #expect(limiter.slotCount == 1_024)
        var allowed = 0
        for index in 0..<100_000 {
            let address = RelayAddress(ipv4: UInt32(index), port: 9)
            if limiter.allow(address, now: RelayTime(nanoseconds: 0)) { allowed += 1 }
        }
        #expect(limiter.slotCount == 1_024)
        // Colliding addresses share a bucket: never more than 3 per bucket.
        #expect(allowed <= 3 * 1_024)
        #expect(allowed > 0)

        var closed = ICERateLimiter(ratePerSecond: 0, globalRatePerSecond: 10, seed: 1)
        #expect(closed.allow(RelayAddress(ipv4: 1, port: 1), now: RelayTime(nanoseconds: 0)) == false)
        var noGlobal = ICERateLimiter(ratePerSecond: 10, globalRatePerSecond: 0, seed: 1)
        #expect(noGlobal.allow(RelayAddress(ipv4: 1, port: 1), now: RelayTime(nanoseconds: 0)) == false)
        #expect(ICERateLimiter(ratePerSecond: 1, globalRatePerSecond: 1, slotCount: 0).slotCount == 1)
        #expect(ICERateLimiter(ratePerSecond: 1, globalRatePerSecond: 1, slotCount: 1 << 30).slotCount == 1 << 20)
    }

    @Test("a bucket refills at the configured rate")
    func refill() {
        var limiter = ICERateLimiter(ratePerSecond: 4, globalRatePerSecond: 1_000, seed: 3)
        let address = RelayAddress(ipv6High: 1, low: 2, port: 3)
        let start = RelayTime(nanoseconds: 10_000_000_000)
        #expect((0..<10).filter { _ in limiter.allow(address, now: start) }.count == 4)
        // One token per 250 ms.
        #expect(limiter.allow(address, now: start.adding(milliseconds: 249)) == false)
        #expect(limiter.allow(address, now: start.adding(milliseconds: 250)) == true)
        #expect(limiter.allow(address, now: start.adding(milliseconds: 250)) == false)
        // A long silence refills to the burst, not beyond.
        let later = start.adding(milliseconds: 60_000)
        #expect((0..<10).filter { _ in limiter.allow(address, now: later) }.count == 4)
    }
}
