import RTCWire
import Testing

/// Hand-assembled packets shared by the RTP suites. Each is commented field by field so a failing
/// test can be checked against the RFC by eye.
enum RTPTestPackets {
    /// A Chromium-style Opus packet: PT 111, one-byte extensions with audio level (id 1),
    /// abs-send-time (id 2) and transport-wide sequence number (id 3), as Chrome sends them with
    /// the extmap ids of its default offer (INTEROP.md).
    static let chromiumOpus: [UInt8] =
        [UInt8](hex: "906f2a1b")  // V=2 X=1 CC=0, M=0 PT=111, seq 0x2a1b
        + [UInt8](hex: "9d2c4e80")  // timestamp
        + [UInt8](hex: "1a2b3c4d")  // SSRC
        + [UInt8](hex: "bede0003")  // one-byte profile, 3 words
        + [UInt8](hex: "10a5")  // id 1 len 1: V=1, level 37
        + [UInt8](hex: "226b7c9d")  // id 2 len 3: abs-send-time 0x6b7c9d
        + [UInt8](hex: "31012c")  // id 3 len 2: transport-cc 300
        + [UInt8](hex: "000000")  // padding to the word boundary
        + [UInt8](hex: "780be4c136ecc580f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7")  // Opus, TOC 0x78

    /// Two CSRCs, a two-byte extension block (app bits 3) with id 20 (3 bytes) and id 5 (empty),
    /// marker set, sequence number and timestamp at their maximum.
    static let twoByteWithCSRCs: [UInt8] =
        [UInt8](hex: "92e0ffff")  // V=2 X=1 CC=2, M=1 PT=96, seq 65535
        + [UInt8](hex: "ffffffff")  // timestamp
        + [UInt8](hex: "01020304")  // SSRC
        + [UInt8](hex: "11111111" + "22222222")  // CSRCs
        + [UInt8](hex: "10030002")  // two-byte profile, app bits 3, 2 words
        + [UInt8](hex: "1403aabbcc")  // id 20 len 3
        + [UInt8](hex: "0500")  // id 5 len 0
        + [UInt8](hex: "00")  // padding
        + [UInt8](hex: "0102030405")  // payload

    /// P, X and one CSRC: a one-byte MID element ("a"), ten 0xFF payload bytes and 4 bytes of RTP
    /// padding. The payload bytes are all 255, so no prefix of this packet has a plausible padding
    /// count in its last byte: every prefix must be rejected.
    static let paddedWithCSRC: [UInt8] =
        [UInt8](hex: "b1080001")  // V=2 P=1 X=1 CC=1, M=0 PT=8, seq 1
        + [UInt8](hex: "00000a00")  // timestamp
        + [UInt8](hex: "deadbeef")  // SSRC
        + [UInt8](hex: "cafebabe")  // CSRC
        + [UInt8](hex: "bede0001")  // one-byte profile, 1 word
        + [UInt8](hex: "4061" + "0000")  // id 4 len 1: "a", padding
        + [UInt8](repeating: 0xFF, count: 10)  // payload
        + [UInt8](hex: "00000004")  // RTP padding, count 4

    /// An application-specific (non-RFC 8285) extension block, profile 0xABCD.
    static let opaqueExtension: [UInt8] =
        [UInt8](hex: "90000007")  // V=2 X=1, PT=0, seq 7
        + [UInt8](hex: "00000140")  // timestamp 320
        + [UInt8](hex: "00000001")  // SSRC
        + [UInt8](hex: "abcd0002")  // profile 0xABCD, 2 words
        + [UInt8](hex: "0102030405060708")  // opaque data
        + [UInt8](hex: "d5d5d5")  // payload

    /// The smallest packet: a fixed header and no payload.
    static let bare: [UInt8] = [UInt8](hex: "80000000" + "00000000" + "00000000")

    static let all: [(name: String, bytes: [UInt8])] = [
        ("chromiumOpus", chromiumOpus),
        ("twoByteWithCSRCs", twoByteWithCSRCs),
        ("paddedWithCSRC", paddedWithCSRC),
        ("opaqueExtension", opaqueExtension),
        ("bare", bare),
    ]
}

extension RTPHeader {
    /// `extensionElement(id:in:)` over an array: swift-testing's `#require` cannot capture a Span
    /// argument (Span is not Escapable).
    func element(_ id: UInt8, in bytes: [UInt8]) -> RTPHeaderExtensionElement? {
        self.extensionElement(id: id, in: bytes.span)
    }
}

