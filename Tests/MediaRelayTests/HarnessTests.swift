import MediaRelay
import RTCSecurity
import RTCTestSupport
import RTCWire
import Testing

@Suite("RelayCoreHarness: an in-memory relay with connected clients")
struct HarnessTests {
    @Test(
        "1 publisher and 9 subscribers connect in memory; each subscriber decrypts its rewritten copy of every packet"
    )
    func fanOutToNine() throws {
        let harness = try RelayCoreHarness(subscriberCount: 9)
        #expect(harness.counters[.transportsConnected] == 10)
        #expect(harness.relayCore.transportCount == 10)
        // The benchmark's name says GCM: the default DTLS contexts negotiate it.
        for client in [harness.publisher] + harness.subscribers {
            #expect(harness.relayCore.transport(client.id)?.srtpProfile == .aeadAES128GCM)
        }

        let packets = 5
        try harness.preparePackets(packets)
        var lastSequence: [RelayAddress: UInt16] = [:]
        for index in 0..<packets {
            let sequence = UInt16(index + 1)
            #expect(harness.forwardPrepared(index) == 9)
            var reached: Set<RelayAddress> = []
            for output in 0..<harness.outputCount {
                let (bytes, destination) = harness.output(at: output)
                let subscriber = try #require(harness.client(at: destination))
                #expect(harness.subscribers.contains { $0 === subscriber })
                reached.insert(destination)
                let plain = try subscriber.unprotectRTP(bytes)
                let header = try RTPHeader(parsing: plain.span)
                #expect(header.ssrc == RelayCoreHarness.subscriberSSRC(subscriber.participant))
                #expect(header.payloadType == 111)
                if let previous = lastSequence[destination] {
                    #expect(header.sequenceNumber == previous &+ 1)
                }
                lastSequence[destination] = header.sequenceNumber
                let payload = Array(plain[header.payloadRange])
                #expect(payload.count == harness.packetSize - 12)
                let expected = (12..<harness.packetSize).map {
                    RelayCoreHarness.payloadByte(sequence: sequence, index: $0)
                }
                #expect(payload == expected)
            }
            #expect(reached.count == 9)
        }
        #expect(harness.counters[.rtpReceived] == UInt64(packets))
        // Counted per delivery.
        #expect(harness.counters[.rtpForwarded] == UInt64(packets * 9))
    }

    @Test("a prepared packet fed twice (decrypted in place the first time) fails SRTP and is not forwarded")
    func replayIsDropped() throws {
        let harness = try RelayCoreHarness(subscriberCount: 2)
        try harness.preparePackets(1)
        #expect(harness.forwardPrepared(0) == 2)
        let droppedBefore = harness.counters[.droppedByTransport]
        #expect(harness.forwardPrepared(0) == 0)
        #expect(harness.counters[.droppedByTransport] == droppedBefore + 1)
        #expect(harness.counters[.rtpForwarded] == 2)
    }
}
