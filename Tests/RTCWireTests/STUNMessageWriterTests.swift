import RTCWire
import Testing

@Suite("STUN message writer")
struct STUNMessageWriterTests {
    static let transactionID = STUNTransactionID(high: 0xB7E7_A701, low: 0xBC34_D686_FA87_DFAE)

    @Test("A success response matches RFC 5769 2.2 up to MESSAGE-INTEGRITY (zero padding aside)")
    func successResponseMatchesSample() throws {
        let vector = try STUNVectorFile.vector("2.2")
        var expected = vector.bytes
        // The sample pads SOFTWARE ("test vector", 11 bytes) with 0x20; the writer pads with zero.
        #expect(expected[35] == 0x20)
        expected[35] = 0

        var bytes: [UInt8] = []
        let writer = try STUNMessageWriter.bindingSuccessResponse(
            transactionID: Self.transactionID,
            mappedAddress: STUNAddress(ipv4: 192, 0, 2, 1, port: 32853),
            software: "test vector",
            appendingTo: &bytes
        )
        let layout = try writer.reserveMessageIntegrity(in: &bytes)
        #expect(layout.attributeOffset == 48)
        #expect(layout.tagRange == 52..<72)
        #expect(layout.lengthField == 0x34)
        #expect(Array(bytes[layout.tagRange]) == [UInt8](repeating: 0, count: 20))
        // The header already ends at MESSAGE-INTEGRITY, as the HMAC needs.
        #expect(bytes[2] == 0x00 && bytes[3] == 0x34)
        #expect(Array(bytes[0..<2]) == Array(expected[0..<2]))
        #expect(Array(bytes[4..<52]) == Array(expected[4..<52]))
        try writer.appendFingerprint(to: &bytes)
        #expect(bytes.count == expected.count)
        #expect(Array(bytes[0..<4]) == Array(expected[0..<4]))
        #expect(Array(bytes[72..<76]) == [0x80, 0x28, 0x00, 0x04])

        let message = try STUNMessage(parsing: bytes, fingerprint: .require)
        #expect(message.type == .bindingSuccessResponse)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.messageIntegrity == layout)
    }

    @Test("The writer puts the sample's own FINGERPRINT on the sample's bytes")
    func fingerprintMatchesSample() throws {
        for section in ["2.1", "2.2", "2.3"] {
            let vector = try STUNVectorFile.vector(section)
            let sample = vector.bytes
            // Rebuild the sample's header and attributes (padding as published), then let the
            // writer append FINGERPRINT.
            var bytes: [UInt8] = []
            let message = try STUNMessage(parsing: sample)
            let writer = STUNMessageWriter(
                type: message.type,
                transactionID: message.transactionID,
                appendingTo: &bytes
            )
            bytes += sample[20..<(sample.count - 8)]
            try writer.appendFingerprint(to: &bytes)
            #expect(bytes == sample, "\(section)")
        }
    }

