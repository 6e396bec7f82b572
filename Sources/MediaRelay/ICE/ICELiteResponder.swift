public import RTCSecurity
import RTCWire

/// The relay's ICE-lite STUN responder (RFC 8445 lite, RFC 8489, RFC 7675): answers authenticated
/// Binding requests and reports which transport each one authenticated. Sans-I/O and clock-free.
///
/// The control plane keeps its table of ``ICECredentials`` current (``addCredentials(_:)``,
/// ``removeCredentials(localUfrag:)``, ``removeCredentials(for:)``); the worker passes every
/// datagram that ``PacketClass`` calls `.stun` to ``handle(request:from:now:response:)``, sends
/// `response` to the source when it is not empty, and hands an ``ICEOutcome/authenticated(_:)``
/// request to the transport it names.
///
/// A request is authenticated when, in this order: it parses (RTCWire's `STUNMessage`, with
/// FINGERPRINT checked when present); it is a Binding request; it carries USERNAME and
/// MESSAGE-INTEGRITY; USERNAME is exactly `<local ufrag>:<remote ufrag>` for a known local ufrag
/// (and that transport's remote ufrag, when signalled); and MESSAGE-INTEGRITY verifies with that
/// transport's local password (RTCSecurity's `STUNAuthenticator`, one per responder, compared in
/// constant time). Only attributes before MESSAGE-INTEGRITY are read. An authenticated request
/// claiming the controlled role is answered 487 (``ICEOutcome/roleConflict(_:)`` says why), one
/// with an unknown comprehension-required attribute 420; neither binds anything.
///
/// Remove a transport's credentials when it closes (``TransportEvent/closed(_:)``): the responder
/// keeps answering requests that carry them until then.
///
/// ## What unauthenticated senders get
///
/// No state: no table grows, nothing is remembered per sender except in the rate limiter's
/// fixed-size table. At most a small unsigned error response (400 for a malformed request with a
/// valid Binding request header or missing credentials, 401 for an unknown user or bad
/// integrity; see ``ICERejection``) that is never larger than the request (the reason phrase is
/// dropped, or the answer withheld, when it would be), never carries XOR-MAPPED-ADDRESS, is sent
/// only when ``Configuration/sendErrorResponses`` is on, and is rate-limited per source address
/// and in total (``ICERateLimiter``). So bytes sent to unauthenticated senders never exceed bytes
/// received from them.
///
/// Not thread-safe: one per worker, used only on its thread.
public final class ICELiteResponder {
    /// The longest local ufrag the responder accepts: the relay generates its own, and 32
    /// characters hold far more entropy than needed. The limit keeps the lookup allocation-free.
    public static let maximumLocalUfragLength = ICEUfragKey.capacity

    /// How a responder answers what it does not accept.
    public struct Configuration: Sendable {
        /// Whether unauthenticated senders get a small 400/401 error response (rate-limited,
        /// never larger than the request). Off: they get nothing at all. Default on.
        public var sendErrorResponses: Bool
        /// Error responses per second per source address (and the burst). Default: the limits'
        /// ``RelayLimits/stunErrorsPerSecondPerAddress``.
        public var errorResponsesPerSecondPerAddress: Int
        /// Error responses per second from all addresses together. Default 1000.
        public var errorResponsesPerSecond: Int
        /// Buckets in the rate limiter's fixed table. Default 4096 (32 KB).
        public var rateLimiterSlots: Int
        /// The rate limiter's hash key; `nil` (the default) draws a random one. Fixed only in
        /// tests, so that which addresses share a bucket is repeatable.
        public var rateLimiterSeed: UInt64?
        /// The largest datagram looked at; larger ones are dropped unread. Default: the limits'
        /// ``RelayLimits/maximumDatagramSize``.
        public var maximumDatagramSize: Int
        /// The most credentials the table holds. Default 65536.
        public var maximumCredentials: Int
        /// A SOFTWARE attribute for success responses, or `nil` (the default: say nothing).
        public var software: String?

        /// Settings derived from the relay's limits.
        public init(limits: RelayLimits = RelayLimits()) {
            self.sendErrorResponses = true
            self.errorResponsesPerSecondPerAddress = limits.stunErrorsPerSecondPerAddress
            self.errorResponsesPerSecond = 1_000
            self.rateLimiterSlots = 4_096
            self.rateLimiterSeed = nil
            self.maximumDatagramSize = limits.maximumDatagramSize
            self.maximumCredentials = 65_536
            self.software = nil
        }
    }

