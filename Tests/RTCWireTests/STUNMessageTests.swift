import RTCWire
import Testing

/// RFC 5769 as stored in Tests/Vectors/rfc5769.json (only the fields these tests read).
struct STUNVectorFile: Decodable {
    struct Vector: Decodable {
        struct Parameters: Decodable {
            let username: String?
            let password: String?
            let software_name: String?
            let mapped_address: String?
            let mapped_port: UInt16?
            let nonce: String?
            let realm: String?
        }
        struct Attribute: Decodable {
            let type: String
            let length: Int
            let value: String
            let padding: String
            let name: String
        }
        struct Expected: Decodable {
            let message_class: String
            let method: String
            let priority: UInt32?
            let ice_controlled_tiebreaker: String?
            let message_integrity: String
            let fingerprint: String?
        }
        struct Header: Decodable {
            let transaction_id: String
        }
        let id: String
        let section: String
        let parameters: Parameters
        let message: String
        let header: Header
        let attributes: [Attribute]
        let expected: Expected

        var bytes: [UInt8] { [UInt8](hex: self.message) }
    }
    let vectors: [Vector]

    static func load() throws -> [Vector] {
        try VectorFile.load("rfc5769.json", as: STUNVectorFile.self).vectors
    }

    static func vector(_ section: String) throws -> Vector {
        try #require(try self.load().first { $0.section == section })
    }
}

