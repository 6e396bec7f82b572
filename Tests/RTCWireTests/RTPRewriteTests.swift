import RTCWire
import Testing

/// Runs `body` on a mutable span over `bytes`.
func rewriting(_ bytes: inout [UInt8], _ body: (inout MutableSpan<UInt8>) throws -> Void) rethrows {
    var span = bytes.mutableSpan
    try body(&span)
}

/// The indices where two equal-length byte arrays differ.
func differingIndices(_ a: [UInt8], _ b: [UInt8]) -> [Int] {
    precondition(a.count == b.count)
    return a.indices.filter { a[$0] != b[$0] }
}

@Suite("RTP in-place rewriting")
struct RTPRewriteTests {
    @Test("SSRC, sequence number, timestamp change exactly their bytes")
    func fixedFields() throws {
        let original = RTPTestPackets.twoByteWithCSRCs
        var bytes = original
        var header = try RTPHeader(parsing: bytes.span)
        rewriting(&bytes) { span in
            header.setSSRC(0xA1B2_C3D4, in: &span)
        }
        #expect(differingIndices(original, bytes) == [8, 9, 10, 11])
        #expect(Array(bytes[8..<12]) == [0xA1, 0xB2, 0xC3, 0xD4])
        #expect(header.ssrc == 0xA1B2_C3D4)

        rewriting(&bytes) { span in
            header.setSequenceNumber(0, in: &span)  // 65535 -> 0
            header.setTimestamp(0x0000_0960, in: &span)
        }
        #expect(differingIndices(original, bytes) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(Array(bytes[2..<8]) == [0, 0, 0, 0, 0x09, 0x60])

        // The rewritten value and a fresh parse agree, and nothing else moved.
        let reparsed = try RTPHeader(parsing: bytes.span)
        #expect(reparsed == header)
        #expect(reparsed.sequenceNumber == 0)
        #expect(reparsed.timestamp == 0x960)
        #expect(reparsed.csrc(at: 1, in: bytes.span) == 0x2222_2222)
    }

    @Test("payload type and marker share byte 1 without disturbing each other")
    func payloadTypeAndMarker() throws {
        let original = RTPTestPackets.twoByteWithCSRCs  // M=1 PT=96
        var bytes = original
        var header = try RTPHeader(parsing: bytes.span)
        rewriting(&bytes) { span in
            header.setPayloadType(111, in: &span)
        }
        #expect(differingIndices(original, bytes) == [1])
        #expect(bytes[1] == 0x80 | 111)
        rewriting(&bytes) { span in
            header.setMarker(false, in: &span)
        }
        #expect(bytes[1] == 111)
        rewriting(&bytes) { span in
            header.setPayloadType(0, in: &span)
            header.setMarker(true, in: &span)
        }
        #expect(bytes[1] == 0x80)
        #expect(differingIndices(original, bytes) == [1])
        let reparsed = try RTPHeader(parsing: bytes.span)
        #expect(reparsed.payloadType == 0)
        #expect(reparsed.marker)
        #expect(reparsed == header)
    }

