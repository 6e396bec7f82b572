import RTCWire
import Testing

/// A compound written out by hand from the RFC 3550 layouts (sections 6.4.1 and 6.5): an SR with
/// one report block, then an SDES with one CNAME chunk.
enum RTCPHandBuilt {
    static let senderReportPlusCNAME = [UInt8](
        hex: """
            81c8000c 12345678
            e87a4b2c 80000000 0001e240 00000064 00003e80
            9abcdef0 40fffffe 00010005 0000002a 4b2c8000 00018000
            81ca0005 12345678
            010a7061 726c6579 2d6d6978 00000000
            """
    )

    static let senderReport = RTCPSenderReport(
        ssrc: 0x1234_5678,
        ntpTimestamp: 0xE87A_4B2C_8000_0000,
        rtpTimestamp: 123_456,
        packetCount: 100,
        octetCount: 16_000,
        reportBlocks: [
            RTCPReportBlock(
                ssrc: 0x9ABC_DEF0,
                fractionLost: 0x40,
                cumulativeLost: -2,
                extendedHighestSequenceNumber: 0x0001_0005,
                jitter: 42,
                lastSenderReport: 0x4B2C_8000,
                delaySinceLastSenderReport: 0x0001_8000
            )
        ]
    )
}

@Suite("RTCP compound")
struct RTCPCompoundTests {
    @Test("hand-built SR + SDES CNAME parses field by field and serialises to the same bytes")
    func handBuiltSenderReportAndCNAME() throws {
        let bytes = RTCPHandBuilt.senderReportPlusCNAME
        #expect(bytes.count == 76)
        let compound = try RTCPCompound(parsing: bytes)
        try #require(compound.packets.count == 2)

        guard case .senderReport(let report) = compound.packets[0] else {
            Issue.record("first packet is \(compound.packets[0].packetType), not SR")
            return
        }
        #expect(report.ssrc == 0x1234_5678)
        #expect(report.ntpTimestamp == 0xE87A_4B2C_8000_0000)
        #expect(report.rtpTimestamp == 123_456)
        #expect(report.packetCount == 100)
        #expect(report.octetCount == 16_000)
        #expect(report.profileExtension.isEmpty)
        try #require(report.reportBlocks.count == 1)
        let block = report.reportBlocks[0]
        #expect(block.ssrc == 0x9ABC_DEF0)
        #expect(block.fractionLost == 0x40)
        #expect(block.cumulativeLost == -2)  // 0xFFFFFE sign-extended
        #expect(block.extendedHighestSequenceNumber == 0x0001_0005)
        #expect(block.jitter == 42)
        #expect(block.lastSenderReport == 0x4B2C_8000)
        #expect(block.delaySinceLastSenderReport == 0x0001_8000)
        #expect(report == RTCPHandBuilt.senderReport)

        guard case .sourceDescription(let sdes) = compound.packets[1] else {
            Issue.record("second packet is \(compound.packets[1].packetType), not SDES")
            return
        }
        try #require(sdes.chunks.count == 1)
        #expect(sdes.chunks[0].ssrc == 0x1234_5678)
        #expect(sdes.chunks[0].cname == "parley-mix")
        #expect(sdes.chunks[0].items == [.init(type: .cname, text: "parley-mix")])

        #expect(try compound.serialized() == bytes)
    }

    @Test("the SR + SDES builder produces the hand-built bytes")
    func senderReportBuilder() throws {
        let compound = RTCPCompound.senderReport(RTCPHandBuilt.senderReport, cname: "parley-mix")
        #expect(try compound.serialized() == RTCPHandBuilt.senderReportPlusCNAME)
    }

