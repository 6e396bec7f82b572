import RTCSecurity
import RTCWire
import Testing

@Suite("STUN MESSAGE-INTEGRITY (HMAC-SHA1, RFC 5769 vectors)")
struct STUNAuthenticatorTests {
    @Test("MESSAGE-INTEGRITY verifies in all four samples: passwords for 2.1-2.3, the long-term key for 2.4")
    func samplesVerify() throws {
        let authenticator = try STUNAuthenticator()
        for vector in try STUNSecurityVectors.load() {
            let bytes = try vector.bytes
            let message = try STUNMessage(parsing: bytes)
            if let password = vector.parameters.password {
                // The span API the relay uses (the array overloads below forward to it).
                let verified = authenticator.isAuthentic(message, in: bytes.span, password: password)
                #expect(verified)
                #expect(authenticator.isAuthentic(message, in: bytes, password: password), "\(vector.section)")
                #expect(!authenticator.isAuthentic(message, in: bytes, password: password + "x"))
                #expect(!authenticator.isAuthentic(message, in: bytes, password: String(password.dropLast())))
            }
            // The key bytes work for every sample: for 2.1-2.3 they are the password's bytes.
            #expect(try authenticator.isAuthentic(message, in: bytes, key: vector.key), "\(vector.section)")
            var wrongKey = try vector.key
            wrongKey[0] ^= 0x01
            #expect(!authenticator.isAuthentic(message, in: bytes, key: wrongKey))
        }
    }

    @Test("Signing the samples' own bytes reproduces their MESSAGE-INTEGRITY and FINGERPRINT")
    func signingMatchesSamples() throws {
        let authenticator = try STUNAuthenticator()
        for vector in try STUNSecurityVectors.load() {
            let sample = try vector.bytes
            let message = try STUNMessage(parsing: sample)
            let layout = try #require(message.messageIntegrity)
            var bytes = sample
            for index in layout.tagRange {
                bytes[index] = 0
            }
            let key = try vector.key
            try authenticator.sign(&bytes, layout: layout, key: key.span)
            #expect(try Array(bytes[layout.tagRange]) == SecurityVectors.bytes(vector.expected.message_integrity))
            #expect(bytes == sample, "\(vector.section)")
            if let fingerprint = vector.expected.fingerprint {
                let computed = STUNFingerprint.value(over: bytes.span.extracting(0..<(bytes.count - 8)))
                #expect(computed == UInt32(fingerprint, radix: 16))
            }
        }
    }

    @Test("A success response built like RFC 5769 2.2 is signed exactly as the sample")
    func builtResponseMatchesSample() throws {
        let vector = try STUNSecurityVectors.vector("2.2")
        let authenticator = try STUNAuthenticator()
        var bytes: [UInt8] = []
        let writer = try STUNMessageWriter.bindingSuccessResponse(
            transactionID: STUNTransactionID(high: 0xB7E7_A701, low: 0xBC34_D686_FA87_DFAE),
            mappedAddress: STUNAddress(ipv4: 192, 0, 2, 1, port: 32853),
            software: "test vector",
            appendingTo: &bytes
        )
        // The writer pads SOFTWARE with zero; the sample pads with a space, and the HMAC covers
        // padding as sent. Use the sample's padding byte to compare whole messages.
        bytes[35] = 0x20
        try authenticator.appendIntegrityAndFingerprint(
            to: &bytes,
            writer: writer,
            password: try #require(vector.parameters.password)
        )
        #expect(try bytes == vector.bytes)
    }

    @Test("Flipping any one of the bits of RFC 5769 2.1 is rejected")
    func bitFlips() throws {
        let vector = try STUNSecurityVectors.vector("2.1")
        let password = try #require(vector.parameters.password)
        let sample = try vector.bytes
        #expect(sample.count * 8 == 864)
        let authenticator = try STUNAuthenticator()
        let layout = try #require(try STUNMessage(parsing: sample).messageIntegrity)
        #expect(layout.attributeOffset * 8 == 608)

        var rejectedByHMAC = 0
        for bit in 0..<(sample.count * 8) {
            var bytes = sample
            bytes[bit / 8] ^= 1 << (7 - bit % 8)
            // With FINGERPRINT checked, as the relay parses: every flip anywhere is rejected.
            if let message = try? STUNMessage(parsing: bytes, fingerprint: .require) {
                #expect(!authenticator.isAuthentic(message, in: bytes, password: password), "bit \(bit)")
            }
            // Without FINGERPRINT, MESSAGE-INTEGRITY alone catches every flip up to the end of its
            // tag: through the HMAC, or because the flip broke the structure.
            guard bit < layout.tagRange.upperBound * 8 else { continue }
            if let message = try? STUNMessage(parsing: bytes, fingerprint: .ignore) {
                let authentic = authenticator.isAuthentic(message, in: bytes, password: password)
                #expect(!authentic, "bit \(bit) passed MESSAGE-INTEGRITY")
                if !authentic && message.messageIntegrity != nil { rejectedByHMAC += 1 }
            }
        }
        // Most flips parse and reach the HMAC (those in values, the transaction ID, the tag).
        #expect(rejectedByHMAC > 500)
        // The unflipped message still verifies with the same authenticator afterwards.
        #expect(authenticator.isAuthentic(try STUNMessage(parsing: sample), in: sample, password: password))
    }

