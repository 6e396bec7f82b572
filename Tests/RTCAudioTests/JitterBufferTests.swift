import RTCAudio
import RTCWire
import Testing

/// Drives a jitter buffer as the relay does: packets in with arrival times, one pop per 20 ms tick.
final class JitterHarness {
    let buffer: JitterBuffer
    var output: [Int16] = []
    var kinds: [JitterBuffer.FrameKind] = []
    var depths: [Int] = []
    var targets: [Int] = []
    private(set) var tickCount = 0

    init(_ configuration: JitterBuffer.Configuration = .init()) throws {
        self.buffer = try JitterBuffer(configuration: configuration)
    }

    /// Inserts a packet arriving `offset` ms after the start of tick `tick`.
    @discardableResult
    func insert(
        _ packet: ToneSender.Packet,
        tick: Int? = nil,
        offsetMilliseconds: UInt64 = 1
    ) -> JitterBuffer.InsertResult {
        let arrival = UInt64(tick ?? self.tickCount) * 20_000_000 + offsetMilliseconds * 1_000_000
        return self.buffer.insert(
            packet.payload,
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            arrivalNanoseconds: arrival,
            audioLevel: packet.level
        )
    }

    /// One tick: advance and decode.
    @discardableResult
    func tick() -> JitterBuffer.FrameKind {
        var frame = [Int16](repeating: 0, count: MixSignal.frame)
        var span = frame.mutableSpan
        let kind = self.buffer.pop(into: &span)
        self.output += frame
        self.kinds.append(kind)
        self.depths.append(self.buffer.statistics.depthFrames)
        self.targets.append(self.buffer.statistics.targetDepthFrames)
        self.tickCount += 1
        return kind
    }

    /// The PCM of ticks `range`.
    func pcm(ticks range: Range<Int>) -> ArraySlice<Int16> {
        self.output[(range.lowerBound * MixSignal.frame)..<(range.upperBound * MixSignal.frame)]
    }
}

/// Decodes packets in order with a fresh decoder: what a perfect network would give.
func referenceDecode(_ packets: [ToneSender.Packet]) throws -> [Int16] {
    let decoder = try OpusDecoder()
    var output: [Int16] = []
    var frame = [Int16](repeating: 0, count: MixSignal.frame)
    for packet in packets {
        var span = frame.mutableSpan
        _ = try decoder.decode(packet.payload.span, into: &span)
        output += frame
    }
    return output
}