    @Test("the RR + SDES builder: RR first, CNAME next, then feedback, in one parseable datagram")
    func receiverReportBuilder() throws {
        let pli = RTCPPacket.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 7, mediaSSRC: 9))
        let compound = RTCPCompound.receiverReport(
            ssrc: 7,
            reportBlocks: [RTCPReportBlock(ssrc: 9, fractionLost: 3, cumulativeLost: 5)],
            cname: "relay",
            feedback: [pli]
        )
        var out: [UInt8] = [0xEE]  // appending must keep what is already there
        try compound.serialize(into: &out)
        #expect(out[0] == 0xEE)
        // RR header: V=2, RC=1, PT=201, length 7 (one block).
        #expect(Array(out[1..<5]) == [0x81, 0xC9, 0x00, 0x07])
        let parsed = try RTCPCompound(parsing: Array(out.dropFirst()))
        #expect(parsed == compound)
        #expect(parsed.packets.map(\.packetType) == [.receiverReport, .sourceDescription, .payloadSpecificFeedback])
    }

    @Test("more than 31 report blocks spill into extra RR packets with the same SSRC")
    func reportBlockSplitting() throws {
        let blocks = (0..<70).map { RTCPReportBlock(ssrc: UInt32($0), extendedHighestSequenceNumber: UInt32($0)) }
        let compound = RTCPCompound.receiverReport(ssrc: 1, reportBlocks: blocks, cname: "c")
        #expect(compound.packets.count == 4)  // 31 + 31 + 8, then SDES
        var collected: [RTCPReportBlock] = []
        for packet in compound.packets.prefix(3) {
            guard case .receiverReport(let report) = packet else {
                Issue.record("expected RR, got \(packet.packetType)")
                return
            }
            #expect(report.ssrc == 1)
            #expect(report.reportBlocks.count <= 31)
            collected += report.reportBlocks
        }
        #expect(collected == blocks)
        #expect(try RTCPCompound(parsing: compound.serialized()) == compound)

        var report = RTCPHandBuilt.senderReport
        report.reportBlocks = blocks
        let sender = RTCPCompound.senderReport(report, cname: "c")
        guard case .senderReport(let first) = sender.packets[0] else {
            Issue.record("expected SR first")
            return
        }
        #expect(first.reportBlocks == Array(blocks.prefix(31)))
        #expect(
            sender.packets.map(\.packetType) == [.senderReport, .receiverReport, .receiverReport, .sourceDescription]
        )

        // A single SR or RR with 32 blocks cannot be written: the count field has 5 bits.
        let tooMany = RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: 1, reportBlocks: Array(blocks.prefix(32))))
        #expect(throws: WireError(.tooMany, "")) { try tooMany.serialized() }
    }

    @Test("every prefix of the compound is rejected without trapping, except the one ending after the SR")
    func everyPrefix() throws {
        let bytes = RTCPHandBuilt.senderReportPlusCNAME
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            if length == 52 {
                // A lone SR is itself a valid (reduced-size) compound.
                let parsed = try RTCPCompound(parsing: prefix)
                #expect(parsed.packets == [.senderReport(RTCPHandBuilt.senderReport)])
                continue
            }
            #expect(throws: WireError.self, "prefix of \(length) bytes") {
                try RTCPCompound(parsing: prefix)
            }
        }
    }

    @Test("a length past the end rejects the whole compound, even when the packets before are fine")
    func lengthPastTheEnd() {
        var bytes = RTCPHandBuilt.senderReportPlusCNAME
        bytes[55] = 6  // SDES claims 7 words, 28 bytes; 24 remain
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: bytes) }

        var first = RTCPHandBuilt.senderReportPlusCNAME
        first[3] = 0x20  // SR claims 33 words
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: first) }

        var huge = RTCPHandBuilt.senderReportPlusCNAME
        huge[2] = 0xFF
        huge[3] = 0xFF  // the largest length field: 262144 bytes
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: huge) }
    }

    @Test("a good first packet followed by garbage is not half-accepted")
    func trailingGarbage() {
        let bytes = RTCPHandBuilt.senderReportPlusCNAME.prefix(52) + [0x81, 0xC9, 0x00]
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: Array(bytes)) }
        let wrongVersion = RTCPHandBuilt.senderReportPlusCNAME.prefix(52) + [0x41, 0xC9, 0x00, 0x01, 0, 0, 0, 1]
        #expect(throws: WireError(.invalidVersion, "")) { try RTCPCompound(parsing: Array(wrongVersion)) }
    }

    @Test("a report count larger than the bytes, in the second packet, reports its offset in the datagram")
    func reportCountOffset() {
        // After the 52-byte SR: an RR with RC=2 but room for one block (length 7, 32 bytes).
        let rr = [UInt8](hex: "82c90007 00000001") + [UInt8](repeating: 0, count: 24)
        let bytes = Array(RTCPHandBuilt.senderReportPlusCNAME.prefix(52)) + rr
        let error = #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: bytes) }
        #expect(error?.offset == 52 + 4 + 28)  // the body's end, counted from the datagram's start
    }

    @Test("version other than 2 is rejected, and the error offset points at the packet")
    func version() throws {
        for version: UInt8 in [0, 1, 3] {
            var bytes = RTCPHandBuilt.senderReportPlusCNAME
            bytes[52] = version << 6 | 0x01
            let error = #expect(throws: WireError(.invalidVersion, "")) { try RTCPCompound(parsing: bytes) }
            #expect(error?.offset == 52)
        }
    }

    @Test("an empty datagram is rejected")
    func empty() {
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: [UInt8]()) }
        #expect(throws: WireError(.missingField, "")) { try RTCPCompound(packets: []).serialized() }
    }

    @Test("reduced-size RTCP (RFC 5506): a lone feedback packet is a valid compound")
    func reducedSize() throws {
        // PLI: V=2, FMT=1, PT=206, length 2.
        let bytes = [UInt8](hex: "81ce0002 00000007 00000009")
        let compound = try RTCPCompound(parsing: bytes)
        #expect(compound.packets == [.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 7, mediaSSRC: 9))])
        // Feedback before any report is fine too.
        let twoFeedback = try RTCPCompound(parsing: bytes + bytes)
        #expect(twoFeedback.packets.count == 2)
    }
}