    @Test("one-byte element id rewrite changes only the id nibble")
    func oneByteIDRewrite() throws {
        let original = RTPTestPackets.chromiumOpus
        var bytes = original
        let header = try RTPHeader(parsing: bytes.span)
        var element = try #require(header.element(2, in: bytes))
        try rewriting(&bytes) { span in
            try element.rewriteID(to: 14, in: &span)
        }
        #expect(element.id == 14)
        #expect(differingIndices(original, bytes) == [element.offset])
        #expect(bytes[element.offset] == 0xE2)  // id 14, length nibble 2 (3 bytes) kept
        let reparsed = try RTPHeader(parsing: bytes.span)
        #expect(try reparsed.absSendTime(id: 14, in: bytes.span)?.rawValue == 0x6B_7C9D)
        #expect(reparsed.extensionElement(id: 2, in: bytes.span) == nil)

        // 0 and 15 cannot be written in the one-byte form: error, bytes untouched.
        let before = bytes
        for bad: UInt8 in [0, 15, 16, 255] {
            #expect(throws: WireError(.invalidValue, "")) {
                try rewriting(&bytes) { span in try element.rewriteID(to: bad, in: &span) }
            }
        }
        #expect(bytes == before)
    }

    @Test("two-byte element id rewrite accepts 1-255")
    func twoByteIDRewrite() throws {
        let original = RTPTestPackets.twoByteWithCSRCs
        var bytes = original
        let header = try RTPHeader(parsing: bytes.span)
        var element = try #require(header.element(5, in: bytes))
        try rewriting(&bytes) { span in
            try element.rewriteID(to: 200, in: &span)
        }
        #expect(differingIndices(original, bytes) == [element.offset])
        #expect(bytes[element.offset] == 200)
        #expect(throws: WireError(.invalidValue, "")) {
            try rewriting(&bytes) { span in try element.rewriteID(to: 0, in: &span) }
        }
        let reparsed = try RTPHeader(parsing: bytes.span)
        #expect(reparsed.extensionElement(id: 200, in: bytes.span)?.valueLength == 0)
    }

    @Test("erasing an element zeroes exactly its bytes; the packet keeps its length and other elements")
    func erase() throws {
        for (bytesIn, id, others) in [
            (RTPTestPackets.chromiumOpus, UInt8(2), [UInt8(1), 3]),
            (RTPTestPackets.twoByteWithCSRCs, UInt8(20), [UInt8(5)]),
        ] {
            var bytes = bytesIn
            let header = try RTPHeader(parsing: bytes.span)
            let element = try #require(header.element(id, in: bytes))
            rewriting(&bytes) { span in
                element.erase(in: &span)
            }
            #expect(differingIndices(bytesIn, bytes) == Array(element.range).filter { bytesIn[$0] != 0 })
            #expect(bytes[element.range].allSatisfy { $0 == 0 })
            let reparsed = try RTPHeader(parsing: bytes.span)
            #expect(reparsed.packetLength == bytesIn.count)
            #expect(reparsed.payloadRange == header.payloadRange)
            #expect(reparsed.extensionElement(id: id, in: bytes.span) == nil)
            var ids: [UInt8] = []
            var iterator = reparsed.extensionElements
            while let next = iterator.next(in: bytes.span) {
                ids.append(next.id)
            }
            #expect(ids == others)
        }
    }

    @Test("translating ids maps, erases, and refuses ids the form cannot carry")
    func translate() throws {
        let original = RTPTestPackets.chromiumOpus
        var bytes = original
        let header = try RTPHeader(parsing: bytes.span)
        // Publisher 1 (audio level) -> subscriber 3, 2 (abs-send-time) dropped, 3 (transport-cc) -> 1.
        try rewriting(&bytes) { span in
            try header.translateExtensionIDs(in: &span) { id in
                switch id {
                case 1: return 3
                case 3: return 1
                default: return nil
                }
            }
        }
        #expect(differingIndices(original, bytes) == [16, 18, 19, 20, 21, 22])
        let reparsed = try RTPHeader(parsing: bytes.span)
        #expect(try reparsed.audioLevel(id: 3, in: bytes.span)?.level == 37)
        #expect(try reparsed.transportSequenceNumber(id: 1, in: bytes.span) == 300)
        #expect(reparsed.extensionElement(id: 2, in: bytes.span) == nil)

        // An id above 14 cannot be written in the one-byte form: error, nothing written.
        var untouched = original
        #expect(throws: WireError(.invalidValue, "")) {
            try rewriting(&untouched) { span in
                try header.translateExtensionIDs(in: &span) { $0 == 3 ? 20 : $0 }
            }
        }
        #expect(untouched == original)

        // No extension block: nothing to do.
        var bare = RTPTestPackets.bare
        let bareHeader = try RTPHeader(parsing: bare.span)
        try rewriting(&bare) { span in
            try bareHeader.translateExtensionIDs(in: &span) { _ in nil }
        }
        #expect(bare == RTPTestPackets.bare)
    }

    @Test("typed value rewrites: abs-send-time, transport-cc, audio level")
    func typedValues() throws {
        let original = RTPTestPackets.chromiumOpus
        var bytes = original
        let header = try RTPHeader(parsing: bytes.span)
        let level = try #require(header.element(1, in: bytes))
        let sendTime = try #require(header.element(2, in: bytes))
        let transport = try #require(header.element(3, in: bytes))
        try rewriting(&bytes) { span in
            try level.setAudioLevel(RTPAudioLevel(level: 127, voiceActivity: false), in: &span)
            try sendTime.setAbsSendTime(RTPAbsSendTime(rawValue: 0x01_0203), in: &span)
            try transport.setTransportSequenceNumber(0xFFFF, in: &span)
        }
        #expect(differingIndices(original, bytes) == [17, 19, 20, 21, 23, 24])
        #expect(try header.audioLevel(id: 1, in: bytes.span) == RTPAudioLevel(level: 127, voiceActivity: false))
        #expect(try header.absSendTime(id: 2, in: bytes.span)?.rawValue == 0x01_0203)
        #expect(try header.transportSequenceNumber(id: 3, in: bytes.span) == 0xFFFF)

        // Lengths must match: nothing written otherwise.
        let before = bytes
        #expect(throws: WireError(.invalidLength, "")) {
            try rewriting(&bytes) { span in try level.setAbsSendTime(RTPAbsSendTime(rawValue: 1), in: &span) }
        }
        #expect(throws: WireError(.invalidLength, "")) {
            try rewriting(&bytes) { span in try sendTime.setTransportSequenceNumber(1, in: &span) }
        }
        #expect(throws: WireError(.invalidLength, "")) {
            try rewriting(&bytes) { span in try transport.overwriteValue(with: [1, 2, 3].span, in: &span) }
        }
        #expect(bytes == before)
        try rewriting(&bytes) { span in try transport.overwriteValue(with: [0xAB, 0xCD].span, in: &span) }
        #expect(Array(bytes[23..<25]) == [0xAB, 0xCD])
    }
}
