import RTCWire
import Testing

@Suite("RTP header extensions (RFC 8285)")
struct RTPHeaderExtensionTests {
    static let fixed = "90000000" + "00000000" + "00000000"

    /// The ids the iterator yields for a packet, with their values.
    static func elements(_ bytes: [UInt8]) throws -> [RTPPacket.HeaderExtension] {
        let header = try RTPHeader(parsing: bytes.span)
        var result: [RTPPacket.HeaderExtension] = []
        var iterator = header.extensionElements
        while let element = iterator.next(in: bytes.span) {
            result.append(.init(id: element.id, value: Array(bytes[element.valueRange])))
        }
        return result
    }

    @Test("profiles map to forms")
    func forms() {
        #expect(RTPHeaderExtensionForm(profile: 0xBEDE) == .oneByte)
        #expect(RTPHeaderExtensionForm(profile: 0x1000) == .twoByte(appBits: 0))
        #expect(RTPHeaderExtensionForm(profile: 0x100F) == .twoByte(appBits: 15))
        #expect(RTPHeaderExtensionForm(profile: 0x1010) == .opaque)
        #expect(RTPHeaderExtensionForm(profile: 0xBEDF) == .opaque)
        #expect(RTPHeaderExtensionForm(profile: 0x0000) == .opaque)
    }

    @Test("one-byte form: zero bytes are padding anywhere, lengths are nibble + 1")
    func oneBytePadding() throws {
        // Padding before, between and after elements: 1 + 5 + 2 + 2 + 2 = 12 bytes (3 words).
        let exact = [UInt8](hex: Self.fixed + "bede0003" + "00" + "13aabbccdd" + "0000" + "20ee" + "0000")
        let elements = try Self.elements(exact)
        #expect(elements.map(\.id) == [1, 2])
        #expect(elements[0].value == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(elements[1].value == [0xEE])
    }

    @Test("one-byte form: a 16-byte value (length nibble 15) is accepted")
    func oneByteLongest() throws {
        let value = (1...16).map { UInt8($0) }
        let bytes = [UInt8](hex: Self.fixed + "bede0005" + "1f") + value + [0, 0, 0]
        let elements = try Self.elements(bytes)
        #expect(elements == [.init(id: 1, value: value)])
    }

    @Test("one-byte form: id 15 ends the block; what follows is ignored, even if malformed")
    func oneByteID15() throws {
        // id 1 (1 byte), then 0xF0 (id 15), then bytes that would be an element running past the end.
        let bytes = [UInt8](hex: Self.fixed + "bede0002" + "10aa" + "f0" + "1f" + "00000000")
        let elements = try Self.elements(bytes)
        #expect(elements.map(\.id) == [1])
        let header = try RTPHeader(parsing: bytes.span)
        #expect(header.extensionElement(id: 1, in: bytes.span) != nil)
        #expect(header.payloadLength == 0)
    }

    @Test("one-byte form: an element running past the block is rejected")
    func oneByteOverrun() {
        // id 1 with 4 value bytes, block of 4 bytes.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "bede0001" + "13aabbcc" + "ddeeff"))
        // Last byte of the block is an element header with no room for its value.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "bede0001" + "000000" + "20" + "aa"))
        // A non-zero byte with id 0 is neither padding nor an element.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "bede0001" + "05000000"))
    }

    @Test("two-byte form: ids up to 255, values 0-255 bytes, padding between elements")
    func twoByte() throws {
        let long = [UInt8](repeating: 0x5A, count: 255)
        let bytes =
            [UInt8](hex: Self.fixed + "10000042")  // 66 words = 264 bytes
            + [UInt8](hex: "ff00")  // id 255, empty
            + [UInt8](hex: "00")  // padding
            + [UInt8](hex: "0fff") + long  // id 15, 255 bytes
            + [UInt8](hex: "0101" + "77")  // id 1, 1 byte
            + [UInt8](repeating: 0, count: 264 - 2 - 1 - 257 - 3)
        let elements = try Self.elements(bytes)
        #expect(elements.map(\.id) == [255, 15, 1])
        #expect(elements[0].value.isEmpty)
        #expect(elements[1].value == long)
        #expect(elements[2].value == [0x77])
    }

    @Test("two-byte form: an element or its length byte running past the block is rejected")
    func twoByteOverrun() {
        // Length 4 with 2 bytes left.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "10000001" + "0104aabb"))
        // Element id as the last byte of the block: no length byte.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "10000001" + "000000" + "07" + "0105"))
        // Length 255 in an 8-byte block.
        expectRTPError(.invalidHeaderExtension, [UInt8](hex: Self.fixed + "10000002" + "01ff" + "000000000000"))
    }