@Suite("Jitter buffer")
struct JitterBufferTests {
    @Test("in-order packets play sample-exactly as a straight decode")
    func inOrder() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(50)
        let harness = try JitterHarness()
        for packet in packets {
            #expect(harness.insert(packet) == .stored)
            #expect(harness.tick() == .packet)
        }
        #expect(harness.output == (try referenceDecode(packets)))
        let stats = harness.buffer.statistics
        #expect(stats.received == 50 && stats.decoded == 50)
        #expect(stats.lost == 0 && stats.concealed == 0 && stats.late == 0 && stats.duplicates == 0)
        #expect(stats.depthFrames == 1 && stats.targetDepthFrames == 1)
    }

    @Test("reordered packets are put back in order")
    func reordered() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(60)
        let harness = try JitterHarness()
        // Groups of three arrive reversed, all before the group's first tick.
        for group in stride(from: 0, to: 60, by: 3) {
            for index in (group..<(group + 3)).reversed() {
                #expect(harness.insert(packets[index]) == .stored)
            }
            for _ in 0..<3 { harness.tick() }
        }
        #expect(harness.output == (try referenceDecode(packets)))
        #expect(harness.buffer.statistics.lost == 0)
        #expect(harness.buffer.statistics.decoded == 60)
    }

    @Test("a lost packet is concealed by the decoder, once")
    func lostConcealed() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(40)
        let harness = try JitterHarness()
        for (index, packet) in packets.enumerated() {
            if index != 20 { harness.insert(packet) }
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.lost == 1)
        #expect(stats.concealed == 1)
        #expect(stats.recovered == 0)
        #expect(stats.decoded == 39)
        #expect(harness.kinds[20] == .concealed)
        // The concealment continues the tone rather than going silent.
        #expect(MixSignal.amplitude(of: harness.pcm(ticks: 20..<21), at: 500) > 1000)
    }

    @Test("a lost packet is rebuilt from the next packet's in-band FEC when that has arrived")
    func lostRecoveredByFEC() throws {
        let sender = try ToneSender(
            frequency: 500,
            amplitude: 8000,
            configuration: .init(bitrate: 24_000, inbandFEC: true, expectedLossPercent: 20, signal: .voice)
        )
        let packets = try sender.packets(41)
        let harness = try JitterHarness()
        // Packets arrive one tick early, so the next one is always there at a frame's turn.
        harness.insert(packets[0])
        for tick in 0..<40 {
            if tick + 1 != 20 { harness.insert(packets[tick + 1]) }
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.lost == 1)
        #expect(stats.recovered == 1)
        #expect(stats.concealed == 0)
        #expect(harness.kinds[20] == .recovered)
        #expect(MixSignal.amplitude(of: harness.pcm(ticks: 20..<21), at: 500) > 2000)
    }

    @Test("without FEC in the next packet, a lost frame is concealed even though the next is here")
    func lostWithoutFECData() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(41)
        let harness = try JitterHarness()
        harness.insert(packets[0])
        for tick in 0..<40 {
            if tick + 1 != 20 { harness.insert(packets[tick + 1]) }
            harness.tick()
        }
        #expect(harness.buffer.statistics.lost == 1)
        #expect(harness.buffer.statistics.recovered == 0)
        #expect(harness.buffer.statistics.concealed == 1)
        #expect(harness.kinds[20] == .concealed)
    }

    @Test("duplicates are dropped and counted, before and after their turn")
    func duplicates() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(30)
        let harness = try JitterHarness()
        for (index, packet) in packets.enumerated() {
            #expect(harness.insert(packet) == .stored)
            #expect(harness.insert(packet) == .duplicate)
            if index == 20 {
                // A copy of a packet played long ago.
                #expect(harness.insert(packets[5]) == .duplicate)
            }
            harness.tick()
        }
        #expect(harness.output == (try referenceDecode(packets)))
        #expect(harness.buffer.statistics.duplicates == 31)
        #expect(harness.buffer.statistics.late == 0)
        #expect(harness.buffer.statistics.received == 61)
    }

    @Test("a packet arriving after its turn is late: dropped and counted")
    func late() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(30)
        let harness = try JitterHarness()
        for (index, packet) in packets.enumerated() {
            if index != 10 { harness.insert(packet) }
            if index == 13 { #expect(harness.insert(packets[10]) == .late) }
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.late == 1)
        #expect(stats.lost == 1)
        #expect(stats.decoded == 29)
    }

    @Test("a DTX pause plays as silence, not as a storm of concealment or losses")
    func dtxGap() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        let before = try sender.packets(20)
        sender.pause(frames: 50)
        let after = try sender.packets(20)
        let harness = try JitterHarness()
        for packet in before {
            harness.insert(packet)
            harness.tick()
        }
        for _ in 0..<50 { harness.tick() }
        for packet in after {
            harness.insert(packet)
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.lost == 0)
        #expect(stats.concealed <= UInt64(harness.buffer.configuration.concealmentLimit))
        #expect(stats.silence >= 45)
        #expect(stats.decoded == 40)
        // The talk spurt after the pause plays on time, frame for frame.
        #expect(harness.kinds[70..<90].allSatisfy { $0 == .packet })
        #expect(MixSignal.amplitude(of: harness.pcm(ticks: 40..<65), at: 500) < 50)
    }

    @Test("a DTX pause inside a buffer deeper than its target is cut short, losing nothing")
    func dtxGapInsideDeepBuffer() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        let before = try sender.packets(5)
        sender.pause(frames: 5)
        let after = try sender.packets(5)
        let harness = try JitterHarness()
        // Everything arrives at once: the pause is inside a buffer five frames deeper than needed.
        for packet in before + after { harness.insert(packet, tick: 0) }
        for _ in 0..<10 { harness.tick() }
        #expect(harness.kinds == Array(repeating: .packet, count: 10))
        #expect(harness.output == (try referenceDecode(before + after)))
        #expect(harness.buffer.statistics.lost == 0)
        #expect(harness.buffer.statistics.concealed == 0)
    }

    @Test("sequence numbers wrap 65535 -> 0 and timestamps wrap 2^32 -> 0")
    func wraps() throws {
        let sender = try ToneSender(
            frequency: 500,
            amplitude: 8000,
            sequenceNumber: 65_520,
            timestamp: UInt32.max - 10 * 960 + 1
        )
        let packets = try sender.packets(40)
        #expect(packets.last!.sequenceNumber < 100)
        #expect(packets.last!.timestamp < 100_000)
        let harness = try JitterHarness()
        // Reordered in pairs across both wraps.
        for pair in stride(from: 0, to: 40, by: 2) {
            harness.insert(packets[pair + 1])
            harness.insert(packets[pair])
            harness.tick()
            harness.tick()
        }
        #expect(harness.output == (try referenceDecode(packets)))
        #expect(harness.buffer.statistics.lost == 0)
        #expect(harness.buffer.statistics.late == 0)
    }

    @Test("bursty arrival deepens the buffer, which shrinks again when arrival is steady")
    func burstsAdaptAndShrink() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        let packets = try sender.packets(750)
        let harness = try JitterHarness()
        var sent = 0
        // 3 s of bursts: every 100 ms, the five packets sent meanwhile arrive together.
        for tick in 0..<150 {
            if tick % 5 == 0 {
                while sent <= tick {
                    harness.insert(packets[sent], tick: tick)
                    sent += 1
                }
            }
            harness.tick()
        }
        let burstDepth = harness.depths[50..<150].max() ?? 0
        let burstTarget = harness.targets[50..<150].max() ?? 0
        #expect(burstDepth >= 4)
        #expect(burstTarget >= 4)
        // 12 s of steady arrival, each packet 1 ms into its tick.
        for tick in 150..<750 {
            while sent <= tick && sent < packets.count {
                harness.insert(packets[sent], tick: tick)
                sent += 1
            }
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect((harness.depths[700..<750].max() ?? 99) <= 2, "depth at the end \(harness.depths.suffix(10))")
        #expect((harness.targets[700..<750].max() ?? 99) <= 2)
        #expect(stats.lost == 0)
        #expect(stats.late == 0)
        #expect(stats.discarded >= 1)
        #expect(stats.maximumDepthFramesSeen <= harness.buffer.configuration.maximumDepthFrames)
    }

    @Test("a flood of far-ahead packets is dropped and counted; memory stays fixed")
    func floodFarAhead() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        let packets = try sender.packets(60)
        let harness = try JitterHarness()
        let storage = harness.buffer.storageBytes
        for packet in packets[0..<20] {
            harness.insert(packet)
            harness.tick()
        }
        // 20 000 packets at pseudo-random sequence numbers 1000-31000 ahead (never consecutive).
        var state: UInt32 = 12_345
        var flooded = 0
        for _ in 0..<20_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            let ahead = UInt16(1000 + (state >> 8) % 30_000)
            var fake = packets[20]
            fake.sequenceNumber = packets[20].sequenceNumber &+ ahead
            fake.timestamp = packets[20].timestamp &+ UInt32(ahead) * 960
            if harness.insert(fake) == .tooFarAhead { flooded += 1 }
        }
        #expect(flooded == 20_000)
        for packet in packets[20..<60] {
            harness.insert(packet)
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.tooFarAhead == 20_000)
        #expect(stats.resynchronizations == 0)
        #expect(stats.decoded == 60)
        #expect(stats.maximumDepthFramesSeen <= harness.buffer.configuration.maximumDepthFrames)
        #expect(harness.buffer.storageBytes == storage)
    }

    @Test("a sender that restarts its sequence numbers is followed after a short run")
    func resynchronizes() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        let packets = try sender.packets(20)
        sender.sequenceNumber &+= 20_000
        let restarted = try sender.packets(30)
        let harness = try JitterHarness()
        for packet in packets {
            harness.insert(packet)
            harness.tick()
        }
        var results: [JitterBuffer.InsertResult] = []
        for packet in restarted {
            results.append(harness.insert(packet))
            harness.tick()
        }
        let threshold = harness.buffer.configuration.resynchronizationThreshold
        #expect(results[0..<(threshold - 1)].allSatisfy { $0 == .tooFarAhead })
        #expect(results[threshold - 1] == .resynchronized)
        #expect(harness.buffer.statistics.resynchronizations == 1)
        #expect(harness.kinds.suffix(20).allSatisfy { $0 == .packet })
        #expect(harness.buffer.statistics.maximumDepthFramesSeen <= harness.buffer.configuration.maximumDepthFrames)
    }

    @Test("a burst larger than the buffer keeps the depth within its maximum")
    func burstBeyondMaximum() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(40)
        let harness = try JitterHarness(.init(maximumDepthFrames: 6))
        for packet in packets { harness.insert(packet, tick: 0) }
        for _ in 0..<40 { harness.tick() }
        let stats = harness.buffer.statistics
        #expect(stats.maximumDepthFramesSeen <= 6)
        #expect(stats.tooFarAhead + stats.discarded > 0)
        #expect(harness.buffer.storageBytes == (6 + 4) * 1500)
    }

    @Test("malformed, oversized, wrong-duration and empty payloads are counted and concealed")
    func untrustedPayloads() throws {
        let sender = try ToneSender(frequency: 500, amplitude: 8000)
        var packets = try sender.packets(40)
        // 40 ms of audio in one packet: valid Opus, but not a 20 ms frame.
        let longEncoder = try OpusEncoder()
        let long = try longEncoder.encode(MixSignal.sine(frequency: 500, amplitude: 8000, count: 1920))
        packets[10].payload = [0x03, 0x00]  // code 3 with zero frames: fails the framing check
        packets[12].payload = [0x02, 0xFF, 0xFF, 0x00]  // 2 x 10 ms, first length past the end: libopus rejects it
        packets[14].payload = [UInt8](repeating: 0x08, count: 1600)  // larger than the slot size
        packets[16].payload = long
        packets[18].payload = []  // empty: one lost frame
        let harness = try JitterHarness()
        for packet in packets {
            harness.insert(packet)
            harness.tick()
        }
        let stats = harness.buffer.statistics
        #expect(stats.invalid == 4)
        #expect(stats.lost == 1)
        #expect(stats.concealed == 5)
        #expect(stats.decoded == 35)
        for tick in [10, 12, 14, 16, 18] {
            #expect(harness.kinds[tick] == .concealed)
        }
        #expect(harness.kinds[19] == .packet)
        #expect(harness.output.count == 40 * MixSignal.frame)
    }

    @Test("frames not decoded are skipped cleanly; decoding resumes with a fresh decoder")
    func skippedDecoding() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(40)
        let buffer = try JitterBuffer()
        var frame = [Int16](repeating: 0, count: MixSignal.frame)
        var kinds: [JitterBuffer.FrameKind] = []
        for (index, packet) in packets.enumerated() {
            buffer.insert(
                packet.payload,
                sequenceNumber: packet.sequenceNumber,
                timestamp: packet.timestamp,
                arrivalNanoseconds: UInt64(index) * 20_000_000
            )
            let chosen = buffer.advance()
            #expect(chosen.kind == .packet)
            #expect(chosen.audioLevel == nil)
            if index >= 20 {
                var span = frame.mutableSpan
                kinds.append(buffer.decode(into: &span))
                // A second decode of the same tick writes silence.
                var extra = [Int16](repeating: 1, count: MixSignal.frame)
                var extraSpan = extra.mutableSpan
                #expect(buffer.decode(into: &extraSpan) == .silence)
                #expect(extra.allSatisfy { $0 == 0 })
            }
        }
        #expect(kinds.allSatisfy { $0 == .packet })
        #expect(buffer.statistics.decoded == 20)
        #expect(MixSignal.amplitude(of: frame, at: 500) > 4000)
    }

    @Test("a wrong-sized output buffer gets silence, not a trap")
    func wrongSizedOutput() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(2)
        let buffer = try JitterBuffer()
        buffer.insert(
            packets[0].payload,
            sequenceNumber: packets[0].sequenceNumber,
            timestamp: packets[0].timestamp,
            arrivalNanoseconds: 0
        )
        var small = [Int16](repeating: 7, count: 100)
        var span = small.mutableSpan
        #expect(buffer.pop(into: &span) == .silence)
        #expect(small.allSatisfy { $0 == 0 })
    }

    @Test("levels from the packets come out with their frames")
    func levels() throws {
        let packets = try ToneSender(frequency: 500, amplitude: 8000).packets(3)
        let buffer = try JitterBuffer()
        #expect(buffer.advance().kind == .idle)
        for packet in packets {
            buffer.insert(
                packet.payload,
                sequenceNumber: packet.sequenceNumber,
                timestamp: packet.timestamp,
                arrivalNanoseconds: 0,
                audioLevel: RTPAudioLevel(level: 17, voiceActivity: true)
            )
        }
        let frame = buffer.advance()
        #expect(frame.kind == .packet)
        #expect(frame.audioLevel == RTPAudioLevel(level: 17, voiceActivity: true))
    }
}