    /// One row of the credentials table.
    private struct Entry {
        let credentials: ICECredentials
        /// The remote ufrag's bytes, compared with USERNAME's part after the colon.
        let remoteUfrag: [UInt8]?
    }

    /// The settings this responder was made with.
    public let configuration: Configuration
    /// What it has seen and sent.
    public private(set) var counters = ICEResponderCounters()
    /// The rate limiter for error responses (its table size never changes).
    public private(set) var rateLimiter: ICERateLimiter

    private let authenticator: STUNAuthenticator
    private var table: [ICEUfragKey: Entry] = [:]

    /// Creates a responder with an empty credentials table.
    ///
    /// - Throws: ``STUNIntegrityError`` if OpenSSL cannot provide HMAC-SHA1.
    public init(configuration: Configuration = Configuration()) throws(STUNIntegrityError) {
        self.configuration = configuration
        self.authenticator = try STUNAuthenticator()
        self.rateLimiter = ICERateLimiter(
            ratePerSecond: configuration.errorResponsesPerSecondPerAddress,
            globalRatePerSecond: configuration.errorResponsesPerSecond,
            slotCount: configuration.rateLimiterSlots,
            seed: configuration.rateLimiterSeed
        )
    }

    // MARK: - Credentials

    /// How many credentials the table holds.
    public var credentialCount: Int {
        self.table.count
    }

    /// Adds a transport's credentials; requests with this local ufrag authenticate from now on.
    ///
    /// - Throws: ``ICECredentialError``: `invalidUfrag` (local ufrag not 4 to
    ///   ``maximumLocalUfragLength`` ice-chars, or a remote ufrag not 4 to 256), `invalidPassword`
    ///   (not 22 to 256 ice-chars), `duplicateUfrag` (the local ufrag is in use), `tableFull`.
    ///   The table is unchanged on error.
    public func addCredentials(_ credentials: ICECredentials) throws(ICECredentialError) {
        guard Self.isICEString(credentials.localUfrag, length: 4...Self.maximumLocalUfragLength),
            let key = ICEUfragKey(credentials.localUfrag)
        else {
            throw ICECredentialError(.invalidUfrag, "the local ufrag must be 4 to 32 ice-chars")
        }
        if let remote = credentials.remoteUfrag, !Self.isICEString(remote, length: 4...256) {
            throw ICECredentialError(.invalidUfrag, "the remote ufrag must be 4 to 256 ice-chars")
        }
        guard Self.isICEString(credentials.localPassword, length: 22...256) else {
            throw ICECredentialError(.invalidPassword, "the password must be 22 to 256 ice-chars")
        }
        guard self.table[key] == nil else {
            throw ICECredentialError(.duplicateUfrag, "the local ufrag is already in use")
        }
        guard self.table.count < self.configuration.maximumCredentials else {
            throw ICECredentialError(.tableFull, "the credentials table is full")
        }
        self.table[key] = Entry(credentials: credentials, remoteUfrag: credentials.remoteUfrag.map { Array($0.utf8) })
    }

    /// Removes the credentials with this local ufrag, returning them, or `nil` if none.
    @discardableResult
    public func removeCredentials(localUfrag: String) -> ICECredentials? {
        guard let key = ICEUfragKey(localUfrag) else { return nil }
        return self.table.removeValue(forKey: key)?.credentials
    }

    /// Removes every credential of a transport (it may hold more than one across an ICE
    /// restart), returning how many. Call it when the transport closes.
    @discardableResult
    public func removeCredentials(for transport: TransportID) -> Int {
        let before = self.table.count
        self.table = self.table.filter { $0.value.credentials.transport != transport }
        return before - self.table.count
    }

    /// The credentials with this local ufrag, if any.
    public func credentials(localUfrag: String) -> ICECredentials? {
        ICEUfragKey(localUfrag).flatMap { self.table[$0]?.credentials }
    }

    // MARK: - Requests