/// Parses `bytes` and checks it fails with `code`.
func expectRTPError(
    _ code: WireError.Code,
    _ bytes: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let header = try RTPHeader(parsing: bytes.span)
        Issue.record("parsed \(bytes.hex) as \(header), expected \(code)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite("RTP header parsing")
struct RTPHeaderTests {
    @Test("Chromium Opus packet: fixed fields and layout")
    func chromiumFields() throws {
        let bytes = RTPTestPackets.chromiumOpus
        let header = try RTPHeader(parsing: bytes.span)
        #expect(header.hasPadding == false)
        #expect(header.hasExtension)
        #expect(header.csrcCount == 0)
        #expect(header.marker == false)
        #expect(header.payloadType == 111)
        #expect(header.sequenceNumber == 0x2a1b)
        #expect(header.timestamp == 0x9d2c_4e80)
        #expect(header.ssrc == 0x1a2b_3c4d)
        let block = try #require(header.extensionBlock)
        #expect(block.profile == 0xBEDE)
        #expect(block.form == .oneByte)
        #expect(block.offset == 12)
        #expect(block.dataOffset == 16)
        #expect(block.dataLength == 12)
        #expect(header.headerLength == 28)
        #expect(header.payloadOffset == 28)
        #expect(header.payloadLength == bytes.count - 28)
        #expect(header.paddingLength == 0)
        #expect(header.packetLength == bytes.count)
        #expect(bytes[header.payloadRange.lowerBound] == 0x78)
    }

    @Test("Chromium Opus packet: audio level, abs-send-time and transport-cc in one-byte form")
    func chromiumExtensions() throws {
        let bytes = RTPTestPackets.chromiumOpus
        let header = try RTPHeader(parsing: bytes.span)

        var ids: [UInt8] = []
        var ranges: [Range<Int>] = []
        var elements = header.extensionElements
        while let element = elements.next(in: bytes.span) {
            #expect(element.isOneByte)
            #expect(element.headerLength == 1)
            ids.append(element.id)
            ranges.append(element.valueRange)
        }
        #expect(ids == [1, 2, 3])
        #expect(ranges == [17..<18, 19..<22, 23..<25])

        let level = try #require(try header.audioLevel(id: 1, in: bytes.span))
        #expect(level.voiceActivity)
        #expect(level.level == 37)
        #expect(level.dBov == -37)
        let sendTime = try #require(try header.absSendTime(id: 2, in: bytes.span))
        #expect(sendTime.rawValue == 0x6b_7c9d)
        #expect(try header.transportSequenceNumber(id: 3, in: bytes.span) == 300)
        #expect(try header.mid(id: 4, in: bytes.span) == nil)
        #expect(header.extensionElement(id: 9, in: bytes.span) == nil)

        // The ids belong to SDP, not to the parser: asking for the wrong one gives the wrong type.
        #expect(throws: WireError(.invalidLength, "")) { try header.absSendTime(id: 1, in: bytes.span) }
        #expect(throws: WireError(.invalidLength, "")) { try header.audioLevel(id: 3, in: bytes.span) }
    }

    @Test("two-byte form with CSRCs, app bits, an empty value and padding between elements")
    func twoByteLayout() throws {
        let bytes = RTPTestPackets.twoByteWithCSRCs
        let header = try RTPHeader(parsing: bytes.span)
        #expect(header.marker)
        #expect(header.payloadType == 96)
        #expect(header.sequenceNumber == 65535)
        #expect(header.timestamp == UInt32.max)
        #expect(header.csrcCount == 2)
        #expect(header.csrc(at: 0, in: bytes.span) == 0x1111_1111)
        #expect(header.csrc(at: 1, in: bytes.span) == 0x2222_2222)
        let block = try #require(header.extensionBlock)
        #expect(block.form == .twoByte(appBits: 3))
        #expect(block.offset == 20)
        #expect(block.dataLength == 8)
        #expect(header.headerLength == 32)
        #expect(header.payloadLength == 5)

        let wide = try #require(header.element(20, in: bytes))
        #expect(wide.headerLength == 2)
        #expect(wide.offset == 24)
        #expect(wide.valueRange == 26..<29)
        #expect(Array(bytes[wide.valueRange]) == [0xAA, 0xBB, 0xCC])
        let empty = try #require(header.element(5, in: bytes))
        #expect(empty.valueLength == 0)
        #expect(empty.offset == 29)
    }

    @Test("P bit: padding length from the last byte, payload before it")
    func padding() throws {
        let bytes = RTPTestPackets.paddedWithCSRC
        let header = try RTPHeader(parsing: bytes.span)
        #expect(header.hasPadding)
        #expect(header.paddingLength == 4)
        #expect(header.headerLength == 24)
        #expect(header.payloadRange == 24..<34)
        #expect(header.packetLength == bytes.count)
        #expect(try header.mid(id: 4, in: bytes.span) == "a")

        // Padding may take everything after the header.
        let allPadding = [UInt8](hex: "a0000000" + "00000000" + "00000000" + "00000004")
        let paddedOnly = try RTPHeader(parsing: allPadding.span)
        #expect(paddedOnly.payloadLength == 0)
        #expect(paddedOnly.paddingLength == 4)
    }

    @Test("unknown profile is kept as an opaque block with no elements")
    func opaqueBlock() throws {
        let bytes = RTPTestPackets.opaqueExtension
        let header = try RTPHeader(parsing: bytes.span)
        let block = try #require(header.extensionBlock)
        #expect(block.profile == 0xABCD)
        #expect(block.form == .opaque)
        #expect(block.dataRange == 16..<24)
        #expect(Array(bytes[block.dataRange]) == [1, 2, 3, 4, 5, 6, 7, 8])
        var elements = header.extensionElements
        #expect(elements.next(in: bytes.span) == nil)
        #expect(header.payloadRange == 24..<27)
    }

    @Test("versions 0, 1 and 3 are rejected")
    func badVersion() {
        for first: UInt8 in [0x00, 0x40, 0xC0, 0x3F, 0x7F, 0xFF] {
            var bytes = RTPTestPackets.bare
            bytes[0] = first
            expectRTPError(.invalidVersion, bytes)
        }
    }

    @Test("CSRC count past the end is truncation")
    func csrcPastEnd() {
        var bytes = RTPTestPackets.bare
        bytes[0] = 0x8F  // 15 CSRCs announced, none present
        expectRTPError(.truncated, bytes)
        // One CSRC present, two announced.
        expectRTPError(.truncated, [UInt8](hex: "82000000" + "00000000" + "00000000" + "11111111"))
        // Fifteen present: accepted.
        let full = [UInt8](hex: "8f000000" + "00000000" + "00000000") + [UInt8](repeating: 7, count: 60)
        #expect((try? RTPHeader(parsing: full.span))?.headerLength == 72)
    }

    @Test("extension block header or length past the end is truncation")
    func extensionPastEnd() {
        // X set, nothing after the fixed header.
        expectRTPError(.truncated, [UInt8](hex: "90000000" + "00000000" + "00000000"))
        // X set, half a block header.
        expectRTPError(.truncated, [UInt8](hex: "90000000" + "00000000" + "00000000" + "bede"))
        // Length 0xFFFF words with 4 data bytes present.
        expectRTPError(.truncated, [UInt8](hex: "90000000" + "00000000" + "00000000" + "bedeffff" + "10aa0000"))
        // Length 2 words, one present; also for an opaque profile.
        expectRTPError(.truncated, [UInt8](hex: "90000000" + "00000000" + "00000000" + "bede0002" + "10aa0000"))
        expectRTPError(.truncated, [UInt8](hex: "90000000" + "00000000" + "00000000" + "12340002" + "10aa0000"))
        // Length 0: an empty block is valid.
        let empty = [UInt8](hex: "90000000" + "00000000" + "00000000" + "bede0000" + "99")
        #expect((try? RTPHeader(parsing: empty.span))?.payloadRange == 16..<17)
    }

    @Test("padding count 0, larger than what follows the header, or missing is rejected")
    func badPadding() {
        let fixed = "a0000000" + "00000000" + "00000000"
        expectRTPError(.invalidPadding, [UInt8](hex: fixed + "aabbcc00"))  // count 0
        expectRTPError(.invalidPadding, [UInt8](hex: fixed + "aabbcc05"))  // 5 > 4 bytes after the header
        expectRTPError(.invalidPadding, [UInt8](hex: fixed + "ff"))  // 255 > 1
        expectRTPError(.invalidPadding, [UInt8](hex: fixed))  // no count byte at all
        // The count must not reach into the CSRCs or the extension block.
        expectRTPError(
            .invalidPadding,
            [UInt8](hex: "b1000000" + "00000000" + "00000000" + "11111111" + "bede0000" + "06")
        )
        #expect((try? RTPHeader(parsing: [UInt8](hex: fixed + "aabbcc04").span))?.payloadLength == 0)
    }

    @Test("fewer than 12 bytes is truncation")
    func shortInput() {
        for count in 0..<12 {
            expectRTPError(.truncated, Array(RTPTestPackets.bare.prefix(count)))
        }
    }

    @Test("every prefix of the test packets: header prefixes rejected, longer ones only shorten the payload")
    func everyPrefix() throws {
        for (name, bytes) in RTPTestPackets.all {
            let full = try RTPHeader(parsing: bytes.span)
            for count in 0..<bytes.count {
                let prefix = Array(bytes.prefix(count))
                let result = Result { () throws(WireError) in try RTPHeader(parsing: prefix.span) }
                if count < full.headerLength || full.hasPadding {
                    // Without a whole header (or, when padded, without the padding count) there is
                    // no valid packet, and the parser must say so instead of trapping.
                    #expect(throws: WireError.self, "\(name) prefix \(count)") { try result.get() }
                } else {
                    // A cut in the payload of an unpadded packet is a valid, shorter packet: RTP has
                    // no length field to tell. It must keep every header field and offset.
                    let header = try result.get()
                    #expect(header.headerLength == full.headerLength, "\(name) prefix \(count)")
                    #expect(header.extensionBlock == full.extensionBlock, "\(name) prefix \(count)")
                    #expect(header.payloadLength == count - full.headerLength, "\(name) prefix \(count)")
                }
            }
        }
    }

    @Test("every prefix of the padded packet is rejected with the right code")
    func everyPrefixPadded() {
        let bytes = RTPTestPackets.paddedWithCSRC
        for count in 0..<bytes.count {
            // Up to the end of the extension block (24 bytes) something announced is missing; after
            // it, the last byte is 0xFF or 0x00, neither a possible padding count.
            expectRTPError(count < 24 ? .truncated : .invalidPadding, Array(bytes.prefix(count)))
        }
    }

    @Test("arbitrary bytes never trap; what parses stays in bounds and survives a rebuild")
    func noiseNeverTraps() throws {
        var generator = SplitMix64(seed: 0x5EED)
        var parsed = 0
        var withElements = 0
        for _ in 0..<20000 {
            let count = Int(generator.next() % 80)
            var bytes: [UInt8] = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if !bytes.isEmpty && generator.next() % 8 != 0 {
                // Mostly version 2, so the deeper checks run.
                bytes[0] = bytes[0] & 0x3F | 0x80
            }
            if bytes.count >= 16 && generator.next() % 2 == 0 {
                // An RFC 8285 block right after the fixed header, with a short length, so that
                // element validation sees random element headers rather than only length errors.
                bytes[0] = bytes[0] & 0xE0 | 0x10
                let twoByte = generator.next() % 2 == 0
                bytes[12] = twoByte ? 0x10 : 0xBE
                bytes[13] = twoByte ? UInt8(truncatingIfNeeded: generator.next() & 0x0F) : 0xDE
                bytes[14] = 0
                bytes[15] = UInt8(truncatingIfNeeded: generator.next() % 16)
            }
            guard let header = try? RTPHeader(parsing: bytes.span) else { continue }
            parsed += 1
            #expect(header.packetLength == bytes.count)
            #expect(header.payloadRange.upperBound <= bytes.count)
            var elements = header.extensionElements
            var walked = 0
            while let element = elements.next(in: bytes.span), walked < 1000 {
                walked += 1
                let block = try #require(header.extensionBlock)
                #expect(block.dataRange.contains(element.offset))
                #expect(element.range.upperBound <= block.dataRange.upperBound)
            }
            if walked > 0 {
                withElements += 1
            }

            // Byte-exact only for canonical packets (see RTPPacket.init(parsing:)), but a rebuild
            // always parses back to the same packet, and is canonical itself.
            let packet = try RTPPacket(parsing: bytes)
            let rebuilt = try packet.serialized()
            #expect(try RTPPacket(parsing: rebuilt) == packet)
            #expect(try RTPPacket(parsing: rebuilt).serialized() == rebuilt)
        }
        #expect(parsed > 1000)
        #expect(withElements > 100)
    }
}

/// A small deterministic generator (SplitMix64) for noise tests.
struct SplitMix64 {
    var state: UInt64

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