/// Expects `parse` to throw a WireError with `code`.
func expectSTUNRejection(
    _ bytes: [UInt8],
    _ code: WireError.Code? = nil,
    fingerprint: STUNMessage.FingerprintPolicy = .verifyIfPresent,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let message = try STUNMessage(parsing: bytes, fingerprint: fingerprint)
        Issue.record(
            "parsed instead of rejecting: \(message.type), \(bytes.count) bytes",
            sourceLocation: sourceLocation
        )
    } catch {
        if let code {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Rewrites the header length to fit `bytes` (for hand-made malformed messages).
func fixSTUNLength(_ bytes: inout [UInt8]) {
    let length = bytes.count - 20
    bytes[2] = UInt8(length >> 8)
    bytes[3] = UInt8(length & 0xFF)
}

@Suite("STUN message parsing (RFC 8489, RFC 5769 vectors)")
struct STUNMessageTests {
    @Test("All four RFC 5769 samples parse, with their header and attribute layout")
    func parsesSamples() throws {
        let vectors = try STUNVectorFile.load()
        #expect(vectors.count == 4)
        for vector in vectors {
            let bytes = vector.bytes
            let message = try STUNMessage(parsing: bytes)
            #expect(message.method == .binding)
            let expectedClass: STUNMessageClass =
                vector.expected.message_class == "request" ? .request : .successResponse
            #expect(message.messageClass == expectedClass)
            #expect(message.transactionID.description == vector.header.transaction_id)
            #expect(message.transactionID.bytes == [UInt8](hex: vector.header.transaction_id))
            #expect(message.byteCount == bytes.count)
            #expect(message.attributeCount == vector.attributes.count)
            #expect(message.ignoredAfterIntegrityCount == 0)
            #expect(message.firstUnknownRequiredAttribute == nil)

            // The lazy walk sees exactly the attributes the vector lists, values and all.
            var seen: [(String, [UInt8])] = []
            message.forEachAttribute(in: bytes.span) { attribute in
                seen.append((String(format4: attribute.type.rawValue), Array(bytes[attribute.valueRange])))
            }
            #expect(seen.map(\.0) == vector.attributes.map(\.type))
            #expect(seen.map(\.1) == vector.attributes.map { [UInt8](hex: $0.value) })
            #expect(message.forEachAttributeNames(bytes) == vector.attributes.map(\.name))

            let integrity = try #require(message.messageIntegrity)
            #expect(Array(bytes[integrity.tagRange]) == [UInt8](hex: vector.expected.message_integrity))
            // The HMAC length covers everything up to and including MESSAGE-INTEGRITY.
            #expect(Int(integrity.lengthField) == integrity.attributeOffset + 24 - 20)
            #expect(integrity.typeRange == 0..<2)
            #expect(integrity.coveredRange == 4..<integrity.attributeOffset)
            if let fingerprint = vector.expected.fingerprint {
                #expect(message.fingerprint == UInt32(fingerprint, radix: 16))
                #expect(message.fingerprintOffset == bytes.count - 8)
            } else {
                #expect(message.fingerprint == nil)
            }
        }
    }

    @Test("2.1 request: SOFTWARE, PRIORITY, ICE-CONTROLLED and USERNAME (padded with spaces)")
    func sampleRequest() throws {
        let vector = try STUNVectorFile.vector("2.1")
        let bytes = vector.bytes
        let message = try STUNMessage(parsing: bytes, fingerprint: .require)
        #expect(message.type == .bindingRequest)
        #expect(message.priority == vector.expected.priority)
        #expect(message.priority == 1_845_494_271)
        #expect(message.iceControlled == 0x932f_f9b1_5126_3b36)
        #expect(message.iceControlling == nil)
        #expect(message.iceRole == .controlled(tieBreaker: 0x932f_f9b1_5126_3b36))
        #expect(message.useCandidate == false)
        #expect(message.username(in: bytes.span) == vector.parameters.username)
        #expect(message.software(in: bytes.span) == vector.parameters.software_name)
        let fragmentsFound = message.usernameFragments(in: bytes.span)
        let fragments = try #require(fragmentsFound)
        #expect(Array(bytes[fragments.local]) == Array("evtj".utf8))
        #expect(Array(bytes[fragments.remote]) == Array("h6vY".utf8))
        #expect(message.xorMappedAddress == nil)
        #expect(message.errorCode == nil)
    }

    @Test("2.2 and 2.3 responses: XOR-MAPPED-ADDRESS decodes to the stated IPv4 and IPv6 addresses")
    func sampleResponses() throws {
        let ipv4 = try STUNVectorFile.vector("2.2")
        let message4 = try STUNMessage(parsing: ipv4.bytes, fingerprint: .require)
        let address4 = try #require(message4.xorMappedAddress)
        #expect(address4 == STUNAddress(ipv4: 192, 0, 2, 1, port: 32853))
        #expect(address4.addressText == ipv4.parameters.mapped_address)
        #expect(address4.port == ipv4.parameters.mapped_port)
        #expect(address4.description == "192.0.2.1:32853")
        #expect(message4.software(in: ipv4.bytes.span) == "test vector")

        let ipv6 = try STUNVectorFile.vector("2.3")
        let message6 = try STUNMessage(parsing: ipv6.bytes, fingerprint: .require)
        let address6 = try #require(message6.xorMappedAddress)
        #expect(address6.family == .ipv6)
        #expect(address6.addressBytes == [UInt8](hex: "20010db8123456780011223344556677"))
        #expect(address6.addressText == ipv6.parameters.mapped_address)
        #expect(address6.port == 32853)
        #expect(address6.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
    }

    @Test("2.4 long-term request: UTF-8 USERNAME, NONCE and REALM, no FINGERPRINT")
    func sampleLongTerm() throws {
        let vector = try STUNVectorFile.vector("2.4")
        let bytes = vector.bytes
        let message = try STUNMessage(parsing: bytes)
        #expect(message.username(in: bytes.span) == "マトリックス")
        let nonceFound = message.attribute(.nonce, in: bytes.span)
        let nonce = try #require(nonceFound)
        #expect(String(decoding: bytes[nonce.valueRange], as: UTF8.self) == vector.parameters.nonce)
        let realmFound = message.attribute(.realm, in: bytes.span)
        let realm = try #require(realmFound)
        #expect(String(decoding: bytes[realm.valueRange], as: UTF8.self) == vector.parameters.realm)
        #expect(message.fingerprint == nil)
        expectSTUNRejection(bytes, .missingField, fingerprint: .require)
    }

    @Test("FINGERPRINT verifies in 2.1-2.3 and a wrong one is rejected")
    func fingerprint() throws {
        for section in ["2.1", "2.2", "2.3"] {
            let vector = try STUNVectorFile.vector(section)
            let bytes = vector.bytes
            let expected = try #require(vector.expected.fingerprint.flatMap { UInt32($0, radix: 16) })
            #expect(STUNFingerprint.value(over: bytes.span.extracting(0..<(bytes.count - 8))) == expected)
            _ = try STUNMessage(parsing: bytes, fingerprint: .require)
            for bit in 0..<32 {
                var corrupted = bytes
                corrupted[bytes.count - 4 + bit / 8] ^= 1 << (bit % 8)
                expectSTUNRejection(corrupted, .invalidChecksum)
                // Ignoring the check is possible, and then the message parses.
                #expect((try? STUNMessage(parsing: corrupted, fingerprint: .ignore)) != nil)
            }
        }
    }

    @Test("CRC-32 is ISO-HDLC (the zlib check value)")
    func crc32() {
        #expect(STUNFingerprint.crc32(Array("123456789".utf8).span) == 0xCBF4_3926)
        #expect(STUNFingerprint.crc32([UInt8]().span) == 0)
    }

    @Test("Every truncation of each sample is rejected")
    func truncations() throws {
        for vector in try STUNVectorFile.load() {
            let bytes = vector.bytes
            for count in 0..<bytes.count {
                expectSTUNRejection(Array(bytes[0..<count]))
                expectSTUNRejection(Array(bytes[0..<count]), fingerprint: .ignore)
            }
        }
    }

    @Test("A truncation inside an attribute is rejected even when the header length is fixed up")
    func truncationsWithFixedLength() throws {
        for vector in try STUNVectorFile.load() {
            let bytes = vector.bytes
            var boundaries: Set<Int> = [20]
            var offset = 20
            for attribute in vector.attributes {
                offset += 4 + attribute.length + attribute.padding.count / 2
                boundaries.insert(offset)
            }
            #expect(offset == bytes.count)
            for count in stride(from: 24, to: bytes.count, by: 4) where !boundaries.contains(count) {
                var truncated = Array(bytes[0..<count])
                fixSTUNLength(&truncated)
                expectSTUNRejection(truncated, .truncated, fingerprint: .ignore)
            }
        }
    }

    @Test("Header length other than datagram length - 20, or not a multiple of 4, is rejected")
    func headerLength() throws {
        let bytes = try STUNVectorFile.vector("2.1").bytes
        for delta in [-8, -4, -1, 1, 4, 8] {
            var wrong = bytes
            let length = bytes.count - 20 + delta
            wrong[2] = UInt8(length >> 8)
            wrong[3] = UInt8(length & 0xFF)
            expectSTUNRejection(wrong, .invalidLength, fingerprint: .ignore)
        }
        // Extra bytes after the message, with the header unchanged.
        expectSTUNRejection(bytes + [0, 0, 0, 0], .invalidLength)
        // A header alone is a valid empty message; 19 bytes are not.
        var header = Array(bytes[0..<20])
        fixSTUNLength(&header)
        #expect(try STUNMessage(parsing: header).attributeCount == 0)
        expectSTUNRejection(Array(header[0..<19]), .truncated)
    }

    @Test("First two bits, magic cookie")
    func headerFields() throws {
        let bytes = try STUNVectorFile.vector("2.2").bytes
        for bit in [6, 7] {
            var wrong = bytes
            wrong[0] |= 1 << bit
            expectSTUNRejection(wrong, .invalidValue, fingerprint: .ignore)
        }
        for index in 4..<8 {
            var wrong = bytes
            wrong[index] ^= 0x01
            expectSTUNRejection(wrong, .invalidValue, fingerprint: .ignore)
        }
    }

    @Test("Attribute length 0xFFFF is rejected, even in a message long enough to hold it")
    func attributeLengthFFFF() {
        var short = Self.header()
        short += [0x80, 0x22, 0xFF, 0xFF, 0, 0, 0, 0]
        fixSTUNLength(&short)
        expectSTUNRejection(short, .invalidLength)

        // 20 + 4 + 0xFFFF + 1 padding bytes would exceed the 16-bit length anyway; 0xFFFC of value
        // fits exactly and shows the parser's check, not the size, does the rejecting.
        var long = Self.header()
        long += [0x80, 0x22, 0xFF, 0xFF]
        long += [UInt8](repeating: 0x41, count: 0xFFF8)
        fixSTUNLength(&long)
        #expect(long.count - 20 == 0xFFFC)
        expectSTUNRejection(long, .invalidLength)
    }

    @Test("MESSAGE-INTEGRITY of 19 or 21 bytes is rejected; 20 is accepted")
    func integrityLength() {
        for length in [0, 4, 16, 19, 21, 24, 32] {
            var bytes = Self.header()
            bytes += [0x00, 0x08, 0x00, UInt8(length)]
            bytes += [UInt8](repeating: 0xAB, count: (length + 3) & ~3)
            fixSTUNLength(&bytes)
            expectSTUNRejection(bytes, .invalidLength)
        }
        var bytes = Self.header()
        bytes += [0x00, 0x08, 0x00, 20] + [UInt8](repeating: 0xAB, count: 20)
        fixSTUNLength(&bytes)
        #expect((try? STUNMessage(parsing: bytes))?.messageIntegrity?.tagLength == 20)
    }

    @Test("Fixed-size attributes of the wrong size are rejected")
    func attributeSizes() {
        let cases: [(type: UInt16, length: Int)] = [
            (0x0024, 3), (0x0024, 8),  // PRIORITY
            (0x0025, 4),  // USE-CANDIDATE
            (0x802A, 4), (0x8029, 12),  // ICE-CONTROLLING / CONTROLLED
            (0x8028, 8),  // FINGERPRINT
            (0x001C, 12), (0x001C, 18), (0x001C, 36),  // MESSAGE-INTEGRITY-SHA256
            (0x0009, 3),  // ERROR-CODE
            (0x0020, 0), (0x0020, 12),  // XOR-MAPPED-ADDRESS (the family byte is IPv4 below)
        ]
        for (type, length) in cases {
            var bytes = Self.header()
            bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, UInt8(length)]
            var value = [UInt8](repeating: 0, count: (length + 3) & ~3)
            if value.count > 3 {
                value[1] = 0x01
                value[2] = 0x04
            }
            bytes += value
            fixSTUNLength(&bytes)
            expectSTUNRejection(bytes, fingerprint: .ignore)
        }
    }

    @Test("Text and code limits: USERNAME 763 bytes and UTF-8, ERROR-CODE 300-699, address family")
    func valueLimits() throws {
        func message(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
            var bytes = Self.header()
            bytes += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
            bytes += value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
            fixSTUNLength(&bytes)
            return bytes
        }
        let longest = [UInt8](repeating: 0x61, count: 763)
        let parsed = try STUNMessage(parsing: message(0x0006, longest))
        #expect(parsed.username(in: message(0x0006, longest).span)?.utf8.count == 763)
        expectSTUNRejection(message(0x0006, longest + [0x61]), .tooLarge)
        expectSTUNRejection(message(0x8022, longest + [0x61]), .tooLarge)
        for invalid: [UInt8] in [
            [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE3, 0x83],
        ] {
            expectSTUNRejection(message(0x0006, Array("a:b".utf8) + invalid), .invalidValue)
        }
        #expect((try? STUNMessage(parsing: message(0x0006, Array("ä:€𝄞".utf8)))) != nil)

        for (errorClass, number) in [(2, 0), (7, 0), (4, 100), (4, 255)] {
            expectSTUNRejection(message(0x0009, [0, 0, UInt8(errorClass), UInt8(number)]), .invalidValue)
        }
        let error = try STUNMessage(parsing: message(0x0009, [0, 0, 4, 87] + Array("Role Conflict".utf8)))
        #expect(error.errorCode == .roleConflict)
        expectSTUNRejection(message(0x0020, [0, 3, 0, 0, 0, 0, 0, 0]), .invalidValue)
    }

    @Test("More than the maximum number of attributes is rejected")
    func attributeCount() throws {
        func message(_ count: Int) -> [UInt8] {
            var bytes = Self.header()
            for _ in 0..<count {
                bytes += [0x80, 0x55, 0x00, 0x00]  // An empty comprehension-optional attribute.
            }
            fixSTUNLength(&bytes)
            return bytes
        }
        #expect(try STUNMessage(parsing: message(STUNMessage.maximumAttributeCount)).attributeCount == 32)
        expectSTUNRejection(message(STUNMessage.maximumAttributeCount + 1), .tooMany)
        expectSTUNRejection(message(10_000), .tooMany)
    }

    @Test("Attributes after MESSAGE-INTEGRITY are ignored; only FINGERPRINT may follow it")
    func afterIntegrity() throws {
        let vector = try STUNVectorFile.vector("2.2")
        let original = vector.bytes
        let integrity = try #require(try STUNMessage(parsing: original).messageIntegrity)
        let end = integrity.tagRange.upperBound
        // Insert USERNAME, PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, XOR-MAPPED-ADDRESS and an
        // unknown required attribute between MESSAGE-INTEGRITY and FINGERPRINT.
        var inserted = Array(original[0..<end])
        inserted += [0x00, 0x06, 0x00, 0x05] + Array("evil:".utf8) + [0, 0, 0]
        inserted += [0x00, 0x24, 0x00, 0x04, 0xFF, 0xFF, 0xFF, 0xFF]
        inserted += [0x00, 0x25, 0x00, 0x00]
        inserted += [0x80, 0x2A, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]
        inserted += [0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x7F, 0x00, 0x00, 0x01]
        inserted += [0x7F, 0x01, 0x00, 0x00]
        var bytes = inserted
        appendSTUNFingerprint(&bytes)
        let message = try STUNMessage(parsing: bytes, fingerprint: .require)
        #expect(message.ignoredAfterIntegrityCount == 6)
        #expect(message.attributeCount == 10)
        #expect(message.usernameRange == nil)
        #expect(message.priority == nil)
        #expect(message.useCandidate == false)
        #expect(message.iceControlling == nil)
        #expect(message.firstUnknownRequiredAttribute == nil)
        #expect(message.xorMappedAddress == STUNAddress(ipv4: 192, 0, 2, 1, port: 32853))
        #expect(message.attribute(.username, in: bytes.span) == nil)
        #expect(message.attribute(.fingerprint, in: bytes.span) != nil)
        var followers: [STUNAttributeType] = []
        message.forEachAttribute(in: bytes.span) { attribute in
            if attribute.followsIntegrity { followers.append(attribute.type) }
        }
        #expect(
            followers == [
                .username, .priority, .useCandidate, .iceControlling, .xorMappedAddress, .init(rawValue: 0x7F01),
                .fingerprint,
            ]
        )
        // The integrity layout is unchanged: what follows it is not part of the HMAC input.
        #expect(message.messageIntegrity == integrity)

        // Nothing may follow FINGERPRINT.
        var afterFingerprint = original + [0x80, 0x22, 0x00, 0x00]
        fixSTUNLength(&afterFingerprint)
        expectSTUNRejection(afterFingerprint, .invalidValue, fingerprint: .ignore)
    }

    @Test("Duplicates: the first occurrence wins; unknown comprehension-required types are reported")
    func duplicatesAndUnknown() throws {
        var bytes = Self.header()
        bytes += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1]
        bytes += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 2]
        bytes += [0x80, 0x70, 0x00, 0x01, 9, 0xEE, 0xEE, 0xEE]  // Unknown, optional: not reported.
        bytes += [0x00, 0x15, 0x00, 0x00]  // NONCE: recognised, so not reported.
        bytes += [0x00, 0x77, 0x00, 0x00]  // Unknown, required.
        bytes += [0x00, 0x78, 0x00, 0x00]
        fixSTUNLength(&bytes)
        let message = try STUNMessage(parsing: bytes)
        #expect(message.priority == 1)
        #expect(message.firstUnknownRequiredAttribute == STUNAttributeType(rawValue: 0x0077))
    }

    @Test("Message type: method and class bits interleave as RFC 8489 section 5 says")
    func messageType() {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType.bindingSuccessResponse.rawValue == 0x0101)
        #expect(STUNMessageType.bindingErrorResponse.rawValue == 0x0111)
        // TURN Allocate error response (method 3) is 0x0113; Refresh (4) request is 0x0004.
        #expect(
            STUNMessageType(rawValue: 0x0113)
                == STUNMessageType(method: STUNMethod(rawValue: 3)!, messageClass: .errorResponse)
        )
        for raw in UInt16(0)...0x3FFF {
            #expect(STUNMessageType(rawValue: raw)?.rawValue == raw)
        }
        #expect(STUNMessageType(rawValue: 0x4001) == nil)
        #expect(STUNMessageType(rawValue: 0x8001) == nil)
        #expect(STUNMethod(rawValue: 0x1000) == nil)
    }

    @Test("Accessors given other bytes return nothing")
    func accessorMisuse() throws {
        let bytes = try STUNVectorFile.vector("2.1").bytes
        let message = try STUNMessage(parsing: bytes)
        let other = Array(bytes[0..<40])
        #expect(message.username(in: other.span) == nil)
        #expect(message.usernameFragments(in: other.span) == nil)
        #expect(message.attribute(.username, in: other.span) == nil)
        var visited = 0
        message.forEachAttribute(in: other.span) { _ in visited += 1 }
        #expect(visited == 0)
    }

    @Test("Deterministic mutations of the samples never trap; what parses can be read back")
    func mutations() throws {
        let samples = try STUNVectorFile.load().map(\.bytes)
        // xorshift64*: a fixed seed keeps the test deterministic.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
        var parsed = 0
        for _ in 0..<20000 {
            var bytes = samples[next(samples.count)]
            for _ in 0...next(4) {
                switch next(4) {
                case 0: bytes[next(bytes.count)] = UInt8(next(256))
                case 1: bytes[next(bytes.count)] ^= UInt8(1 << next(8))
                case 2: bytes.removeLast(next(max(1, min(12, bytes.count - 20))))
                default: bytes += (0..<next(12)).map { _ in UInt8(next(256)) }
                }
            }
            if next(2) == 0 { fixSTUNLength(&bytes) }
            guard let message = try? STUNMessage(parsing: bytes, fingerprint: .ignore) else { continue }
            parsed += 1
            var count = 0
            message.forEachAttribute(in: bytes.span) { attribute in
                count += 1
                #expect(attribute.valueRange.upperBound <= bytes.count)
            }
            #expect(count == message.attributeCount)
            _ = message.username(in: bytes.span)
            _ = message.usernameFragments(in: bytes.span)
            _ = message.software(in: bytes.span)
            _ = message.errorReason(in: bytes.span)
            if let layout = message.messageIntegrity {
                #expect(layout.tagRange.upperBound <= bytes.count)
            }
        }
        // Enough mutants get through the header checks to exercise the attribute walk.
        #expect(parsed > 1000)
    }

    /// A 20-byte Binding request header with length 0 (callers fix the length).
    static func header() -> [UInt8] {
        [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0x5A, count: 12)
    }
}

extension STUNMessage {
    fileprivate func forEachAttributeNames(_ bytes: [UInt8]) -> [String] {
        var names: [String] = []
        self.forEachAttribute(in: bytes.span) { names.append($0.type.description) }
        return names
    }
}

extension String {
    /// Four lowercase hex digits.
    fileprivate init(format4 value: UInt16) {
        let digits = String(value, radix: 16)
        self = String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// Appends FINGERPRINT to a hand-made message, computed here from the RFC's definition.
func appendSTUNFingerprint(_ bytes: inout [UInt8]) {
    // The CRC covers the header with the length already counting FINGERPRINT's 8 bytes.
    let length = bytes.count + 8 - 20
    bytes[2] = UInt8(length >> 8)
    bytes[3] = UInt8(length & 0xFF)
    let value = STUNFingerprint.crc32(bytes.span) ^ 0x5354_554E
    bytes += [0x80, 0x28, 0x00, 0x04]
    bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}
