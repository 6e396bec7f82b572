import RTCWire
import Testing

@Suite("RTP packet building and serialising")
struct RTPPacketTests {
    @Test("serialise of a parsed packet gives back the same bytes")
    func bytesRoundTrip() throws {
        for (name, bytes) in RTPTestPackets.all {
            let packet = try RTPPacket(parsing: bytes.span)
            #expect(try packet.serialized() == bytes, "\(name)")
            #expect(try packet.serializedLength() == bytes.count, "\(name)")
        }
    }

    @Test("a packet rebuilt from its fields serialises to the same bytes")
    func rebuildFromFields() throws {
        let bytes = RTPTestPackets.chromiumOpus
        let header = try RTPHeader(parsing: bytes.span)
        var packet = RTPPacket(
            payloadType: header.payloadType,
            sequenceNumber: header.sequenceNumber,
            timestamp: header.timestamp,
            ssrc: header.ssrc,
            marker: header.marker,
            payload: Array(bytes[header.payloadRange])
        )
        try packet.setAudioLevel(try #require(try header.audioLevel(id: 1, in: bytes.span)), id: 1)
        try packet.setAbsSendTime(try #require(try header.absSendTime(id: 2, in: bytes.span)), id: 2)
        try packet.setTransportSequenceNumber(
            try #require(try header.transportSequenceNumber(id: 3, in: bytes.span)),
            id: 3
        )
        #expect(try packet.serialized() == bytes)
    }

    @Test("parse of serialise gives the same fields")
    func fieldsRoundTrip() throws {
        var packet = RTPPacket(
            payloadType: 111,
            sequenceNumber: 65535,
            timestamp: UInt32.max,
            ssrc: 0xDEAD_BEEF,
            marker: true,
            csrcs: [1, 2, 3],
            payload: [0x78, 0x01, 0x02],
            paddingLength: 7
        )
        try packet.setAudioLevel(RTPAudioLevel(level: 12, voiceActivity: true), id: 1)
        try packet.setMid("audio0", id: 4)
        try packet.setTransportSequenceNumber(65535, id: 3)
        let bytes = try packet.serialized()

        let header = try RTPHeader(parsing: bytes.span)
        #expect(header.payloadType == 111)
        #expect(header.sequenceNumber == 65535)
        #expect(header.timestamp == UInt32.max)
        #expect(header.ssrc == 0xDEAD_BEEF)
        #expect(header.marker)
        #expect(header.csrcCount == 3)
        #expect((0..<3).map { header.csrc(at: $0, in: bytes.span) } == [1, 2, 3])
        #expect(header.extensionBlock?.form == .oneByte)
        #expect(try header.audioLevel(id: 1, in: bytes.span) == RTPAudioLevel(level: 12, voiceActivity: true))
        #expect(try header.mid(id: 4, in: bytes.span) == "audio0")
        #expect(try header.transportSequenceNumber(id: 3, in: bytes.span) == 65535)
        #expect(Array(bytes[header.payloadRange]) == [0x78, 0x01, 0x02])
        #expect(header.paddingLength == 7)
        #expect(Array(bytes.suffix(7)) == [0, 0, 0, 0, 0, 0, 7])

        // The owned form reads back equal, except that the parsed block remembers its form.
        var reparsed = try RTPPacket(parsing: bytes.span)
        #expect(reparsed.extensionEncoding == .oneByte)
        reparsed.extensionEncoding = .automatic
        #expect(reparsed == packet)
        #expect(try reparsed.audioLevel(id: 1)?.level == 12)
        #expect(try reparsed.mid(id: 4) == "audio0")
    }

    @Test("the one-byte form is chosen only when every id is 1-14 and every value 1-16 bytes")
    func automaticForm() throws {
        func profile(_ extensions: [(UInt8, Int)]) throws -> UInt16 {
            var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3)
            for (id, length) in extensions {
                try packet.setExtension(id: id, value: [UInt8](repeating: 0xAB, count: length))
            }
            let bytes = try packet.serialized()
            let header = try RTPHeader(parsing: bytes.span)
            // Every element reads back with its value whichever form was chosen.
            for (id, length) in extensions {
                let element = try #require(header.element(id, in: bytes))
                #expect(element.valueLength == length)
            }
            return try #require(header.extensionBlock).profile
        }
        #expect(try profile([(1, 1), (14, 16)]) == 0xBEDE)
        #expect(try profile([(1, 1), (15, 1)]) == 0x1000)  // id 15 is reserved in the one-byte form
        #expect(try profile([(1, 1), (200, 4)]) == 0x1000)
        #expect(try profile([(1, 17)]) == 0x1000)
        #expect(try profile([(1, 0)]) == 0x1000)
        #expect(try profile([(2, 255)]) == 0x1000)
        // No elements, automatic: no block, X bit clear.
        let plain = try RTPPacket(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0).serialized()
        #expect(plain == RTPTestPackets.bare)
    }

    @Test("extension block is padded with zeros to a word boundary")
    func blockPadding() throws {
        var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [0xEE])
        try packet.setExtension(id: 1, value: [0xAA])
        #expect(
            try packet.serialized()
                == [UInt8](hex: "90600001" + "00000002" + "00000003" + "bede0001" + "10aa0000" + "ee")
        )
        packet.extensionEncoding = .twoByte(appBits: 5)
        #expect(
            try packet.serialized()
                == [UInt8](hex: "90600001" + "00000002" + "00000003" + "10050001" + "0101aa00" + "ee")
        )
        packet.extensions = []
        #expect(try packet.serialized() == [UInt8](hex: "90600001" + "00000002" + "00000003" + "10050000" + "ee"))
    }

    @Test("set replaces by id and keeps order; remove drops the id")
    func setReplaceRemove() throws {
        var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3)
        try packet.setExtension(id: 3, value: [1])
        try packet.setExtension(id: 1, value: [2])
        try packet.setExtension(id: 3, value: [9, 9])
        #expect(packet.extensions.map(\.id) == [3, 1])
        #expect(packet.extensionValue(id: 3) == [9, 9])
        packet.removeExtension(id: 3)
        #expect(packet.extensions.map(\.id) == [1])
        #expect(packet.extensionValue(id: 3) == nil)
        #expect(throws: WireError(.invalidValue, "")) { try packet.setExtension(id: 0, value: [1]) }
        #expect(throws: WireError(.invalidLength, "")) {
            try packet.setExtension(id: 2, value: [UInt8](repeating: 0, count: 256))
        }
        #expect(throws: WireError(.invalidValue, "")) { try packet.setMid("a b", id: 4) }
        #expect(packet.extensions.map(\.id) == [1])
    }

    @Test("invalid packets are refused and leave the buffer untouched")
    func invalidSerialise() {
        let base = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [1, 2, 3])
        var cases: [(RTPPacket, WireError.Code)] = []

        var badType = base
        badType.payloadType = 128
        cases.append((badType, .invalidValue))

        var manyCSRCs = base
        manyCSRCs.csrcs = Array(0..<16)
        cases.append((manyCSRCs, .tooMany))

        var forcedOneByte = base
        forcedOneByte.extensionEncoding = .oneByte
        forcedOneByte.extensions = [.init(id: 20, value: [1])]
        cases.append((forcedOneByte, .invalidHeaderExtension))

        var emptyOneByte = base
        emptyOneByte.extensionEncoding = .oneByte
        emptyOneByte.extensions = [.init(id: 2, value: [])]
        cases.append((emptyOneByte, .invalidHeaderExtension))

        var idZero = base
        idZero.extensions = [.init(id: 0, value: [1])]
        cases.append((idZero, .invalidHeaderExtension))

        var tooLong = base
        tooLong.extensions = [.init(id: 1, value: [UInt8](repeating: 0, count: 256))]
        cases.append((tooLong, .invalidHeaderExtension))

        var badAppBits = base
        badAppBits.extensionEncoding = .twoByte(appBits: 16)
        cases.append((badAppBits, .invalidValue))

        var opaqueAndElements = base
        opaqueAndElements.opaqueExtension = .init(profile: 0x1234, data: [0, 0, 0, 0])
        opaqueAndElements.extensions = [.init(id: 1, value: [1])]
        cases.append((opaqueAndElements, .invalidHeaderExtension))

        var opaqueUnaligned = base
        opaqueUnaligned.opaqueExtension = .init(profile: 0x1234, data: [0, 0, 0])
        cases.append((opaqueUnaligned, .invalidLength))

        for (packet, code) in cases {
            var buffer: [UInt8] = [0x42]
            do {
                try packet.serialize(into: &buffer)
                Issue.record("serialised \(packet)")
            } catch {
                #expect(error.code == code, "\(error)")
            }
            #expect(buffer == [0x42])
        }
    }

    @Test("serialising appends to a reused buffer")
    func appendsToBuffer() throws {
        let packet = try RTPPacket(parsing: RTPTestPackets.twoByteWithCSRCs)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        try packet.serialize(into: &buffer)
        try packet.serialize(into: &buffer)
        #expect(buffer == RTPTestPackets.twoByteWithCSRCs + RTPTestPackets.twoByteWithCSRCs)
        buffer.removeAll(keepingCapacity: true)
        try packet.serialize(into: &buffer)
        #expect(buffer == RTPTestPackets.twoByteWithCSRCs)
    }

    @Test("parsed packets expose their parts")
    func parsedParts() throws {
        let twoByte = try RTPPacket(parsing: RTPTestPackets.twoByteWithCSRCs)
        #expect(twoByte.csrcs == [0x1111_1111, 0x2222_2222])
        #expect(twoByte.extensionEncoding == .twoByte(appBits: 3))
        #expect(twoByte.extensions == [.init(id: 20, value: [0xAA, 0xBB, 0xCC]), .init(id: 5, value: [])])
        #expect(twoByte.payload == [1, 2, 3, 4, 5])

        let opaque = try RTPPacket(parsing: RTPTestPackets.opaqueExtension)
        #expect(opaque.opaqueExtension == .init(profile: 0xABCD, data: [1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(opaque.extensions.isEmpty)

        let padded = try RTPPacket(parsing: RTPTestPackets.paddedWithCSRC)
        #expect(padded.paddingLength == 4)
        #expect(try padded.mid(id: 4) == "a")
        #expect(padded.payload == [UInt8](repeating: 0xFF, count: 10))

        let chromium = try RTPPacket(parsing: RTPTestPackets.chromiumOpus)
        #expect(try chromium.absSendTime(id: 2)?.rawValue == 0x6B_7C9D)
        #expect(try chromium.transportSequenceNumber(id: 3) == 300)
        #expect(try chromium.audioLevel(id: 1)?.level == 37)
        #expect(throws: WireError(.invalidLength, "")) { try chromium.transportSequenceNumber(id: 2) }
    }
}