    /// Handles one STUN datagram from `source` and writes the answer, if any, into `response`.
    ///
    /// - Parameters:
    ///   - bytes: the datagram (untrusted).
    ///   - source: where it came from; the success response's XOR-MAPPED-ADDRESS.
    ///   - now: the worker's clock, for the rate limiter.
    ///   - response: cleared (keeping its capacity), then filled with the datagram to send to
    ///     `source`; left empty when nothing is to be sent.
    /// - Returns: what the datagram was. See ``ICEOutcome``.
    public func handle(
        request bytes: Span<UInt8>,
        from source: RelayAddress,
        now: RelayTime,
        response: inout [UInt8]
    ) -> ICEOutcome {
        response.removeAll(keepingCapacity: true)
        guard bytes.count <= self.configuration.maximumDatagramSize else {
            return self.reject(.tooLarge)
        }
        let message: STUNMessage
        do {
            message = try STUNMessage(parsing: bytes, fingerprint: .verifyIfPresent)
        } catch {
            if error.code == .invalidChecksum {
                return self.reject(.badFingerprint)
            }
            guard let transactionID = Self.bindingRequestTransactionID(bytes) else {
                return self.reject(.malformed)
            }
            return self.reject(.malformed, answer: .badRequest, transactionID, bytes.count, source, now, &response)
        }

        guard message.method == .binding else { return self.reject(.notBinding) }
        switch message.messageClass {
        case .request: break
        case .indication: return self.reject(.indication)
        case .successResponse, .errorResponse: return self.reject(.unexpectedResponse)
        }
        let id = message.transactionID
        guard message.messageIntegrity != nil, message.usernameRange != nil else {
            return self.reject(.missingCredentials, answer: .badRequest, id, bytes.count, source, now, &response)
        }
        guard let fragments = message.usernameFragments(in: bytes),
            let key = ICEUfragKey(bytes, fragments.local),
            let entry = self.table[key],
            Self.matches(entry.remoteUfrag, bytes, fragments.remote)
        else {
            return self.reject(.unknownUsername, answer: .unauthenticated, id, bytes.count, source, now, &response)
        }
        let password = entry.credentials.localPassword
        guard self.authenticator.isAuthentic(message, in: bytes, password: password) else {
            return self.reject(.badIntegrity, answer: .unauthenticated, id, bytes.count, source, now, &response)
        }

        // Authenticated from here on: answers are signed and may be larger than the request.
        if let unknown = message.firstUnknownRequiredAttribute {
            self.writeSignedError(.unknownAttribute, unknown: unknown, id, password, &response)
            self.counters.count(.unknownRequiredAttribute)
            return .rejected(.unknownRequiredAttribute)
        }
        if case .controlled = message.iceRole {
            guard self.writeSignedError(.roleConflict, unknown: nil, id, password, &response) else {
                return self.reject(.internalError)
            }
            self.counters.roleConflicts &+= 1
            return .roleConflict(entry.credentials.transport)
        }
        guard self.writeSuccess(id, source, password, &response) else {
            return self.reject(.internalError)
        }
        self.counters.authenticated &+= 1
        return .authenticated(
            ICEBindingRequest(
                transport: entry.credentials.transport,
                source: source,
                useCandidate: message.useCandidate,
                priority: message.priority,
                transactionID: id
            )
        )
    }

    /// Convenience for tests and tools: ``handle(request:from:now:response:)`` over an array.
    public func handle(
        request bytes: [UInt8],
        from source: RelayAddress,
        now: RelayTime,
        response: inout [UInt8]
    ) -> ICEOutcome {
        self.handle(request: bytes.span, from: source, now: now, response: &response)
    }

    // MARK: - Answers

    /// Counts a rejection that is never answered.
    private func reject(_ reason: ICERejection) -> ICEOutcome {
        self.counters.count(reason)
        return .rejected(reason)
    }

    /// Counts a rejection and writes an unsigned error response if allowed: configured on, no
    /// larger than the request, within the rate limit.
    private func reject(
        _ reason: ICERejection,
        answer code: STUNErrorCode,
        _ transactionID: STUNTransactionID,
        _ requestLength: Int,
        _ source: RelayAddress,
        _ now: RelayTime,
        _ response: inout [UInt8]
    ) -> ICEOutcome {
        self.counters.count(reason)
        guard self.configuration.sendErrorResponses else { return .rejected(reason) }
        // With the RFC's reason phrase if it fits within the request's size, else without one.
        guard
            Self.writeUnsignedError(code, reason: nil, transactionID, limit: requestLength, &response)
                || Self.writeUnsignedError(code, reason: "", transactionID, limit: requestLength, &response)
        else {
            self.counters.errorResponsesTooLarge &+= 1
            return .rejected(reason)
        }
        guard self.rateLimiter.allow(source, now: now) else {
            response.removeAll(keepingCapacity: true)
            self.counters.errorResponsesRateLimited &+= 1
            return .rejected(reason)
        }
        self.counters.errorResponsesSent &+= 1
        self.counters.errorResponseBytes &+= UInt64(response.count)
        return .rejected(reason)
    }

