import RTCWire
import Testing

@Suite("RTCP round trips")
struct RTCPRoundTripTests {
    /// One packet of every kind, with fields chosen to reach the edges of their encodings.
    static let everyKind: [RTCPPacket] = [
        .senderReport(
            RTCPSenderReport(
                ssrc: 0xFFFF_FFFF,
                ntpTimestamp: 0x0123_4567_89AB_CDEF,
                rtpTimestamp: 0xFFFF_FFFF,
                packetCount: 1,
                octetCount: 2,
                reportBlocks: [
                    RTCPReportBlock(ssrc: 1, fractionLost: 255, cumulativeLost: 0x7F_FFFF),
                    RTCPReportBlock(ssrc: 2, cumulativeLost: -0x80_0000, jitter: 0xFFFF_FFFF),
                ],
                profileExtension: [1, 2, 3, 4]
            )
        ),
        .senderReport(RTCPSenderReport(ssrc: 9, ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0)),
        .receiverReport(RTCPReceiverReport(ssrc: 3)),
        .receiverReport(
            RTCPReceiverReport(
                ssrc: 4,
                reportBlocks: (0..<31).map {
                    RTCPReportBlock(ssrc: UInt32($0), cumulativeLost: Int32($0) - 15, lastSenderReport: UInt32($0))
                }
            )
        ),
        .sourceDescription(
            RTCPSourceDescription(chunks: [
                RTCPSourceDescription.Chunk(
                    ssrc: 5,
                    items: [
                        .init(type: .cname, text: "user@example.org"),
                        .init(type: .name, text: "Zoë"),
                        .init(type: .tool, value: Array(repeating: 0x41, count: 255)),
                        .init(type: .note, value: []),
                        .init(type: .privateExtension, value: [3, 0x61, 0x62, 0x63, 0xFF]),
                        .init(type: .init(rawValue: 99), value: [0]),
                    ]
                ),
                RTCPSourceDescription.Chunk(ssrc: 6, items: []),
                RTCPSourceDescription.Chunk(ssrc: 7, items: [.init(type: .cname, text: "ab")]),
            ])
        ),
        .sourceDescription(RTCPSourceDescription(chunks: [])),
        .goodbye(RTCPGoodbye(ssrcs: [1, 2, 3], reasonText: "leaving")),
        .goodbye(RTCPGoodbye(ssrcs: [4])),
        .goodbye(RTCPGoodbye(ssrcs: [], reason: [])),
        .goodbye(RTCPGoodbye(ssrcs: [5], reason: Array(repeating: 0x7A, count: 255))),
        .applicationDefined(RTCPApplicationDefined(subtype: 31, ssrc: 8, name: 0x5445_5354, data: [9, 8, 7, 6])),
        .applicationDefined(RTCPApplicationDefined(subtype: 0, ssrc: 8, name: 0x5157_4552)),
        .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [65535, 0, 1, 100])),
        .transportWideFeedback(
            RTCPTransportWideFeedback(
                senderSSRC: 1,
                mediaSSRC: 2,
                baseSequenceNumber: 65530,
                referenceTime: 123,
                feedbackPacketCount: 9,
                packetStatuses: [
                    .receivedSmallDelta(1), .notReceived, .receivedLargeDelta(-1), .receivedLargeDelta(32767),
                    .receivedSmallDelta(255), .receivedLargeDelta(-32768), .receivedLargeDelta(0),
                ]
            )
        ),
        .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 0xDEAD_BEEF)),
        .fullIntraRequest(
            RTCPFullIntraRequest(
                senderSSRC: 1,
                mediaSSRC: 5,
                entries: [.init(ssrc: 2, sequenceNumber: 255), .init(ssrc: 3, sequenceNumber: 0)]
            )
        ),
        .receiverEstimatedMaximumBitrate(
            RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 0x3_FFFF << 46, ssrcs: Array(0..<255))
        ),
        .receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 0, ssrcs: [])),
        .unknown(
            RTCPUnknownPacket(packetType: .extendedReport, count: 0, payload: [0, 0, 0, 1, 4, 0, 0, 2, 1, 2, 3, 4])
        ),
        .unknown(RTCPUnknownPacket(packetType: .init(rawValue: 195), count: 31, payload: [])),
        .unknown(RTCPUnknownPacket(packetType: .payloadSpecificFeedback, count: 2, payload: [0, 0, 0, 1, 0, 0, 0, 2])),
    ]

    @Test("every packet kind, alone: parse(serialise(x)) == x, and every proper prefix is rejected")
    func eachKindAlone() throws {
        for packet in Self.everyKind {
            let bytes = try packet.serialized()
            #expect(bytes.count % 4 == 0, "\(packet.packetType)")
            let parsed = try RTCPCompound(parsing: bytes)
            #expect(parsed.packets == [packet])
            // Serialising what was parsed gives the same bytes back.
            #expect(try parsed.serialized() == bytes)
            for length in 0..<bytes.count {
                #expect(throws: WireError.self, "\(packet.packetType) prefix \(length)") {
                    try RTCPCompound(parsing: Array(bytes.prefix(length)))
                }
            }
        }
    }

    @Test("all kinds in one compound round-trip, in order")
    func allInOneCompound() throws {
        let compound = RTCPCompound(packets: Self.everyKind)
        let bytes = try compound.serialized()
        let parsed = try RTCPCompound(parsing: bytes)
        #expect(parsed == compound)
        #expect(parsed.packets.map(\.packetType) == Self.everyKind.map(\.packetType))
    }

    @Test("serialising a value that does not fit throws and leaves the buffer untouched")
    func unencodable() {
        let cases: [(RTCPPacket, WireError.Code)] = [
            (
                .sourceDescription(
                    RTCPSourceDescription(chunks: Array(repeating: .init(ssrc: 1, items: []), count: 32))
                ), .tooMany
            ),
            (
                .sourceDescription(
                    RTCPSourceDescription(chunks: [.init(ssrc: 1, items: [.init(type: .init(rawValue: 0), value: [])])])
                ), .invalidValue
            ),
            (
                .sourceDescription(
                    RTCPSourceDescription(chunks: [
                        .init(ssrc: 1, items: [.init(type: .cname, value: Array(repeating: 1, count: 256))])
                    ])
                ), .tooLarge
            ),
            (.goodbye(RTCPGoodbye(ssrcs: Array(0..<32))), .tooMany),
            (.goodbye(RTCPGoodbye(ssrcs: [1], reason: Array(repeating: 1, count: 256))), .tooLarge),
            (.applicationDefined(RTCPApplicationDefined(subtype: 32, ssrc: 1, name: 0)), .invalidValue),
            (.applicationDefined(RTCPApplicationDefined(subtype: 1, ssrc: 1, name: 0, data: [1, 2])), .invalidLength),
            (
                .senderReport(
                    RTCPSenderReport(
                        ssrc: 1,
                        ntpTimestamp: 0,
                        rtpTimestamp: 0,
                        packetCount: 0,
                        octetCount: 0,
                        profileExtension: [1]
                    )
                ), .invalidLength
            ),
            (.fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 1, entries: [])), .invalidLength),
            (
                .receiverEstimatedMaximumBitrate(
                    RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 1, bitrate: 1, ssrcs: Array(0..<256))
                ), .tooMany
            ),
            (.unknown(RTCPUnknownPacket(packetType: .extendedReport, count: 32, payload: [])), .invalidValue),
            (
                .unknown(
                    RTCPUnknownPacket(
                        packetType: .extendedReport,
                        count: 0,
                        payload: Array(repeating: 0, count: 65536 * 4)
                    )
                ), .tooLarge
            ),
        ]
        for (packet, code) in cases {
            var out: [UInt8] = [1, 2, 3]
            #expect(throws: WireError(code, ""), "\(packet.packetType)") { try packet.serialize(into: &out) }
            #expect(out == [1, 2, 3])
        }
    }

    @Test("cumulative loss outside 24 bits is clamped on the wire, as RFC 3550 asks")
    func cumulativeLossClamp() throws {
        let report = RTCPReceiverReport(
            ssrc: 1,
            reportBlocks: [
                RTCPReportBlock(ssrc: 2, cumulativeLost: .max),
                RTCPReportBlock(ssrc: 3, cumulativeLost: .min),
            ]
        )
        let parsed = try RTCPCompound(parsing: RTCPPacket.receiverReport(report).serialized())
        guard case .receiverReport(let back) = parsed.packets.first else {
            Issue.record("not an RR")
            return
        }
        #expect(back.reportBlocks.map(\.cumulativeLost) == [0x7F_FFFF, -0x80_0000])
    }

    @Test("SDES and BYE accept chunk and reason padding cut short by RTCP padding")
    func paddingCutsNullOctets() throws {
        // SDES, P set, length 3: SSRC, CNAME "ab", END, then padding 1 byte (no room for null
        // octets after END).
        let sdes = [UInt8](hex: "a1ca0003 00000005 01026162 0000ff02")
        let compound = try RTCPCompound(parsing: sdes)
        #expect(compound.packets == [.sourceDescription(RTCPSourceDescription(ssrc: 5, cname: "ab"))])
        // BYE, P set: SSRC, reason "hi", then padding of 1.
        let bye = [UInt8](hex: "a1cb0002 00000009 02686901")
        #expect(try RTCPCompound(parsing: bye).packets == [.goodbye(RTCPGoodbye(ssrcs: [9], reasonText: "hi"))])
    }

    @Test("malformed SR, RR, SDES, BYE and APP bodies are rejected")
    func malformedBodies() {
        let cases: [(String, WireError.Code)] = [
            // RR with RC=2 and one block: report count larger than the bytes.
            ("82c90007 00000001" + String(repeating: "00", count: 24), .truncated),
            // SR with RC=1 and no block.
            ("81c80006 00000001" + String(repeating: "00", count: 20), .truncated),
            // SR too short for its sender info.
            ("80c80001 00000001", .truncated),
            // RR with a block and a 3-byte extension (padding of 1 leaves it unaligned).
            ("a1c90008 00000001" + String(repeating: "00", count: 24) + "aabbcc01", .invalidLength),
            // SDES with SC=2 and one chunk.
            ("82ca0002 00000005 00000000", .truncated),
            // SDES item whose length runs past the packet.
            ("81ca0002 00000005 01096162", .truncated),
            // SDES chunk without END.
            ("81ca0002 00000005 01026162", .truncated),
            // SDES with a word after its only chunk.
            ("81ca0003 00000005 00000000 00000000", .invalidLength),
            // BYE with SC=2 and one SSRC.
            ("82cb0001 00000001", .truncated),
            // BYE reason longer than the packet.
            ("81cb0002 00000001 05616263", .truncated),
            // BYE with a word after the reason.
            ("81cb0003 00000001 01610000 00000000", .invalidLength),
            // APP without its name.
            ("80cc0001 00000001", .truncated),
            // APP data of 3 bytes (padding of 1).
            ("a0cc0003 00000001 54455354 aabbcc01", .invalidLength),
        ]
        for (hex, code) in cases {
            #expect(throws: WireError(code, ""), "\(hex)") { try RTCPCompound(parsing: [UInt8](hex: hex)) }
        }
    }

    @Test("mutated and truncated compounds never trap; whatever parses round-trips")
    func mutations() throws {
        let seedBytes = try RTCPCompound(packets: Self.everyKind).serialized() + RTCPFeedbackTests.transportCC
        var generator = RTCPTestRandom(seed: 0x5EED)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = seedBytes
            // Cut at a random point, flip a few random bytes (lengths and counts included), or both.
            let mode = generator.next() % 3
            if mode != 1 {
                bytes.removeLast(Int(generator.next() % UInt64(bytes.count)))
            }
            let flips = mode == 0 ? 0 : Int(generator.next() % 3) + 1
            for _ in 0..<flips where !bytes.isEmpty {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            guard let parsed = try? RTCPCompound(parsing: bytes) else {
                continue
            }
            accepted += 1
            let again = try RTCPCompound(parsing: parsed.serialized())
            #expect(again == parsed, "\(bytes.hex)")
        }
        // The corpus must exercise both outcomes, or this test proves nothing.
        #expect(accepted > 50)
        #expect(accepted < 3000)
    }
}

/// A small deterministic generator (RTCPTestRandom) so the mutation test sees the same inputs each run.
struct RTCPTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
