import Foundation
import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("ICE-lite responder")
struct ICELiteResponderTests {
    static let transport = TransportID(7)
    static let credentials = ICECredentials(
        transport: transport,
        localUfrag: "abcd",
        localPassword: "relayPassword0123456789",
        remoteUfrag: "peer1234"
    )
    static let source = RelayAddress(ipv4: 0xC0A8_0A02, port: 50_123)
    static let now = RelayTime(nanoseconds: 5_000_000_000)

    static func responder(
        _ configure: (inout ICELiteResponder.Configuration) -> Void = { _ in }
    ) throws -> ICELiteResponder {
        var configuration = ICELiteResponder.Configuration()
        configuration.rateLimiterSeed = 42
        configure(&configuration)
        let responder = try ICELiteResponder(configuration: configuration)
        try responder.addCredentials(Self.credentials)
        return responder
    }

    static var agent: ICETestAgent {
        ICETestAgent(relayUfrag: "abcd", relayPassword: "relayPassword0123456789", peerUfrag: "peer1234")
    }

    /// Parses an error response the relay sent to an unauthenticated request and checks what it
    /// must never carry.
    static func expectSmallUnsignedError(
        _ response: [UInt8],
        request: [UInt8],
        code: STUNErrorCode,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.count <= request.count, sourceLocation: sourceLocation)
        let message = try STUNMessage(parsing: response, fingerprint: .require)
        #expect(message.type == .bindingErrorResponse, sourceLocation: sourceLocation)
        #expect(message.errorCode == code, sourceLocation: sourceLocation)
        #expect(message.xorMappedAddress == nil, sourceLocation: sourceLocation)
        #expect(message.attribute(.mappedAddress, in: response.span) == nil, sourceLocation: sourceLocation)
        #expect(message.messageIntegrity == nil, sourceLocation: sourceLocation)
    }

    @Test("an authenticated request gets a signed success response with the source as XOR-MAPPED-ADDRESS")
    func success() throws {
        let responder = try Self.responder()
        let authenticator = try STUNAuthenticator()
        let sources = [
            Self.source,
            RelayAddress(ipv6High: 0x2001_0DB8_0000_0001, low: 0x0000_0000_0000_00AB, port: 3_478),
        ]
        for (index, source) in sources.enumerated() {
            let id = STUNTransactionID(high: 0xA1B2_C3D4, low: UInt64(index))
            let request = try Self.agent.bindingRequest(transactionID: id, useCandidate: true, priority: 0x6E00_01FF)
            var response: [UInt8] = []
            let outcome = responder.handle(request: request, from: source, now: Self.now, response: &response)
            #expect(
                outcome
                    == .authenticated(
                        ICEBindingRequest(
                            transport: Self.transport,
                            source: source,
                            useCandidate: true,
                            priority: 0x6E00_01FF,
                            transactionID: id
                        )
                    )
            )
            let message = try STUNMessage(parsing: response, fingerprint: .require)
            #expect(message.type == .bindingSuccessResponse)
            #expect(message.transactionID == id)
            #expect(message.xorMappedAddress == STUNAddress(source))
            #expect(authenticator.isAuthentic(message, in: response, password: "relayPassword0123456789"))
            #expect(!authenticator.isAuthentic(message, in: response, password: "someoneElsesPassword0000"))
        }
        #expect(responder.counters.authenticated == 2)
        #expect(responder.counters.rejected == 0)
    }

    @Test("a request without USE-CANDIDATE authenticates and says so")
    func withoutNomination() throws {
        let responder = try Self.responder()
        let request = try Self.agent.bindingRequest(useCandidate: false)
        var response: [UInt8] = []
        let outcome = responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
        guard case .authenticated(let binding) = outcome else {
            Issue.record("not authenticated: \(outcome)")
            return
        }
        #expect(!binding.useCandidate)
        #expect(!response.isEmpty)
    }

    @Test("RFC 5769 section 2.1, built by another stack: authenticated, and answered 487 as it claims ICE-CONTROLLED")
    func rfc5769Request() throws {
        let vector = try ICETestVectors.rfc5769Request()
        let responder = try ICELiteResponder()
        try responder.addCredentials(
            ICECredentials(
                transport: Self.transport,
                localUfrag: "evtj",
                localPassword: vector.password,
                remoteUfrag: "h6vY"
            )
        )
        var response: [UInt8] = []
        let outcome = responder.handle(request: vector.message, from: Self.source, now: Self.now, response: &response)
        #expect(outcome == .roleConflict(Self.transport))
        let message = try STUNMessage(parsing: response, fingerprint: .require)
        #expect(message.type == .bindingErrorResponse)
        #expect(message.errorCode == .roleConflict)
        #expect(message.xorMappedAddress == nil)
        let authenticator = try STUNAuthenticator()
        #expect(authenticator.isAuthentic(message, in: response, password: vector.password))
        #expect(responder.counters.roleConflicts == 1)
        #expect(responder.counters.authenticated == 0)

        // The same bytes against another password: unauthenticated.
        let other = try ICELiteResponder()
        try other.addCredentials(
            ICECredentials(
                transport: Self.transport,
                localUfrag: "evtj",
                localPassword: "notTheRFCPassword000000",
                remoteUfrag: nil
            )
        )
        #expect(
            other.handle(request: vector.message, from: Self.source, now: Self.now, response: &response)
                == .rejected(.badIntegrity)
        )
        try Self.expectSmallUnsignedError(response, request: vector.message, code: .unauthenticated)
    }

    @Test("a wrong password gets a small unsigned 401 and creates nothing")
    func wrongPassword() throws {
        let responder = try Self.responder()
        var agent = Self.agent
        agent.relayPassword = "wrongPassword0123456789"
        let request = try agent.bindingRequest(useCandidate: true)
        var response: [UInt8] = []
        let outcome = responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
        #expect(outcome == .rejected(.badIntegrity))
        try Self.expectSmallUnsignedError(response, request: request, code: .unauthenticated)
        #expect(responder.credentialCount == 1)
        #expect(responder.counters.authenticated == 0)
        #expect(responder.counters[.badIntegrity] == 1)
    }

    @Test(
        "USERNAME must be exactly <local ufrag>:<remote ufrag>",
        arguments: [
            ("abc:peer1234", false), ("abcde:peer1234", false), ("abcd", false), ("ABCD:peer1234", false),
            (":peer1234", false), ("abcd:peer123", false), ("abcd:peer12345", false), ("abcd:", false),
            ("abcdabcd:peer1234", false), ("abcd:peer1234", true),
        ]
    )
    func usernameMustMatchExactly(username: String, accepted: Bool) throws {
        let responder = try Self.responder()
        // Signed with the right password: only the USERNAME decides.
        let request = try Self.agent.bindingRequest(useCandidate: true, username: username)
        var response: [UInt8] = []
        let outcome = responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
        if accepted {
            guard case .authenticated = outcome else {
                Issue.record("\(username) refused: \(outcome)")
                return
            }
        } else {
            #expect(outcome == .rejected(.unknownUsername))
            try Self.expectSmallUnsignedError(response, request: request, code: .unauthenticated)
        }
    }

    @Test("without a signalled remote ufrag, any remote part is accepted; the local part still must match")
    func anyRemoteUfrag() throws {
        let responder = try ICELiteResponder()
        try responder.addCredentials(
            ICECredentials(
                transport: Self.transport,
                localUfrag: "abcd",
                localPassword: "relayPassword0123456789",
                remoteUfrag: nil
            )
        )
        var response: [UInt8] = []
        for username in ["abcd:x", "abcd:anything+else/9"] {
            let request = try Self.agent.bindingRequest(useCandidate: false, username: username)
            guard
                case .authenticated = responder.handle(
                    request: request,
                    from: Self.source,
                    now: Self.now,
                    response: &response
                )
            else {
                Issue.record("\(username) refused")
                continue
            }
        }
        let request = try Self.agent.bindingRequest(useCandidate: false, username: "abce:x")
        #expect(
            responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
                == .rejected(.unknownUsername)
        )
    }

    @Test("a request without MESSAGE-INTEGRITY or without USERNAME gets 400")
    func missingCredentials() throws {
        let responder = try Self.responder()
        var response: [UInt8] = []
        // No MESSAGE-INTEGRITY, FINGERPRINT only.
        var unsigned: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: STUNTransactionID(high: 1, low: 2),
            username: "abcd:peer1234",
            priority: 1,
            role: .controlling(tieBreaker: 3),
            appendingTo: &unsigned
        )
        try writer.appendFingerprint(to: &unsigned)
        #expect(
            responder.handle(request: unsigned, from: Self.source, now: Self.now, response: &response)
                == .rejected(.missingCredentials)
        )
        try Self.expectSmallUnsignedError(response, request: unsigned, code: .badRequest)

        // MESSAGE-INTEGRITY but no USERNAME.
        var anonymous: [UInt8] = []
        let anonymousWriter = STUNMessageWriter(
            type: .bindingRequest,
            transactionID: STUNTransactionID(high: 4, low: 5),
            appendingTo: &anonymous
        )
        try anonymousWriter.appendPriority(1, to: &anonymous)
        try STUNAuthenticator().appendIntegrityAndFingerprint(
            to: &anonymous,
            writer: anonymousWriter,
            password: "relayPassword0123456789"
        )
        #expect(
            responder.handle(request: anonymous, from: Self.source, now: Self.now, response: &response)
                == .rejected(.missingCredentials)
        )
        try Self.expectSmallUnsignedError(response, request: anonymous, code: .badRequest)
        #expect(responder.counters[.missingCredentials] == 2)
    }

    @Test("a malformed request with a valid Binding header gets 400; one without gets nothing")
    func malformed() throws {
        let responder = try Self.responder()
        var response: [UInt8] = []
        let valid = try Self.agent.bindingRequest(useCandidate: true)

        // USERNAME's length now runs past the end: the header is still a valid Binding request's.
        var overrun = valid
        overrun[22] = 0x02
        overrun[23] = 0x00
        #expect(
            responder.handle(request: overrun, from: Self.source, now: Self.now, response: &response)
                == .rejected(.malformed)
        )
        try Self.expectSmallUnsignedError(response, request: overrun, code: .badRequest)

        // Attribute length 0xFFFF.
        var maximal = valid
        maximal[22] = 0xFF
        maximal[23] = 0xFF
        #expect(
            responder.handle(request: maximal, from: Self.source, now: Self.now, response: &response)
                == .rejected(.malformed)
        )
        try Self.expectSmallUnsignedError(response, request: maximal, code: .badRequest)

        // Not a valid header: wrong cookie, wrong length field, a truncation, first bits set.
        var wrongCookie = valid
        wrongCookie[4] ^= 0xFF
        var wrongLength = valid
        wrongLength[3] &+= 4
        let truncated = Array(valid[0..<(valid.count - 4)])
        var highBits = valid
        highBits[0] |= 0x40
        for bytes in [wrongCookie, wrongLength, truncated, highBits, Array(valid[0..<19]), [0x00, 0x01]] {
            #expect(
                responder.handle(request: bytes, from: Self.source, now: Self.now, response: &response)
                    == .rejected(.malformed)
            )
            #expect(response.isEmpty)
        }
        #expect(responder.counters.errorResponsesSent == 2)
    }

    @Test("a header-only Binding request would get a 400 larger than itself, so it gets nothing")
    func neverLargerThanTheRequest() throws {
        let responder = try Self.responder()
        var request: [UInt8] = []
        _ = STUNMessageWriter(
            type: .bindingRequest,
            transactionID: STUNTransactionID(high: 9, low: 9),
            appendingTo: &request
        )
        #expect(request.count == 20)
        var response: [UInt8] = [1, 2, 3]
        #expect(
            responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
                == .rejected(.missingCredentials)
        )
        #expect(response.isEmpty)
        #expect(responder.counters.errorResponsesTooLarge == 1)

        // 36 bytes: room for a 400 without a reason phrase (20 + 8 + 8), not with one.
        var padded: [UInt8] = []
        let writer = STUNMessageWriter(
            type: .bindingRequest,
            transactionID: STUNTransactionID(high: 9, low: 10),
            appendingTo: &padded
        )
        try writer.appendAttribute(
            STUNAttributeType(rawValue: 0x8077),
            value: [UInt8](repeating: 0, count: 12).span,
            to: &padded
        )
        #expect(padded.count == 36)
        #expect(
            responder.handle(request: padded, from: Self.source, now: Self.now, response: &response)
                == .rejected(.missingCredentials)
        )
        #expect(response.count == 36)
        let message = try STUNMessage(parsing: response, fingerprint: .require)
        #expect(message.errorCode == .badRequest)
        #expect(message.errorReason(in: response.span) == "")
    }

    @Test("a wrong FINGERPRINT, an indication, a response, another method or an oversize datagram get nothing")
    func silentlyIgnored() throws {
        let responder = try Self.responder()
        var response: [UInt8] = []
        var badFingerprint = try Self.agent.bindingRequest(useCandidate: true)
        badFingerprint[badFingerprint.count - 1] ^= 1
        #expect(
            responder.handle(request: badFingerprint, from: Self.source, now: Self.now, response: &response)
                == .rejected(.badFingerprint)
        )
        #expect(response.isEmpty)

        func message(_ type: STUNMessageType) throws -> [UInt8] {
            var bytes: [UInt8] = []
            let writer = STUNMessageWriter(
                type: type,
                transactionID: STUNTransactionID(high: 1, low: 1),
                appendingTo: &bytes
            )
            try writer.appendUsername("abcd:peer1234", to: &bytes)
            try STUNAuthenticator().appendIntegrityAndFingerprint(
                to: &bytes,
                writer: writer,
                password: "relayPassword0123456789"
            )
            return bytes
        }
        let allocate = STUNMessageType(method: try #require(STUNMethod(rawValue: 0x003)), messageClass: .request)
        let cases: [(STUNMessageType, ICERejection)] = [
            (.bindingIndication, .indication),
            (.bindingSuccessResponse, .unexpectedResponse),
            (.bindingErrorResponse, .unexpectedResponse),
            (allocate, .notBinding),
        ]
        for (type, reason) in cases {
            #expect(
                responder.handle(request: try message(type), from: Self.source, now: Self.now, response: &response)
                    == .rejected(reason)
            )
            #expect(response.isEmpty)
        }
        let oversize = [UInt8](repeating: 0, count: 1_501)
        #expect(
            responder.handle(request: oversize, from: Self.source, now: Self.now, response: &response)
                == .rejected(.tooLarge)
        )
        #expect(response.isEmpty)
        #expect(responder.counters.errorResponsesSent == 0)
    }

    @Test("with error responses switched off, unauthenticated senders get nothing at all")
    func errorResponsesOff() throws {
        let responder = try Self.responder { $0.sendErrorResponses = false }
        var agent = Self.agent
        agent.relayPassword = "wrongPassword0123456789"
        var response: [UInt8] = []
        let request = try agent.bindingRequest(useCandidate: true)
        #expect(
            responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
                == .rejected(.badIntegrity)
        )
        #expect(response.isEmpty)
        // Authenticated requests are still answered.
        guard
            case .authenticated = responder.handle(
                request: try Self.agent.bindingRequest(useCandidate: true),
                from: Self.source,
                now: Self.now,
                response: &response
            )
        else {
            Issue.record("not authenticated")
            return
        }
        #expect(!response.isEmpty)
    }

    @Test("USE-CANDIDATE after MESSAGE-INTEGRITY is not trusted")
    func attributesAfterIntegrity() throws {
        let responder = try Self.responder()
        var request: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: STUNTransactionID(high: 3, low: 3),
            username: "abcd:peer1234",
            priority: 1,
            role: .controlling(tieBreaker: 1),
            useCandidate: false,
            appendingTo: &request
        )
        let layout = try writer.reserveMessageIntegrity(in: &request)
        try STUNAuthenticator().sign(&request, layout: layout, password: "relayPassword0123456789")
        try writer.appendUseCandidate(to: &request)
        try writer.appendFingerprint(to: &request)
        var response: [UInt8] = []
        guard
            case .authenticated(let binding) = responder.handle(
                request: request,
                from: Self.source,
                now: Self.now,
                response: &response
            )
        else {
            Issue.record("not authenticated")
            return
        }
        #expect(!binding.useCandidate)
    }

    @Test("no single-bit change before MESSAGE-INTEGRITY authenticates, even with FINGERPRINT recomputed")
    func bitFlips() throws {
        let responder = try Self.responder()
        let request = try Self.agent.bindingRequest(useCandidate: true)
        let parsed = try STUNMessage(parsing: request)
        let integrityOffset = try #require(parsed.messageIntegrity?.attributeOffset)
        let fingerprintOffset = try #require(parsed.fingerprintOffset)
        var response: [UInt8] = []
        var flips = 0
        for bit in 0..<((integrityOffset + 24) * 8) {
            var forged = request
            forged[bit / 8] ^= UInt8(1 << (bit % 8))
            // A forger can always recompute the CRC.
            let crc = STUNFingerprint.value(over: forged.span.extracting(0..<fingerprintOffset))
            for index in 0..<4 {
                forged[fingerprintOffset + 4 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index))
            }
            let outcome = responder.handle(request: forged, from: Self.source, now: Self.now, response: &response)
            if case .authenticated = outcome {
                Issue.record("bit \(bit) authenticated")
            }
            #expect(response.count <= forged.count)
            if !response.isEmpty {
                #expect((try? STUNMessage(parsing: response))?.xorMappedAddress == nil)
            }
            flips += 1
        }
        #expect(flips == (integrityOffset + 24) * 8)
        #expect(responder.counters.authenticated == 0)
    }

    @Test("an authenticated request with an unknown comprehension-required attribute gets a signed 420")
    func unknownRequiredAttribute() throws {
        let responder = try Self.responder()
        var request: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: STUNTransactionID(high: 5, low: 5),
            username: "abcd:peer1234",
            priority: 1,
            role: .controlling(tieBreaker: 1),
            appendingTo: &request
        )
        try writer.appendAttribute(STUNAttributeType(rawValue: 0x7777), value: [1, 2, 3, 4].span, to: &request)
        try STUNAuthenticator().appendIntegrityAndFingerprint(
            to: &request,
            writer: writer,
            password: "relayPassword0123456789"
        )
        var response: [UInt8] = []
        #expect(
            responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
                == .rejected(.unknownRequiredAttribute)
        )
        let message = try STUNMessage(parsing: response, fingerprint: .require)
        #expect(message.errorCode == .unknownAttribute)
        let attribute = message.attribute(.unknownAttributes, in: response.span)
        let unknown = try #require(attribute)
        #expect(Array(response[unknown.valueRange]) == [0x77, 0x77])
        let authenticator = try STUNAuthenticator()
        #expect(authenticator.isAuthentic(message, in: response, password: "relayPassword0123456789"))
    }

    @Test("removed credentials no longer authenticate")
    func removal() throws {
        let responder = try Self.responder()
        try responder.addCredentials(
            ICECredentials(
                transport: Self.transport,
                localUfrag: "efgh",
                localPassword: "relayPassword0123456789",
                remoteUfrag: nil
            )
        )
        try responder.addCredentials(
            ICECredentials(
                transport: TransportID(8),
                localUfrag: "ijkl",
                localPassword: "relayPassword0123456789",
                remoteUfrag: nil
            )
        )
        #expect(responder.credentialCount == 3)
        #expect(responder.credentials(localUfrag: "abcd")?.transport == Self.transport)
        #expect(responder.removeCredentials(for: Self.transport) == 2)
        #expect(responder.credentialCount == 1)
        var response: [UInt8] = []
        let request = try Self.agent.bindingRequest(useCandidate: true)
        #expect(
            responder.handle(request: request, from: Self.source, now: Self.now, response: &response)
                == .rejected(.unknownUsername)
        )
        #expect(responder.removeCredentials(localUfrag: "ijkl")?.transport == TransportID(8))
        #expect(responder.removeCredentials(localUfrag: "ijkl") == nil)
        #expect(responder.credentialCount == 0)
    }

    @Test("credentials are validated before they enter the table")
    func credentialValidation() throws {
        let responder = try ICELiteResponder(
            configuration: {
                var configuration = ICELiteResponder.Configuration()
                configuration.maximumCredentials = 2
                return configuration
            }()
        )
        let password = "relayPassword0123456789"
        func add(_ ufrag: String, _ password: String, remote: String? = nil) -> ICECredentialError.Code? {
            do {
                try responder.addCredentials(
                    ICECredentials(
                        transport: TransportID(1),
                        localUfrag: ufrag,
                        localPassword: password,
                        remoteUfrag: remote
                    )
                )
                return nil
            } catch {
                return error.code
            }
        }
        #expect(add("abc", password) == .invalidUfrag)
        #expect(add(String(repeating: "a", count: 33), password) == .invalidUfrag)
        #expect(add("ab:c", password) == .invalidUfrag)
        #expect(add("abcd", password, remote: "xy") == .invalidUfrag)
        #expect(add("abcd", String(password.dropLast(2))) == .invalidPassword)
        #expect(add("abcd", password + " ") == .invalidPassword)
        #expect(add("abcd", password) == nil)
        #expect(add("abcd", password) == .duplicateUfrag)
        #expect(add(String(repeating: "Z", count: 32), password) == nil)
        #expect(add("efgh", password) == .tableFull)
        #expect(responder.credentialCount == 2)
    }
}

