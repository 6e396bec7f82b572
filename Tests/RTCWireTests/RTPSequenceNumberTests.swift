import RTCWire
import Testing

@Suite("RTP sequence number and timestamp arithmetic")
struct RTPSequenceNumberTests {
    @Test("65535 -> 0 is newer, distance 1, in both directions")
    func sequenceWrap() {
        #expect(RTPSequenceNumber.isNewer(0, than: 65535))
        #expect(!RTPSequenceNumber.isNewer(65535, than: 0))
        #expect(RTPSequenceNumber.distance(from: 65535, to: 0) == 1)
        #expect(RTPSequenceNumber.distance(from: 0, to: 65535) == -1)
        #expect(RTPSequenceNumber.distance(from: 65000, to: 500) == 1036)
        #expect(RTPSequenceNumber.advanced(65535, by: 1) == 0)
        #expect(RTPSequenceNumber.advanced(0, by: -1) == 65535)
        #expect(RTPSequenceNumber.advanced(10, by: Int.min) == 10)  // wraps, never traps
        #expect(!RTPSequenceNumber.isNewer(7, than: 7))
        #expect(RTPSequenceNumber.distance(from: 7, to: 7) == 0)
    }

    @Test("serial comparison is antisymmetric and agrees with distance for every value")
    func sequenceConsistency() {
        for base: UInt16 in [0, 1, 12345, 32767, 32768, 65534, 65535] {
            for value in UInt16.min...UInt16.max {
                let newer = RTPSequenceNumber.isNewer(value, than: base)
                let older = RTPSequenceNumber.isNewer(base, than: value)
                let distance = RTPSequenceNumber.distance(from: base, to: value)
                if value == base {
                    #expect(!newer && !older && distance == 0)
                } else if newer == older || newer != (distance > 0) {
                    Issue.record("base \(base) value \(value): newer \(newer) older \(older) distance \(distance)")
                }
                if RTPSequenceNumber.advanced(base, by: distance) != value {
                    Issue.record("base \(base) advanced by \(distance) is not \(value)")
                }
            }
        }
        // Exactly half the space apart: the larger plain value is the newer.
        #expect(RTPSequenceNumber.isNewer(32768, than: 0))
        #expect(RTPSequenceNumber.distance(from: 0, to: 32768) == 32768)
        #expect(RTPSequenceNumber.distance(from: 32768, to: 0) == -32768)
    }

    @Test("the unwrapper counts across wraps and places late packets in the previous cycle")
    func unwrapper() {
        var unwrapper = RTPSequenceNumberUnwrapper()
        #expect(unwrapper.highest == nil)
        #expect(unwrapper.unwrap(65534) == 65534)
        #expect(unwrapper.unwrap(65535) == 65535)
        #expect(unwrapper.unwrap(0) == 65536)
        #expect(unwrapper.unwrap(1) == 65537)
        #expect(unwrapper.unwrap(65533) == 65533)  // late: previous cycle, highest unchanged
        #expect(unwrapper.highest == 65537)
        #expect(unwrapper.rolloverCount == 1)
        #expect(unwrapper.extendedHighest == 0x0001_0001)
        #expect(unwrapper.peek(2) == 65538)
        #expect(unwrapper.highest == 65537)

        // Before the first packet of the stream: negative, never a trap.
        var early = RTPSequenceNumberUnwrapper()
        #expect(early.unwrap(0) == 0)
        #expect(early.unwrap(65535) == -1)
        #expect(early.extendedHighest == 0)

        // Many wraps in steps of 1000.
        var long = RTPSequenceNumberUnwrapper()
        var expected: Int64 = 40000
        var sequence: UInt16 = 40000
        for _ in 0..<10000 {
            #expect(long.unwrap(sequence) == expected)
            expected += 1000
            sequence &+= 1000
        }
        #expect(long.rolloverCount == UInt32((expected - 1000) >> 16))
    }

    @Test("RFC 3711 packet index estimation around a rollover")
    func packetIndex() {
        // Highest 65535 at ROC 0: 1 belongs to ROC 1, 65000 to ROC 0.
        #expect(RTPSequenceNumber.packetIndex(of: 1, highest: 65535, rolloverCounter: 0) == 65537)
        #expect(RTPSequenceNumber.packetIndex(of: 65000, highest: 65535, rolloverCounter: 0) == 65000)
        // Highest 2 at ROC 1: 65534 belongs to ROC 0, 50 to ROC 1.
        #expect(RTPSequenceNumber.packetIndex(of: 65534, highest: 2, rolloverCounter: 1) == 65534)
        #expect(RTPSequenceNumber.packetIndex(of: 50, highest: 2, rolloverCounter: 1) == 65586)
        // Older by less than half the space with a low highest stays in the same cycle.
        #expect(RTPSequenceNumber.packetIndex(of: 1, highest: 100, rolloverCounter: 3) == 3 << 16 | 1)
        // Extremes wrap instead of trapping.
        #expect(
            RTPSequenceNumber.packetIndex(of: 65534, highest: 2, rolloverCounter: 0) == UInt64(UInt32.max) << 16 | 65534
        )
        #expect(RTPSequenceNumber.packetIndex(of: 1, highest: 65535, rolloverCounter: UInt32.max) == 1)
    }

    @Test("timestamp wrap compares correctly and never traps")
    func timestampWrap() {
        #expect(RTPTimestamp.isNewer(5, than: UInt32.max - 5))
        #expect(!RTPTimestamp.isNewer(UInt32.max - 5, than: 5))
        #expect(RTPTimestamp.distance(from: UInt32.max - 5, to: 5) == 11)
        #expect(RTPTimestamp.distance(from: 5, to: UInt32.max - 5) == -11)
        #expect(RTPTimestamp.advanced(UInt32.max, by: 960) == 959)
        #expect(RTPTimestamp.advanced(0, by: Int64.min) == 0)
        #expect(RTPTimestamp.isNewer(0x8000_0000, than: 0))
        #expect(!RTPTimestamp.isNewer(0, than: 0x8000_0000))
        #expect(RTPTimestamp.distance(from: 0, to: 0x8000_0000) == 0x8000_0000)
        #expect(RTPTimestamp.distance(from: 0x8000_0000, to: 0) == -0x8000_0000)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<10000 {
            let a = UInt32(truncatingIfNeeded: generator.next())
            let b = UInt32(truncatingIfNeeded: generator.next())
            let distance = RTPTimestamp.distance(from: b, to: a)
            #expect(RTPTimestamp.isNewer(a, than: b) == (distance > 0))
            #expect(RTPTimestamp.advanced(b, by: distance) == a)
        }
    }

    @Test("the timestamp unwrapper counts 20 ms Opus frames across the 32-bit wrap")
    func timestampUnwrapper() {
        var unwrapper = RTPTimestampUnwrapper()
        var timestamp = UInt32.max - 960 * 3
        var expected = Int64(timestamp)
        for _ in 0..<10 {
            #expect(unwrapper.unwrap(timestamp) == expected)
            timestamp &+= 960
            expected += 960
        }
        #expect(unwrapper.newest == expected - 960)
        #expect(unwrapper.newest! > Int64(UInt32.max))
        #expect(unwrapper.unwrap(UInt32.max - 960) == Int64(UInt32.max) - 960)  // late
        #expect(unwrapper.peek(0) == Int64(UInt32.max) + 1)
    }
}