    @Test("the iterator never reads past a mismatched (shorter) span")
    func mismatchedSpan() throws {
        let bytes = RTPTestPackets.chromiumOpus
        let header = try RTPHeader(parsing: bytes.span)
        let short = Array(bytes.prefix(20))  // cuts the abs-send-time element
        var iterator = header.extensionElements
        var ids: [UInt8] = []
        while let element = iterator.next(in: short.span) {
            ids.append(element.id)
        }
        #expect(ids == [1])
    }

    @Test("audio level (RFC 6464): V bit and 7-bit level")
    func audioLevel() throws {
        #expect(RTPAudioLevel(byte: 0x00) == RTPAudioLevel(level: 0, voiceActivity: false))
        #expect(RTPAudioLevel(byte: 0xFF) == RTPAudioLevel(level: 127, voiceActivity: true))
        #expect(RTPAudioLevel(byte: 0x7F).level == 127)
        #expect(RTPAudioLevel(byte: 0x7F).voiceActivity == false)
        #expect(RTPAudioLevel(level: 30, voiceActivity: true).byte == 0x9E)
        #expect(RTPAudioLevel(level: 200, voiceActivity: false).level == 127)
        for byte in UInt8.min...UInt8.max {
            #expect(RTPAudioLevel(byte: byte).byte == byte)
        }
        #expect(throws: WireError(.invalidLength, "")) { try RTPAudioLevel(parsing: [UInt8]().span) }
        #expect(throws: WireError(.invalidLength, "")) { try RTPAudioLevel(parsing: [UInt8](hex: "8000").span) }
    }

    @Test("abs-send-time: 6.18 fixed-point seconds wrapping at 64 s")
    func absSendTime() throws {
        #expect(RTPAbsSendTime(nanoseconds: 0).rawValue == 0)
        #expect(RTPAbsSendTime(nanoseconds: 1_500_000_000).rawValue == 0x06_0000)
        #expect(RTPAbsSendTime(nanoseconds: 64_250_000_000).rawValue == 0x01_0000)
        #expect(RTPAbsSendTime(nanoseconds: 63_999_999_999).rawValue == 0)  // rounds up to 64 s = 0
        #expect(RTPAbsSendTime(nanoseconds: UInt64.max).rawValue <= 0xFF_FFFF)
        #expect(RTPAbsSendTime(rawValue: 0xFF12_3456).rawValue == 0x12_3456)
        #expect(RTPAbsSendTime(rawValue: 0x04_0000).nanoseconds == 1_000_000_000)
        #expect(RTPAbsSendTime(rawValue: 0xFF_FFFF).nanoseconds == 63_999_996_185)
        for nanoseconds: UInt64 in [1, 3_814, 12_345_678_901, 40_000_000_000] {
            let back = RTPAbsSendTime(nanoseconds: nanoseconds).nanoseconds
            #expect(back.distance(to: nanoseconds).magnitude <= 1_908, "\(nanoseconds)")
        }
        let parsed = try RTPAbsSendTime(parsing: [UInt8](hex: "6b7c9d").span)
        #expect(parsed.rawValue == 0x6B_7C9D)
        var written: [UInt8] = []
        parsed.append(to: &written)
        #expect(written == [0x6B, 0x7C, 0x9D])
        #expect(throws: WireError(.invalidLength, "")) { try RTPAbsSendTime(parsing: [UInt8](hex: "6b7c").span) }
    }

    @Test("sdes:mid: 1-255 printable ASCII bytes")
    func mid() throws {
        #expect(try RTPMid.string(parsing: Array("0".utf8).span) == "0")
        #expect(try RTPMid.string(parsing: Array("audio-main".utf8).span) == "audio-main")
        #expect(throws: WireError(.invalidLength, "")) { try RTPMid.string(parsing: [UInt8]().span) }
        #expect(throws: WireError(.invalidValue, "")) { try RTPMid.string(parsing: Array("a b".utf8).span) }
        #expect(throws: WireError(.invalidValue, "")) { try RTPMid.string(parsing: [0x61, 0x00].span) }
        #expect(throws: WireError(.invalidValue, "")) { try RTPMid.string(parsing: [0xC3, 0xA9].span) }
        #expect(RTPMid.isValid("1"))
        #expect(!RTPMid.isValid(""))
        #expect(!RTPMid.isValid("é"))
        #expect(!RTPMid.isValid(String(repeating: "x", count: 256)))
        let video = Array("video".utf8)
        let exact = RTPMid.value(video.span, equals: "video")
        let prefix = RTPMid.value(video.span, equals: "vide")
        let longer = RTPMid.value(video.span, equals: "videos")
        #expect(exact)
        #expect(!prefix)
        #expect(!longer)

        // In a packet, through the two-byte form: an empty value is not a MID.
        let bytes = [UInt8](hex: Self.fixed + "10000001" + "0400" + "0000")
        let header = try RTPHeader(parsing: bytes.span)
        #expect(throws: WireError(.invalidLength, "")) { try header.mid(id: 4, in: bytes.span) }
    }
}