/// A test-side ICE agent in the controlling role, as a browser would be: builds Binding requests
/// with RTCWire's writer and signs them with RTCSecurity's authenticator, keyed with the relay's
/// password.
struct ICETestAgent {
    var relayUfrag: String
    var relayPassword: String
    var peerUfrag: String
    var tieBreaker: UInt64 = 0x0102_0304_0506_0708

    func bindingRequest(
        transactionID: STUNTransactionID = STUNTransactionID(high: 0x0BAD_CAFE, low: 1),
        useCandidate: Bool,
        priority: UInt32 = 0x6E00_01FF,
        username: String? = nil,
        role: STUNICERole? = nil
    ) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let writer = try STUNMessageWriter.bindingRequest(
            transactionID: transactionID,
            username: username ?? "\(self.relayUfrag):\(self.peerUfrag)",
            priority: priority,
            role: role ?? .controlling(tieBreaker: self.tieBreaker),
            useCandidate: useCandidate,
            appendingTo: &bytes
        )
        try STUNAuthenticator().appendIntegrityAndFingerprint(to: &bytes, writer: writer, password: self.relayPassword)
        return bytes
    }
}

/// The RFC 5769 vectors the project keeps in Tests/Vectors.
enum ICETestVectors {
    struct Request {
        var message: [UInt8]
        var password: String
    }

    private struct File: Decodable {
        struct Vector: Decodable {
            var id: String
            var message: String
            var parameters: [String: Parameter]
        }

        enum Parameter: Decodable {
            case text(String)
            case number(Int)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self = .text(text)
                } else {
                    self = .number(try container.decode(Int.self))
                }
            }
        }

        var vectors: [Vector]
    }

    /// RFC 5769 section 2.1: the sample request and its password.
    static func rfc5769Request() throws -> Request {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Vectors")
            .appendingPathComponent("rfc5769.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        let vector = try #require(file.vectors.first { $0.id == "rfc5769-2.1-sample-request" })
        guard case .text(let password) = try #require(vector.parameters["password"]) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return Request(message: Self.bytes(hex: vector.message), password: password)
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex.utf8 {
            guard let nibble = UInt8(String(UnicodeScalar(character)), radix: 16) else { continue }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