    @Test("Success responses round-trip for IPv4 and IPv6, at a non-zero start in a reused array")
    func successRoundTrip() throws {
        let addresses = [
            STUNAddress(ipv4: 203, 0, 113, 7, port: 1),
            STUNAddress(ipv4: 0xFFFF_FFFF, port: 65535),
            STUNAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 0x0000_0000_0000_0001, port: 50000),
            STUNAddress(ipv6High: 0xFE80_0000_0000_0000, low: 0x0211_22FF_FE33_4455, port: 9),
        ]
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        for (index, address) in addresses.enumerated() {
            buffer.removeAll(keepingCapacity: true)
            let prefix = [UInt8](repeating: 0xEE, count: index * 4)
            buffer += prefix
            let id = STUNTransactionID.random()
            let writer = try STUNMessageWriter.bindingSuccessResponse(
                transactionID: id,
                mappedAddress: address,
                software: index.isMultiple(of: 2) ? nil : "parley",
                appendingTo: &buffer
            )
            #expect(writer.start == prefix.count)
            let layout = try writer.reserveMessageIntegrity(in: &buffer)
            try writer.appendFingerprint(to: &buffer)
            #expect(Array(buffer[0..<prefix.count]) == prefix)
            let bytes = Array(buffer[writer.messageRange(in: buffer)])
            let message = try STUNMessage(parsing: bytes, fingerprint: .require)
            #expect(message.xorMappedAddress == address)
            #expect(message.transactionID == id)
            #expect(message.software(in: bytes.span) == (index.isMultiple(of: 2) ? nil : "parley"))
            #expect(message.messageIntegrity?.attributeOffset == layout.attributeOffset - prefix.count)
            #expect(message.messageIntegrity?.lengthField == layout.lengthField)
        }
    }

    @Test("Error responses carry class, number and reason")
    func errorResponse() throws {
        for (code, reason) in [
            (STUNErrorCode.badRequest, "Bad Request"), (.unauthenticated, "Unauthenticated"),
            (.roleConflict, "Role Conflict"),
        ] {
            var bytes: [UInt8] = []
            let writer = try STUNMessageWriter.bindingErrorResponse(
                transactionID: Self.transactionID,
                errorCode: code,
                appendingTo: &bytes
            )
            try writer.appendFingerprint(to: &bytes)
            let message = try STUNMessage(parsing: bytes, fingerprint: .require)
            #expect(message.type == .bindingErrorResponse)
            #expect(message.errorCode == code)
            #expect(message.errorReason(in: bytes.span) == reason)
            #expect(message.messageIntegrity == nil)
        }
        var bytes: [UInt8] = []
        _ = try STUNMessageWriter.bindingErrorResponse(
            transactionID: Self.transactionID,
            errorCode: STUNErrorCode(rawValue: 699)!,
            reason: "x",
            software: "s",
            appendingTo: &bytes
        )
        let message = try STUNMessage(parsing: bytes)
        #expect(message.errorCode?.rawValue == 699)
        #expect(message.errorReason(in: bytes.span) == "x")
        #expect(message.software(in: bytes.span) == "s")
        #expect(STUNErrorCode(rawValue: 299) == nil)
        #expect(STUNErrorCode(rawValue: 700) == nil)
    }

    @Test("A Binding request as the load generator builds it")
    func bindingRequest() throws {
        for (role, useCandidate) in [
            (STUNICERole.controlling(tieBreaker: 0x0102_0304_0506_0708), true),
            (.controlled(tieBreaker: .max), false),
        ] {
            var bytes: [UInt8] = []
            let id = STUNTransactionID.random()
            let writer = try STUNMessageWriter.bindingRequest(
                transactionID: id,
                username: "remoteUfrag:localUfrag",
                priority: 0x6E00_01FF,
                role: role,
                useCandidate: useCandidate,
                appendingTo: &bytes
            )
            _ = try writer.reserveMessageIntegrity(in: &bytes)
            try writer.appendFingerprint(to: &bytes)
            let message = try STUNMessage(parsing: bytes, fingerprint: .require)
            #expect(message.type == .bindingRequest)
            #expect(message.transactionID == id)
            #expect(message.username(in: bytes.span) == "remoteUfrag:localUfrag")
            let fragmentsFound = message.usernameFragments(in: bytes.span)
            let fragments = try #require(fragmentsFound)
            #expect(Array(bytes[fragments.local]) == Array("remoteUfrag".utf8))
            #expect(Array(bytes[fragments.remote]) == Array("localUfrag".utf8))
            #expect(message.priority == 0x6E00_01FF)
            #expect(message.iceRole == role)
            #expect(message.useCandidate == useCandidate)
            #expect(message.attributeCount == (useCandidate ? 6 : 5))
            // USERNAME (22 bytes) is padded with two zero bytes.
            #expect(bytes[20..<24] == [0x00, 0x06, 0x00, 22])
            #expect(bytes[46..<48] == [0, 0])
        }
    }

    @Test("Limits: text over 763 bytes, a message over 64 KiB, a cleared array")
    func limits() throws {
        var bytes: [UInt8] = []
        let writer = STUNMessageWriter(type: .bindingRequest, transactionID: Self.transactionID, appendingTo: &bytes)
        #expect(throws: WireError(.tooLarge, "")) {
            try writer.appendUsername(String(repeating: "a", count: 764), to: &bytes)
        }
        #expect(throws: WireError(.tooLarge, "")) {
            try writer.appendErrorCode(.badRequest, reason: String(repeating: "a", count: 764), to: &bytes)
        }
        try writer.appendUsername(String(repeating: "a", count: 763), to: &bytes)
        #expect(bytes.count == 20 + 4 + 764)

        let chunk = [UInt8](repeating: 0x42, count: 60_000)
        try writer.appendAttribute(STUNAttributeType(rawValue: 0x8055), value: chunk.span, to: &bytes)
        let before = bytes
        #expect(throws: WireError(.tooLarge, "")) {
            try writer.appendAttribute(STUNAttributeType(rawValue: 0x8055), value: chunk.span, to: &bytes)
        }
        #expect(bytes == before)
        #expect(throws: WireError(.invalidLength, "")) {
            try writer.appendAttribute(.priority, valueLength: 4, to: &bytes) { $0 += [1, 2] }
        }
        #expect(bytes == before)
        let message = try STUNMessage(parsing: bytes)
        #expect(message.attributeCount == 2)

        bytes.removeAll()
        #expect(throws: WireError(.invalidLength, "")) {
            try writer.appendPriority(1, to: &bytes)
        }
        #expect(throws: WireError(.invalidLength, "")) {
            try writer.appendFingerprint(to: &bytes)
        }
        #expect(bytes.isEmpty)
    }

    @Test("Transaction IDs and addresses: bytes, text, random")
    func valueTypes() {
        let id = STUNTransactionID(bytes: [UInt8](hex: "000000010000000000000002"))
        #expect(id == STUNTransactionID(high: 1, low: 2))
        #expect(id?.description == "000000010000000000000002")
        #expect(STUNTransactionID(bytes: [1, 2, 3]) == nil)
        #expect(STUNTransactionID.random() != STUNTransactionID.random())

        #expect(STUNAddress(addressBytes: [127, 0, 0, 1], port: 80)?.description == "127.0.0.1:80")
        #expect(STUNAddress(addressBytes: [1, 2, 3], port: 80) == nil)
        let cases: [(String, String)] = [
            ("00000000000000000000000000000001", "::1"),
            ("00000000000000000000000000000000", "::"),
            ("20010db8000000000000000000000001", "2001:db8::1"),
            ("20010db8000000010000000000000001", "2001:db8:0:1::1"),
            ("20010db8000000000001000000000001", "2001:db8::1:0:0:1"),
            ("20010db8000100000000000000000000", "2001:db8:1::"),
            ("20010db8000100010001000100010001", "2001:db8:1:1:1:1:1:1"),
            ("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"),
        ]
        for (hex, text) in cases {
            let address = STUNAddress(addressBytes: [UInt8](hex: hex), port: 1)
            #expect(address?.addressText == text)
            #expect(address?.addressBytes == [UInt8](hex: hex))
        }
    }
}