    /// A Binding error response with ERROR-CODE and FINGERPRINT, no MESSAGE-INTEGRITY (the
    /// sender is not authenticated) and nothing about its address. Leaves `response` empty and
    /// returns `false` if it would exceed `limit` bytes.
    private static func writeUnsignedError(
        _ code: STUNErrorCode,
        reason: String?,
        _ transactionID: STUNTransactionID,
        limit: Int,
        _ response: inout [UInt8]
    ) -> Bool {
        response.removeAll(keepingCapacity: true)
        do {
            let writer = try STUNMessageWriter.bindingErrorResponse(
                transactionID: transactionID,
                errorCode: code,
                reason: reason,
                appendingTo: &response
            )
            try writer.appendFingerprint(to: &response)
        } catch {
            response.removeAll(keepingCapacity: true)
            return false
        }
        guard response.count <= limit else {
            response.removeAll(keepingCapacity: true)
            return false
        }
        return true
    }

    /// A signed 420 (with UNKNOWN-ATTRIBUTES) or 487 for an authenticated request.
    @discardableResult
    private func writeSignedError(
        _ code: STUNErrorCode,
        unknown: STUNAttributeType?,
        _ transactionID: STUNTransactionID,
        _ password: String,
        _ response: inout [UInt8]
    ) -> Bool {
        response.removeAll(keepingCapacity: true)
        do {
            let writer = try STUNMessageWriter.bindingErrorResponse(
                transactionID: transactionID,
                errorCode: code,
                appendingTo: &response
            )
            if let unknown {
                try writer.appendAttribute(.unknownAttributes, valueLength: 2, to: &response) { bytes in
                    bytes.append(UInt8(truncatingIfNeeded: unknown.rawValue &>> 8))
                    bytes.append(UInt8(truncatingIfNeeded: unknown.rawValue))
                }
            }
            try self.authenticator.appendIntegrityAndFingerprint(to: &response, writer: writer, password: password)
            return true
        } catch {
            response.removeAll(keepingCapacity: true)
            return false
        }
    }

    /// The signed success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT.
    private func writeSuccess(
        _ transactionID: STUNTransactionID,
        _ source: RelayAddress,
        _ password: String,
        _ response: inout [UInt8]
    ) -> Bool {
        do {
            let writer = try STUNMessageWriter.bindingSuccessResponse(
                transactionID: transactionID,
                mappedAddress: STUNAddress(source),
                software: self.configuration.software,
                appendingTo: &response
            )
            try self.authenticator.appendIntegrityAndFingerprint(to: &response, writer: writer, password: password)
            return true
        } catch {
            response.removeAll(keepingCapacity: true)
            return false
        }
    }

    // MARK: - Checks

    /// The transaction ID of a datagram whose 20-byte header is a Binding request's with the
    /// magic cookie and a length field equal to the rest of the datagram, or `nil`.
    private static func bindingRequestTransactionID(_ bytes: Span<UInt8>) -> STUNTransactionID? {
        let count = bytes.count
        guard count >= 20, bytes[0] == 0x00, bytes[1] == 0x01 else { return nil }
        let length = Int(bytes[2]) &<< 8 | Int(bytes[3])
        guard length == count &- 20, length & 3 == 0 else { return nil }
        var cookie: UInt32 = 0
        for index in 4..<8 {
            cookie = cookie &<< 8 | UInt32(bytes[index])
        }
        guard cookie == STUNMessage.magicCookie else { return nil }
        var high: UInt32 = 0
        var low: UInt64 = 0
        for index in 8..<12 {
            high = high &<< 8 | UInt32(bytes[index])
        }
        for index in 12..<20 {
            low = low &<< 8 | UInt64(bytes[index])
        }
        return STUNTransactionID(high: high, low: low)
    }

    /// Whether USERNAME's part after the colon is the expected remote ufrag (any, if `nil`).
    private static func matches(_ expected: [UInt8]?, _ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
        guard let expected else { return true }
        guard expected.count == range.count, range.upperBound <= bytes.count else { return false }
        var index = 0
        for position in range {
            if bytes[position] != expected[index] { return false }
            index &+= 1
        }
        return true
    }

    /// Whether `text` is `length` ice-chars (RFC 8839: ALPHA / DIGIT / "+" / "/").
    private static func isICEString(_ text: String, length: ClosedRange<Int>) -> Bool {
        guard length.contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
    }
}

@available(*, unavailable)
extension ICELiteResponder: Sendable {}