    @Test("Attributes after MESSAGE-INTEGRITY are outside the HMAC and ignored by the parser")
    func attributesAfterIntegrity() throws {
        let vector = try STUNSecurityVectors.vector("2.1")
        let password = try #require(vector.parameters.password)
        let sample = try vector.bytes
        let authenticator = try STUNAuthenticator()
        let layout = try #require(try STUNMessage(parsing: sample).messageIntegrity)

        // An attacker appends USERNAME, PRIORITY and USE-CANDIDATE after the tag and a fresh
        // FINGERPRINT: the HMAC still verifies (it never covered them), so they must not count.
        var bytes = Array(sample[0..<layout.tagRange.upperBound])
        bytes += [0x00, 0x06, 0x00, 0x08] + Array("evil:bad".utf8)
        bytes += [0x00, 0x24, 0x00, 0x04, 0x7F, 0xFF, 0xFF, 0xFF]
        bytes += [0x00, 0x25, 0x00, 0x00]
        Self.appendFingerprint(&bytes)
        let message = try STUNMessage(parsing: bytes, fingerprint: .require)
        #expect(authenticator.isAuthentic(message, in: bytes, password: password))
        #expect(message.username(in: bytes.span) == "evtj:h6vY")
        #expect(message.priority == 0x6E00_01FF)
        #expect(message.useCandidate == false)
        #expect(message.ignoredAfterIntegrityCount == 3)

        // The same attributes before MESSAGE-INTEGRITY are covered: moving them there breaks it.
        var moved = Array(sample[0..<layout.attributeOffset])
        moved += [0x00, 0x25, 0x00, 0x00]
        moved += sample[layout.attributeOffset..<layout.tagRange.upperBound]
        Self.appendFingerprint(&moved)
        let movedMessage = try STUNMessage(parsing: moved, fingerprint: .require)
        #expect(movedMessage.useCandidate)
        #expect(!authenticator.isAuthentic(movedMessage, in: moved, password: password))
    }

