import MediaRelay
import RTCWire
import Testing

/// The recorder's feedback parsed back by RTCWire's transport-cc parser: the statuses say which
/// packets arrived, and the deltas give back each arrival time within 250 us.
@Suite("Transport-cc recorder: round trip through RTCWire, bounded under floods")
struct FeedbackRoundTripTests {
    /// A deterministic pseudo-random generator (a 64-bit LCG), so runs are reproducible.
    struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state >> 33
        }
    }

    /// One packet of a run: its transport-wide sequence number and when it arrived.
    struct Arrival {
        var sequence: Int
        var nanoseconds: UInt64
    }

    /// 600 packets from sequence number 65000 (so the run wraps), about 1 ms apart with jitter,
    /// every 13th lost, some pairs swapped, and a pause of 80 ms at packet 300.
    static func run() -> [Arrival] {
        var generator = Generator(state: 7)
        var arrivals: [Arrival] = []
        var time: UInt64 = 5_000_000_000
        for index in 0..<600 {
            time += 700_000 + (generator.next() % 600_000)
            if index == 300 {
                time += 80_000_000
            }
            if index % 13 == 5 {
                continue
            }
            arrivals.append(Arrival(sequence: 65_000 + index, nanoseconds: time))
        }
        var position = 3
        while position + 1 < arrivals.count {
            // Swap the sequence numbers of two neighbours: the later one arrived first.
            let first = arrivals[position].sequence
            arrivals[position].sequence = arrivals[position + 1].sequence
            arrivals[position + 1].sequence = first
            position += 37
        }
        return arrivals
    }

    /// Parses one plain RTCP datagram holding exactly one transport-cc packet.
    static func parse(_ bytes: [UInt8]) throws -> RTCPTransportWideFeedback {
        let compound = try RTCPCompound(parsing: bytes)
        #expect(compound.packets.count == 1)
        guard case .transportWideFeedback(let feedback) = try #require(compound.packets.first) else {
            throw FeedbackTestError.notTransportFeedback
        }
        return feedback
    }

    @Test("every status and arrival time survives serialising and RTCWire's parser")
    func roundTrip() throws {
        let arrivals = Self.run()
        var recorder = TransportWideFeedbackRecorder(capacity: 1024)
        #expect(recorder.minimumFeedbackLength <= 400)
        var expected: [Int: UInt64] = [:]
        for arrival in arrivals {
            recorder.record(
                sequenceNumber: UInt16(truncatingIfNeeded: arrival.sequence),
                ssrc: 0xABCD_0001,
                arrival: RelayTime(nanoseconds: arrival.nanoseconds)
            )
            expected[arrival.sequence] = arrival.nanoseconds
        }
        #expect(recorder.recordedCount == UInt64(arrivals.count))

        // A 400-byte bound splits the run over several packets.
        var seen: [Int: UInt64] = [:]
        var lost: [Int] = []
        var nextSequence = 65_000
        var bytes: [UInt8] = []
        var packets = 0
        while recorder.pendingCount > 0 && packets < 100 {
            bytes.removeAll(keepingCapacity: true)
            let written: Bool = recorder.appendFeedback(senderSSRC: 1, maximumLength: 400, into: &bytes)
            try #require(written)
            #expect(bytes.count <= 400)
            let feedback = try Self.parse(bytes)
            #expect(feedback.senderSSRC == 1)
            #expect(feedback.mediaSSRC == 0xABCD_0001)
            #expect(feedback.feedbackPacketCount == UInt8(packets))
            #expect(feedback.baseSequenceNumber == UInt16(truncatingIfNeeded: nextSequence))
            var time = UInt64(feedback.referenceTime) * 64_000_000
            for index in feedback.packetStatuses.indices {
                let sequence = nextSequence + index
                if let ticks = feedback.packetStatuses[index].deltaTicks {
                    time = UInt64(Int64(time) + Int64(ticks) * 250_000)
                    seen[sequence] = time
                } else {
                    lost.append(sequence)
                }
            }
            nextSequence += feedback.packetStatuses.count
            packets += 1
        }
        #expect(packets > 1)
        #expect(nextSequence == 65_600)
        #expect(seen.count == arrivals.count)
        #expect(lost.count == 600 - arrivals.count)
        for (sequence, reported) in seen {
            let actual = try #require(expected[sequence])
            let error: UInt64 = reported > actual ? reported - actual : actual - reported
            #expect(error <= 125_000, "sequence \(sequence): reported \(reported), arrived \(actual)")
        }
        for sequence in lost {
            #expect(expected[sequence] == nil)
        }
    }

    @Test("10^5 random sequence numbers: the unreported span and each feedback stay bounded")
    func flood() throws {
        var recorder = TransportWideFeedbackRecorder()
        var generator = Generator(state: 99)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1500)
        let reserved = bytes.capacity
        var time: UInt64 = 1_000_000_000
        var totalPackets = 0
        for round in 0..<1_000 {
            for _ in 0..<100 {
                time += 10_000
                let sequence = UInt16(truncatingIfNeeded: generator.next())
                recorder.record(sequenceNumber: sequence, ssrc: 5, arrival: RelayTime(nanoseconds: time))
                #expect(recorder.pendingCount <= recorder.capacity)
            }
            // Drain as the core does (at most 8 packets a run); each must parse and fit.
            var statuses = 0
            var packets = 0
            while packets < 8 {
                bytes.removeAll(keepingCapacity: true)
                let written: Bool = recorder.appendFeedback(senderSSRC: 1, maximumLength: 1200, into: &bytes)
                guard written else { break }
                #expect(bytes.count <= 1200)
                let feedback = try Self.parse(bytes)
                statuses += feedback.packetStatuses.count
                packets += 1
            }
            #expect(statuses <= recorder.capacity, "round \(round)")
            totalPackets += packets
        }
        #expect(bytes.capacity == reserved)
        #expect(recorder.capacity == TransportWideFeedbackRecorder.defaultCapacity)
        #expect(recorder.recordedCount + recorder.duplicateCount + recorder.lateCount == 100_000)
        // Bounded output: at most 8 packets per drain.
        #expect(totalPackets <= 8_000)
    }
}

enum FeedbackTestError: Error {
    case notTransportFeedback
    case noFeedback
}
