import MediaRelay
import RTCSecurity
import RTCTestSupport
import RTCWire
import Testing

/// Transport-cc through a whole core: a publisher connected by real ICE, DTLS and SRTP (in
/// memory) sends video carrying the transport-wide sequence number, and gets SRTCP transport-cc
/// feedback about exactly those packets, only when its routing entry names the extension.
@Suite("Transport-cc feedback from the relay core to a publisher")
struct FeedbackCoreTests {
    static let publisherSSRC: UInt32 = 0x7EED_0001
    static let extensionID: UInt8 = 3

    /// Video track 1 of client 1 (payload type 96) delivered to client 2.
    static func table(_ harness: RelayRoomHarness, extensionID: UInt8) throws -> RoutingTable {
        let track = PublishedTrack(
            id: 1,
            publisher: harness.clients[0].participant,
            kind: .video,
            mediaSSRC: Self.publisherSSRC,
            payloadTypes: [96],
            headerExtensionIDs: [Self.extensionID],
            transportSequenceNumberExtensionID: extensionID
        )
        let subscription = TrackSubscription(
            subscriber: harness.clients[1].participant,
            track: 1,
            mediaSSRC: 0x7EED_1002,
            payloadTypes: [96: 96]
        )
        return try RoutingTable(tracks: [track], subscriptions: [subscription])
    }

    /// A video RTP packet with a one-byte header extension block holding the transport-wide
    /// sequence number under ``extensionID``.
    static func packet(sequence: UInt16, transportSequence: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [0x90, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        bytes += [0, 0, 0x10, 0]
        bytes += [0x7E, 0xED, 0x00, 0x01]
        bytes += [0xBE, 0xDE, 0x00, 0x01]
        bytes += [Self.extensionID << 4 | 1, UInt8(transportSequence >> 8), UInt8(transportSequence & 0xFF), 0]
        bytes += [UInt8](repeating: 0x42, count: 300)
        return bytes
    }

    /// What one run produced: the transport-cc packets the publisher decrypted, and the number of
    /// RTP copies the subscriber was sent.
    struct Outcome {
        var feedback: [RTCPTransportWideFeedback] = []
        var forwarded = 0
    }

    /// Connects two clients, installs the table, sends 20 packets 1 ms apart (transport-wide
    /// numbers 100...119, 105 lost) and runs the core's timers for 200 ms.
    static func run(extensionID: UInt8) throws -> Outcome {
        let harness = try RelayRoomHarness(clientCount: 2)
        harness.apply(.installRouting(try Self.table(harness, extensionID: extensionID)))
        // Drive a copy of the connected core directly, to see the SRTCP it sends the publisher.
        var core = harness.relayCore
        var batch = SendBatch(slotCount: 64, slotSize: 2048)
        let publisher = harness.clients[0]
        let inbound = try #require(publisher.inbound)
        var outcome = Outcome()
        var now = harness.now
        for index in 0..<20 where index != 5 {
            let plain = Self.packet(sequence: UInt16(index), transportSequence: UInt16(100 + index))
            var datagram = try publisher.protectRTP(plain)
            let length = datagram.count
            datagram += [UInt8](repeating: 0, count: 64)
            var span = datagram.mutableSpan
            now = harness.now.adding(milliseconds: UInt64(index))
            batch.removeAll()
            core.handle(datagram: &span, length: length, from: publisher.address, now: now, send: &batch)
            outcome.forwarded += batch.count
        }
        for _ in 0..<200 {
            now = now.adding(milliseconds: 1)
            guard let deadline = core.nextDeadline, deadline <= now else { continue }
            batch.removeAll()
            core.timersFired(now: now, send: &batch)
            for index in 0..<batch.count {
                let copy: ([UInt8], RelayAddress) = batch.withDatagram(at: index) { bytes, destination in
                    var copy: [UInt8] = []
                    for offset in bytes.indices {
                        copy.append(bytes[offset])
                    }
                    return (copy, destination)
                }
                guard copy.1 == publisher.address else { continue }
                let plainRTCP = try inbound.unprotectRTCP(copy.0)
                for packet in try RTCPCompound(parsing: plainRTCP).packets {
                    if case .transportWideFeedback(let feedback) = packet {
                        outcome.feedback.append(feedback)
                    }
                }
            }
        }
        return outcome
    }

    @Test("the publisher gets transport-cc feedback about the packets it sent")
    func feedbackReachesThePublisher() throws {
        let outcome = try Self.run(extensionID: Self.extensionID)
        #expect(outcome.forwarded == 19)
        try #require(outcome.feedback.count == 1)
        let feedback = outcome.feedback[0]
        #expect(feedback.baseSequenceNumber == 100)
        #expect(feedback.mediaSSRC == Self.publisherSSRC)
        #expect(feedback.feedbackPacketCount == 0)
        #expect(feedback.packetStatuses.count == 20)
        for index in 0..<20 {
            let ticks = feedback.packetStatuses[index].deltaTicks
            if index == 5 {
                #expect(ticks == nil)
            } else if index == 0 || index == 6 {
                // The first from the reference time; 106 came 2 ms after 104.
                #expect(ticks != nil)
            } else {
                // 1 ms apart: 4 ticks of 250 us.
                #expect(ticks == 4, "status \(index)")
            }
        }
        #expect(feedback.packetStatuses[6].deltaTicks == 8)
    }

    @Test("no transport-cc feedback when the publisher did not negotiate the extension")
    func noFeedbackWithoutNegotiation() throws {
        let outcome = try Self.run(extensionID: 0)
        #expect(outcome.forwarded == 19)
        #expect(outcome.feedback.isEmpty)
    }
}