@Suite("RTCP padding")
struct RTCPPaddingTests {
    /// RR with no blocks, then the hand-built SDES.
    static let receiverReportThenSDES = [UInt8](hex: "80c90001 00000007") + RTCPHandBuilt.senderReportPlusCNAME[52...]

    @Test("padding on the last packet is removed before the body is parsed")
    func paddingOnLast() throws {
        // RR with P set, length 2: SSRC, then 4 bytes of padding ending in its length.
        let bytes = [UInt8](hex: "a0c90002 00000007 00000004")
        let compound = try RTCPCompound(parsing: bytes)
        #expect(compound.packets == [.receiverReport(RTCPReceiverReport(ssrc: 7))])
        // Padded last packet after an unpadded one.
        let two = RTCPHandBuilt.senderReportPlusCNAME.prefix(52) + bytes
        #expect(try RTCPCompound(parsing: Array(two)).packets.count == 2)
    }

    @Test("padding on a packet that is not the last rejects the compound")
    func paddingOnNonLast() throws {
        let padded = [UInt8](hex: "a0c90002 00000007 00000004")
        let bytes = padded + RTCPHandBuilt.senderReportPlusCNAME[52...]
        let error = #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: bytes) }
        #expect(error?.offset == 0)
        // libwebrtc's habit of padding transport-cc anywhere is accepted only when asked for.
        let lenient = try RTCPCompound(parsing: bytes, padding: .anyPacket)
        #expect(lenient.packets.first == .receiverReport(RTCPReceiverReport(ssrc: 7)))
        #expect(lenient.packets.count == 2)
    }

    @Test("padding length 0 is rejected")
    func paddingZero() {
        let bytes = [UInt8](hex: "a0c90002 00000007 00000000")
        #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: bytes) }
        #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: bytes, padding: .anyPacket) }
    }

    @Test("padding longer than the packet's body is rejected")
    func paddingPastThePacket() throws {
        // Body is 8 bytes: padding of 9 would eat into the header.
        let bytes = [UInt8](hex: "a0c90002 00000007 00000009")
        #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: bytes) }
        let huge = [UInt8](hex: "a0c90002 00000007 000000ff")
        #expect(throws: WireError(.invalidPadding, "")) { try RTCPCompound(parsing: huge) }
        // Padding of exactly the body leaves an empty RR body, which lacks its SSRC.
        let whole = [UInt8](hex: "a0c90002 00000007 00000008")
        #expect(throws: WireError(.truncated, "")) { try RTCPCompound(parsing: whole) }
    }

    @Test("an unaligned opaque payload is padded when last, and refused elsewhere")
    func serializerPadding() throws {
        let odd = RTCPPacket.unknown(
            RTCPUnknownPacket(packetType: .extendedReport, count: 0, payload: [1, 2, 3, 4, 5])
        )
        let bytes = try RTCPCompound(packets: [.receiverReport(RTCPReceiverReport(ssrc: 1)), odd]).serialized()
        // XR: P set, length 2, payload, then padding 0 0 3.
        #expect(Array(bytes[8...]) == [UInt8](hex: "a0cf0002 01020304 05000003"))
        #expect(try RTCPCompound(parsing: bytes).packets.last == odd)

        let misplaced = RTCPCompound(packets: [odd, .receiverReport(RTCPReceiverReport(ssrc: 1))])
        var out: [UInt8] = [9, 9]
        #expect(throws: WireError(.invalidPadding, "")) { try misplaced.serialize(into: &out) }
        #expect(out == [9, 9])  // nothing half-written
    }
}
