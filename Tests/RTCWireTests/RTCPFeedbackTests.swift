import RTCWire
import Testing

@Suite("RTCP feedback")
struct RTCPFeedbackTests {
    // MARK: Generic NACK

    @Test("NACK expands PID + BLP into lost sequence numbers, wrapping at 65535")
    func nackExpansionWraps() throws {
        // RTPFB FMT 1, length 3; PID 65530, BLP bits 0, 4, 5, 6, 15 -> +1, +5, +6, +7, +16.
        let bytes = [UInt8](hex: "81cd0003 00000001 00000002 fffa8071")
        let compound = try RTCPCompound(parsing: bytes)
        guard case .genericNACK(let nack) = compound.packets.first else {
            Issue.record("not a NACK: \(compound.packets)")
            return
        }
        #expect(nack.senderSSRC == 1)
        #expect(nack.mediaSSRC == 2)
        #expect(nack.entries == [.init(packetID: 65530, lostPacketBitmask: 0x8071)])
        #expect(nack.lostSequenceNumbers == [65530, 65531, 65535, 0, 1, 10])
        #expect(try compound.serialized() == bytes)
    }

    @Test("NACK built from sequence numbers packs across the wrap and expands back to the same list")
    func nackFromSequenceNumbers() throws {
        let lost: [UInt16] = [65534, 65535, 0, 3, 40, 40, 39, 56, 57]
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: lost)
        #expect(
            nack.entries == [
                .init(packetID: 65534, lostPacketBitmask: 0b1_0011),  // +1 (65535), +2 (0), +5 (3)
                .init(packetID: 40, lostPacketBitmask: 0),
                .init(packetID: 40, lostPacketBitmask: 0),  // a duplicate opens a new entry
                .init(packetID: 39, lostPacketBitmask: 0),  // so does going backwards
                .init(packetID: 56, lostPacketBitmask: 0b1),  // 56 is 17 after 39: too far; 57 is +1
            ]
        )
        #expect(nack.lostSequenceNumbers == lost)
        let parsed = try RTCPCompound(parsing: RTCPCompound(packets: [.genericNACK(nack)]).serialized())
        #expect(parsed.packets == [.genericNACK(nack)])
    }

    @Test("NACK whose FCI is not a multiple of 4 bytes is rejected")
    func nackOddFCI() {
        // Padding of 2 leaves 8 + 6 bytes of body: FCI of 6.
        let odd = [UInt8](hex: "a1cd0004 00000001 00000002 00050001 abcd0002")
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: odd) }
        // Padding of 1 leaves an FCI of 7.
        let seven = [UInt8](hex: "a1cd0004 00000001 00000002 00050001 abcdef01")
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: seven) }
        // No FCI at all.
        let empty = [UInt8](hex: "81cd0002 00000001 00000002")
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: empty) }
        #expect(throws: WireError(.invalidLength, "")) {
            try RTCPPacket.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, entries: [])).serialized()
        }
    }

    // MARK: transport-cc

    /// transport-cc by hand (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1):
    /// base 65533, 14 statuses, reference time 0x001000, feedback count 7. Chunks:
    /// - `2003` run-length, symbol 1 (small delta), run 3: 65533, 65534, 65535;
    /// - `e181` two-bit vector 2,0,1,2,0,0,1: sequence numbers 0...6;
    /// - `a7ff` one-bit vector 1,0,0,1 for 7...10, then ten more symbols past the count (ignored).
    /// Deltas: 04 ff 00 (small), ff38 = -200 (large), 10, 0400 = 1024 (large), 01, 02, 03;
    /// then 3 bytes of zero padding.
    static let transportCC = [UInt8](
        hex: """
            8fcd0009 00000001 00000002
            fffd000e 00100007
            2003e181 a7ff
            04ff00ff 38100400 010203
            000000
            """
    )

    static let transportCCStatuses: [RTCPTransportWideFeedback.PacketStatus] = [
        .receivedSmallDelta(4), .receivedSmallDelta(255), .receivedSmallDelta(0),  // 65533...65535
        .receivedLargeDelta(-200), .notReceived, .receivedSmallDelta(16), .receivedLargeDelta(1024),  // 0...3
        .notReceived, .notReceived, .receivedSmallDelta(1),  // 4...6
        .receivedSmallDelta(2), .notReceived, .notReceived, .receivedSmallDelta(3),  // 7...10
    ]

    @Test("transport-cc with run-length, 1-bit and 2-bit chunks and both delta sizes")
    func transportCCParse() throws {
        #expect(Self.transportCC.count == 40)
        let compound = try RTCPCompound(parsing: Self.transportCC)
        guard case .transportWideFeedback(let feedback) = compound.packets.first else {
            Issue.record("not transport-cc: \(compound.packets)")
            return
        }
        #expect(feedback.senderSSRC == 1)
        #expect(feedback.mediaSSRC == 2)
        #expect(feedback.baseSequenceNumber == 65533)
        #expect(feedback.referenceTime == 0x1000)
        #expect(feedback.feedbackPacketCount == 7)
        #expect(feedback.packetStatuses == Self.transportCCStatuses)
        #expect(feedback.sequenceNumber(at: 3) == 0)
        #expect(feedback.sequenceNumber(at: 13) == 10)
        #expect(feedback.packetStatuses[3].deltaTicks == -200)
        #expect(feedback.packetStatuses[4].deltaTicks == nil)

        // Serialising picks its own chunks; what matters is that it parses back to the same value.
        let again = try RTCPCompound(parsing: compound.serialized())
        #expect(again == compound)
    }

    @Test("transport-cc padded with the P bit (libwebrtc's way) parses to the same value")
    func transportCCWithPaddingBit() throws {
        var padded = Self.transportCC
        padded[0] |= 0x20
        padded[padded.count - 1] = 3
        let compound = try RTCPCompound(parsing: padded)
        #expect(compound == (try RTCPCompound(parsing: Self.transportCC)))
        // Two of them in one datagram, as libwebrtc may send: only accepted with `.anyPacket`.
        #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: padded + padded) }
        #expect(try RTCPCompound(parsing: padded + padded, padding: .anyPacket).packets.count == 2)
    }

    @Test("transport-cc: missing deltas, reserved symbol, status count 0 and extra words are rejected")
    func transportCCMalformed() {
        // Status count 0.
        var zero = Self.transportCC
        zero[14] = 0
        zero[15] = 0
        #expect(throws: WireError(.invalidValue, "")) { try RTCPCompound(parsing: zero) }
        // Symbol 3 in a two-bit vector (first symbol of e181 -> f181).
        var reserved = Self.transportCC
        reserved[22] = 0xF1
        #expect(throws: WireError(.invalidValue, "")) { try RTCPCompound(parsing: reserved) }
        // Chunks only, no deltas: length 6 words (28 bytes) ending after the chunks + 2 bytes.
        let noDeltas = [UInt8](hex: "8fcd0006 00000001 00000002 fffd000e 00100007 2003e181 a7ff0000")
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: noDeltas) }
        // A whole extra word after the deltas.
        var extra = Self.transportCC + [0, 0, 0, 0]
        extra[3] = 10
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: extra) }
        // Status count larger than the chunks describe.
        var count = Self.transportCC
        count[15] = 0xFF
        #expect(throws: WireError.self) { try RTCPCompound(parsing: count) }
    }

    @Test("transport-cc serialisation: long runs, vectors and the 65535 limit")
    func transportCCSerialise() throws {
        var statuses: [RTCPTransportWideFeedback.PacketStatus] = Array(repeating: .notReceived, count: 9000)
        statuses += (0..<40).map { $0 % 3 == 0 ? .receivedLargeDelta(Int16(-$0)) : .receivedSmallDelta(UInt8($0)) }
        statuses += (0..<20).map { $0 % 2 == 0 ? .notReceived : .receivedSmallDelta(UInt8($0)) }
        let feedback = RTCPTransportWideFeedback(
            senderSSRC: 5,
            mediaSSRC: 6,
            baseSequenceNumber: 60_000,
            referenceTime: 0xFF_FFFF,
            feedbackPacketCount: 255,
            packetStatuses: statuses
        )
        let bytes = try RTCPPacket.transportWideFeedback(feedback).serialized()
        #expect(bytes.count % 4 == 0)
        #expect(bytes[0] == 0x8F)  // no padding bit: the draft's zero padding
        #expect(try RTCPCompound(parsing: bytes).packets == [.transportWideFeedback(feedback)])

        var empty = feedback
        empty.packetStatuses = []
        #expect(throws: WireError(.invalidValue, "")) { try RTCPPacket.transportWideFeedback(empty).serialized() }
        var late = feedback
        late.referenceTime = 0x100_0000
        #expect(throws: WireError(.invalidValue, "")) { try RTCPPacket.transportWideFeedback(late).serialized() }
    }

    // MARK: PLI, FIR, REMB

    @Test("PLI: hand-built bytes, and FCI bytes are refused")
    func pli() throws {
        let bytes = [UInt8](hex: "81ce0002 0000000a 0000000b")
        let compound = try RTCPCompound(parsing: bytes)
        #expect(compound.packets == [.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 10, mediaSSRC: 11))])
        #expect(try compound.serialized() == bytes)
        let longer = [UInt8](hex: "81ce0003 0000000a 0000000b 00000000")
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: longer) }
        let shorter = [UInt8](hex: "81ce0001 0000000a")
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: shorter) }
    }

    @Test("FIR: entries of SSRC + sequence number, reserved bytes ignored")
    func fir() throws {
        let bytes = [UInt8](hex: "84ce0006 0000000a 00000000 0000000b 07000000 0000000c 08ffffff")
        let compound = try RTCPCompound(parsing: bytes)
        let expected = RTCPFullIntraRequest(
            senderSSRC: 10,
            entries: [.init(ssrc: 11, sequenceNumber: 7), .init(ssrc: 12, sequenceNumber: 8)]
        )
        #expect(compound.packets == [.fullIntraRequest(expected)])
        let reserialised = try compound.serialized()
        #expect(reserialised.count == bytes.count)
        #expect(reserialised.suffix(4) == [8, 0, 0, 0])  // reserved written as zero
        let halfEntry = [UInt8](hex: "84ce0003 0000000a 00000000 0000000b")
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: halfEntry) }
    }

    @Test("REMB: exponent and mantissa decode to bits per second, with the SSRC list")
    func remb() throws {
        // Two SSRCs; exponent 3, mantissa 0x3_0D40 (200000): 1.6 Mbit/s.
        let bytes = [UInt8](hex: "8fce0006 00000001 00000000 52454d42 020f0d40 00000011 00000012")
        let compound = try RTCPCompound(parsing: bytes)
        let expected = RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 1_600_000, ssrcs: [0x11, 0x12])
        #expect(compound.packets == [.receiverEstimatedMaximumBitrate(expected)])
        // The writer picks the smallest exponent whose mantissa fits 18 bits: 3, as in the bytes.
        #expect(try compound.serialized() == bytes)

        let exact = RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 0x3_FFFF, ssrcs: [])
        let exactBytes = try RTCPPacket.receiverEstimatedMaximumBitrate(exact).serialized()
        #expect(Array(exactBytes[16..<20]) == [0x00, 0x03, 0xFF, 0xFF])  // exponent 0
        let big = RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 1 << 40, ssrcs: [3])
        #expect(
            try RTCPCompound(parsing: RTCPCompound(packets: [.receiverEstimatedMaximumBitrate(big)]).serialized())
                .packets == [.receiverEstimatedMaximumBitrate(big)]
        )
    }

    @Test("REMB: SSRC count beyond the packet, extra bytes and a bitrate past 64 bits are rejected")
    func rembMalformed() {
        // Claims 3 SSRCs, carries 1.
        let beyond = [UInt8](hex: "8fce0005 00000001 00000000 52454d42 030f0d40 00000011")
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: beyond) }
        // Claims 255 SSRCs.
        var most = beyond
        most[16] = 0xFF
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: most) }
        // Claims 0, carries 1.
        var fewer = beyond
        fewer[16] = 0
        #expect(throws: WireError(.invalidLength, "")) { try RTCPCompound(parsing: fewer) }
        // Exponent 63 with a non-zero mantissa overflows 64 bits.
        let overflow = [UInt8](hex: "8fce0004 00000001 00000000 52454d42 00fc0003")
        #expect(throws: WireError(.invalidValue, "")) { try RTCPCompound(parsing: overflow) }
        // Exponent 46 with an 18-bit mantissa still fits exactly.
        let largest = [UInt8](hex: "8fce0004 00000001 00000000 52454d42 00bbffff")
        #expect(throws: Never.self) { try RTCPCompound(parsing: largest) }
    }

    @Test("feedback with an unknown FMT, or application feedback other than REMB, stays opaque")
    func unknownFeedback() throws {
        // RTPFB FMT 3 (TMMBR) and PSFB FMT 15 with identifier "ABCD".
        let tmmbr = [UInt8](hex: "83cd0004 00000001 00000000 00000002 04000000")
        let afb = [UInt8](hex: "8fce0003 00000001 00000000 41424344")
        let compound = try RTCPCompound(parsing: tmmbr + afb)
        #expect(
            compound.packets == [
                .unknown(
                    RTCPUnknownPacket(
                        packetType: .transportLayerFeedback,
                        count: 3,
                        payload: Array(tmmbr.dropFirst(4))
                    )
                ),
                .unknown(
                    RTCPUnknownPacket(packetType: .payloadSpecificFeedback, count: 15, payload: Array(afb.dropFirst(4)))
                ),
            ]
        )
        #expect(try compound.serialized() == tmmbr + afb)
        // Even opaque feedback must hold the two SSRCs of RFC 4585's common header.
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: [UInt8](hex: "83cd0001 00000001")) }
    }
}
