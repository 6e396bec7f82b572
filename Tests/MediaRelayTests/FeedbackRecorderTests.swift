import MediaRelay
import Testing

/// Feedback packets checked byte for byte against hand-computed encodings. In every case the
/// first packet arrives at 1.000 s, so the reference time is 15 (15 x 64 ms = 0.960 s) and the
/// first delta is 40 ms = 160 ticks (0xA0).
@Suite("Transport-cc recorder: hand-computed feedback")
struct FeedbackRecorderTests {
    static let senderSSRC: UInt32 = 0x1111_1111
    static let mediaSSRC: UInt32 = 0x2222_2222

    /// A time `microseconds` after 1 s.
    static func at(_ microseconds: UInt64) -> RelayTime {
        RelayTime(nanoseconds: 1_000_000_000 + microseconds * 1_000)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            let digits = String(byte, radix: 16, uppercase: true)
            text += digits.count == 1 ? "0" + digits : digits
        }
        return text
    }

    /// Records (sequence number, microseconds after 1 s) pairs, then writes one feedback packet.
    static func feedback(
        _ arrivals: [(UInt16, UInt64)],
        recorder: inout TransportWideFeedbackRecorder,
        maximumLength: Int = 1200
    ) -> String {
        for arrival in arrivals {
            recorder.record(sequenceNumber: arrival.0, ssrc: Self.mediaSSRC, arrival: Self.at(arrival.1))
        }
        var bytes: [UInt8] = []
        let written: Bool = recorder.appendFeedback(
            senderSSRC: Self.senderSSRC,
            maximumLength: maximumLength,
            into: &bytes
        )
        return written ? Self.hex(bytes) : "none"
    }

    static func feedback(_ arrivals: [(UInt16, UInt64)]) -> String {
        var recorder = TransportWideFeedbackRecorder(capacity: 256)
        return Self.feedback(arrivals, recorder: &recorder)
    }

    static let header = "8FCD0006" + "11111111" + "22222222"

    @Test("in order: one run-length chunk of small deltas")
    func inOrder() {
        let text = Self.feedback([(10, 0), (11, 1_000), (12, 1_500)])
        // base 10, 3 statuses, reference 15, count 0; run of 3 small; deltas 160, 4, 2; padding.
        #expect(text == Self.header + "000A0003" + "00000F00" + "2003" + "A00402" + "000000")
    }

    @Test("a lost packet is reported as not received in a one-bit vector")
    func loss() {
        let text = Self.feedback([(10, 0), (12, 2_000), (13, 3_000)])
        // Symbols 1 0 1 1 in a one-bit vector: 1010 1100 0000 0000 = 0xAC00; deltas 160, 8, 4.
        #expect(text == Self.header + "000A0004" + "00000F00" + "AC00" + "A00804" + "000000")
    }

    @Test("reordering: statuses in sequence order, a negative delta as a large delta")
    func reorder() {
        let text = Self.feedback([(10, 0), (12, 1_000), (11, 2_000)])
        // 10 at +160, 11 at +8 (1.002 s), 12 at -4 (1.001 s): symbols 1 1 2, a two-bit vector
        // 11 01 01 10 00 00 00 00 = 0xD600; deltas A0 08 FFFC.
        #expect(text == Self.header + "000A0003" + "00000F00" + "D600" + "A008FFFC" + "0000")
    }

    @Test("the sequence number wraps from 65535 to 0 inside one feedback")
    func wrap() {
        let text = Self.feedback([(65_534, 0), (65_535, 1_000), (0, 2_000), (1, 3_000)])
        #expect(text == Self.header + "FFFE0004" + "00000F00" + "2004" + "A0040404" + "0000")
    }

    @Test("a delta over 63.75 ms is a large delta")
    func largeDelta() {
        let text = Self.feedback([(10, 0), (11, 100_000)])
        // 100 ms = 400 ticks = 0x0190: symbols 1 2, two-bit vector 11 01 10 00 ... = 0xD800.
        #expect(text == Self.header + "000A0002" + "00000F00" + "D800" + "A00190" + "000000")
    }

    @Test("a delta too large for 16 bits ends the packet; the next one has a new reference time")
    func hugeDelta() {
        var recorder = TransportWideFeedbackRecorder(capacity: 256)
        let first = Self.feedback([(10, 0), (11, 9_000_000)], recorder: &recorder)
        #expect(first == "8FCD0005" + "11111111" + "22222222" + "000A0001" + "00000F00" + "2001" + "A0" + "00")
        #expect(recorder.pendingCount == 1)
        let second = Self.feedback([], recorder: &recorder)
        // 10.000 s: reference 156 (0x9C, 9.984 s), delta 16 ms = 64 ticks; feedback count 1.
        #expect(second == "8FCD0005" + "11111111" + "22222222" + "000B0001" + "00009C01" + "2001" + "40" + "00")
        #expect(recorder.pendingCount == 0)
        #expect(Self.feedback([], recorder: &recorder) == "none")
    }

    @Test("a gap longer than a status vector: vectors, then a run-length chunk of losses")
    func longGaps() {
        // 20 lost: one-bit vectors 1 + 13 x 0 (0xA000), then 7 x 0 + 1 (0x8040); deltas 160, 40.
        let twenty = Self.feedback([(10, 0), (31, 10_000)])
        #expect(twenty == Self.header + "000A0016" + "00000F00" + "A0008040" + "A028" + "0000")
        // 100 lost: 0xA000 covers the first 14 statuses, a run of 87 losses (0x0057), a run of 1.
        let hundred = Self.feedback([(10, 0), (111, 10_000)])
        #expect(hundred == Self.header + "000A0066" + "00000F00" + "A0000057" + "2001" + "A028")
    }

    @Test("duplicates are ignored; a late packet is reported again from its sequence number")
    func duplicatesAndLate() {
        var recorder = TransportWideFeedbackRecorder(capacity: 256)
        let first = Self.feedback([(10, 0), (10, 500), (12, 1_000)], recorder: &recorder)
        #expect(recorder.duplicateCount == 1)
        // 10 received, 11 lost, 12 received at +4 ticks: one-bit vector 101 = 0xA800, no padding.
        #expect(first == "8FCD0005" + "11111111" + "22222222" + "000A0003" + "00000F00" + "A800" + "A004")
        // 11 arrives after that feedback: 11 and 12 are reported again.
        let late = Self.feedback([(11, 2_000)], recorder: &recorder)
        // Reference 15 again (first received is 11 at 1.002 s: +168 ticks), then 12 at -4 ticks.
        #expect(late == Self.header + "000B0002" + "00000F01" + "D800" + "A8FFFC" + "000000")
    }

    @Test("a jump past the ring gives up the oldest unreported numbers, counted")
    func overrun() {
        var recorder = TransportWideFeedbackRecorder(capacity: 16)
        recorder.record(sequenceNumber: 10, ssrc: Self.mediaSSRC, arrival: Self.at(0))
        recorder.record(sequenceNumber: 100, ssrc: Self.mediaSSRC, arrival: Self.at(10_000))
        #expect(recorder.capacity == 16)
        #expect(recorder.overrunCount == 75)
        #expect(recorder.pendingCount == 16)
        let text = Self.feedback([], recorder: &recorder)
        // Base 85: a run of 15 losses (0x000F), a final run of 1 received at +50 ms (200 ticks).
        #expect(text == Self.header + "00550010" + "00000F00" + "000F2001" + "C8" + "000000")
    }

    @Test("a small length bound splits the statuses over several packets")
    func split() {
        var recorder = TransportWideFeedbackRecorder(capacity: 16)
        for index in 0..<16 {
            recorder.record(
                sequenceNumber: UInt16(index),
                ssrc: Self.mediaSSRC,
                arrival: Self.at(UInt64(index) * 100_000)
            )
        }
        #expect(recorder.minimumFeedbackLength == 28)
        var lengths: [Int] = []
        var bytes: [UInt8] = []
        var rounds = 0
        while recorder.pendingCount > 0 && rounds < 20 {
            rounds += 1
            bytes.removeAll(keepingCapacity: true)
            let written: Bool = recorder.appendFeedback(senderSSRC: Self.senderSSRC, maximumLength: 40, into: &bytes)
            #expect(written)
            lengths.append(bytes.count)
        }
        #expect(recorder.pendingCount == 0)
        #expect(lengths.count > 1)
        for length in lengths {
            #expect(length <= 40)
        }
        #expect(recorder.feedbackPacketCount == UInt8(lengths.count))
    }
}