    @Test("A message without MESSAGE-INTEGRITY, other bytes, or an empty key never verifies")
    func failClosed() throws {
        let vector = try STUNSecurityVectors.vector("2.1")
        let password = try #require(vector.parameters.password)
        let sample = try vector.bytes
        let authenticator = try STUNAuthenticator()
        let message = try STUNMessage(parsing: sample)
        #expect(authenticator.isAuthentic(message, in: sample, password: password))
        // OpenSSL would reuse the previous key for an empty one; the authenticator refuses it.
        #expect(!authenticator.isAuthentic(message, in: sample, password: ""))
        #expect(!authenticator.isAuthentic(message, in: sample, key: []))
        // The message's layout applied to other bytes of a different size.
        let longer = sample + [0, 0, 0, 0]
        #expect(!authenticator.isAuthentic(message, in: longer, password: password))

        var unsigned: [UInt8] = []
        let writer = try STUNMessageWriter.bindingErrorResponse(
            transactionID: .random(),
            errorCode: .unauthenticated,
            appendingTo: &unsigned
        )
        try writer.appendFingerprint(to: &unsigned)
        let unsignedMessage = try STUNMessage(parsing: unsigned, fingerprint: .require)
        #expect(!authenticator.isAuthentic(unsignedMessage, in: unsigned, password: password))

        var bytes: [UInt8] = []
        let request = try STUNMessageWriter.bindingRequest(
            transactionID: .random(),
            username: "a:b",
            priority: 1,
            role: .controlling(tieBreaker: 1),
            appendingTo: &bytes
        )
        #expect(throws: STUNIntegrityError.self) {
            try authenticator.appendIntegrityAndFingerprint(to: &bytes, writer: request, password: "")
        }
        #expect(try STUNMessage(parsing: bytes).attributeCount == 3)
        // A layout that does not point at a MESSAGE-INTEGRITY placeholder is refused.
        let layout = try #require(try STUNMessage(parsing: sample).messageIntegrity)
        var short = Array(sample[0..<40])
        #expect(throws: STUNIntegrityError.self) {
            try authenticator.sign(&short, layout: layout, password: password)
        }
    }

    @Test("Build, sign, parse, verify: success responses (IPv4, IPv6), an error response, a request")
    func roundTrips() throws {
        let authenticator = try STUNAuthenticator()
        let password = "asd88fgpdd777uzjYhagZg"
        var buffer: [UInt8] = []
        buffer.reserveCapacity(200)

        let addresses = [
            STUNAddress(ipv4: 198, 51, 100, 23, port: 61000),
            STUNAddress(ipv6High: 0x2001_0DB8_85A3_0000, low: 0x0000_8A2E_0370_7334, port: 3478),
        ]
        for address in addresses {
            buffer.removeAll(keepingCapacity: true)
            let id = STUNTransactionID.random()
            let writer = try STUNMessageWriter.bindingSuccessResponse(
                transactionID: id,
                mappedAddress: address,
                software: "parley",
                appendingTo: &buffer
            )
            try authenticator.appendIntegrityAndFingerprint(to: &buffer, writer: writer, password: password)
            let message = try STUNMessage(parsing: buffer, fingerprint: .require)
            #expect(message.type == .bindingSuccessResponse)
            #expect(message.transactionID == id)
            #expect(message.xorMappedAddress == address)
            #expect(authenticator.isAuthentic(message, in: buffer, password: password))
            #expect(!authenticator.isAuthentic(message, in: buffer, password: "asd88fgpdd777uzjYhagZh"))
        }

        buffer.removeAll(keepingCapacity: true)
        let conflict = try STUNMessageWriter.bindingErrorResponse(
            transactionID: .random(),
            errorCode: .roleConflict,
            appendingTo: &buffer
        )
        try authenticator.appendIntegrityAndFingerprint(to: &buffer, writer: conflict, password: password)
        let error = try STUNMessage(parsing: buffer, fingerprint: .require)
        #expect(error.errorCode == .roleConflict)
        #expect(error.errorReason(in: buffer.span) == "Role Conflict")
        #expect(authenticator.isAuthentic(error, in: buffer, password: password))

        buffer.removeAll(keepingCapacity: true)
        let request = try STUNMessageWriter.bindingRequest(
            transactionID: .random(),
            username: "serverUfrag:clientUfrag",
            priority: 0x7E7F_00FF,
            role: .controlling(tieBreaker: 0xDEAD_BEEF_0BAD_F00D),
            useCandidate: true,
            appendingTo: &buffer
        )
        try authenticator.appendIntegrityAndFingerprint(to: &buffer, writer: request, password: password)
        let parsed = try STUNMessage(parsing: buffer, fingerprint: .require)
        #expect(parsed.username(in: buffer.span) == "serverUfrag:clientUfrag")
        #expect(parsed.priority == 0x7E7F_00FF)
        #expect(parsed.iceRole == .controlling(tieBreaker: 0xDEAD_BEEF_0BAD_F00D))
        #expect(parsed.useCandidate)
        #expect(parsed.ignoredAfterIntegrityCount == 0)
        #expect(authenticator.isAuthentic(parsed, in: buffer, password: password))

        // A long-term key works the same way.
        let key: [UInt8] = [0xE8, 0xCA, 0x7A, 0xD5, 0x9D, 0x5E, 0xB0, 0x51]
        buffer.removeAll(keepingCapacity: true)
        let keyed = try STUNMessageWriter.bindingRequest(
            transactionID: .random(),
            username: "u:v",
            priority: 1,
            role: .controlled(tieBreaker: 2),
            appendingTo: &buffer
        )
        try authenticator.appendIntegrityAndFingerprint(to: &buffer, writer: keyed, key: key.span)
        let keyedMessage = try STUNMessage(parsing: buffer, fingerprint: .require)
        #expect(authenticator.isAuthentic(keyedMessage, in: buffer, key: key))
        #expect(!authenticator.isAuthentic(keyedMessage, in: buffer, password: password))
    }

    /// Appends FINGERPRINT (header length fixed up first, as RFC 8489 section 14.7 says).
    static func appendFingerprint(_ bytes: inout [UInt8]) {
        let length = bytes.count + 8 - 20
        bytes[2] = UInt8(length >> 8)
        bytes[3] = UInt8(length & 0xFF)
        let value = STUNFingerprint.value(over: bytes.span)
        bytes += [0x80, 0x28, 0x00, 0x04]
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
