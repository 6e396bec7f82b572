internal import COpenSSL

/// One DTLS 1.2 connection for DTLS-SRTP, sans-I/O: it is fed datagrams and returns datagrams to
/// send, application data and events. It opens no socket and reads no clock.
///
/// Create one per 5-tuple: the relay as ``Role/server`` (it answers `a=setup:passive`), the load
/// generator and tests as ``Role/client``. The owner drives it:
///
/// 1. ``start()`` (a client produces its ClientHello; a server has nothing to say yet);
/// 2. every DTLS datagram from the peer goes to ``receive(datagram:)``;
/// 3. after each call, arm a timer for ``nextTimeout`` (if not `nil`) and, when it fires, call
///    ``handleTimeout()``, which retransmits the last flight;
/// 4. send every datagram in each ``Output``, deliver its application data, and act on its events:
///    ``Event/handshakeCompleted(_:)`` carries the SRTP keying material of both directions (see
///    ``DTLSSRTPKeyingMaterial``); ``Event/failed(_:)`` and ``Event/closed`` end the connection;
/// 5. ``close()`` sends `close_notify`.
///
/// The handshake fails, and no key is ever exported, when the peer's certificate matches none of
/// the expected fingerprints (checked while the peer's Certificate message is processed, so the
/// peer gets a `bad_certificate` alert), when the peer sends no certificate, or when no SRTP
/// profile is common to both sides.
///
/// ## What a server holds before the cookie round trip
///
/// With ``DTLSContext/Configuration/cookieExchange`` (the default), a server stays ``State/idle``
/// and answers each ClientHello without a valid cookie (a first one, a retransmitted one, or one
/// with a cookie made for another address) with one HelloVerifyRequest (60 bytes, smaller than
/// any ClientHello) and nothing else: no ServerHello, no certificate, no key exchange, no
/// retransmission timer, no handshake state (OpenSSL's `DTLSv1_listen`, which resets the `SSL`
/// on each call). What exists at that point is what exists from
/// ``init(context:role:peerAddress:expectedFingerprints:)`` on: this object, one OpenSSL `SSL`
/// with its two memory BIOs, and OpenSSL's record buffers (about 17 KB each way), allocated at the
/// first datagram. The relay creates an endpoint only for a 5-tuple that passed an authenticated
/// STUN Binding request, so the cookie is defence in depth, not the first gate.
///
/// ## Clocks
///
/// The endpoint reads no clock; OpenSSL reads the system clock for its own retransmission
/// bookkeeping. ``nextTimeout`` reports what OpenSSL has left, and ``handleTimeout()`` retransmits
/// only if OpenSSL agrees the time has come (it treats under 15 ms left as expired), so a timer
/// that fires slightly early costs nothing but a second call.
public final class DTLSEndpoint {
    /// Which side of the handshake an endpoint plays.
    public enum Role: Sendable, Hashable {
        /// Sends the ClientHello (`a=setup:active`).
        case client
        /// Answers it (`a=setup:passive`); the relay's role. The server picks the SRTP profile.
        case server
    }

    /// Where an endpoint is in its life.
    public enum State: Sendable, Hashable {
        /// Created. A client has not called ``DTLSEndpoint/start()``; a server has not yet received
        /// a ClientHello it will answer with its certificate (with cookie exchange: one carrying a
        /// valid cookie).
        case idle
        /// Handshake messages are being exchanged.
        case handshaking
        /// The handshake completed and the keys were exported.
        case established
        /// The handshake or connection failed (see ``DTLSEndpoint/error``). Final.
        case failed
        /// Closed by ``DTLSEndpoint/close()`` or by the peer's `close_notify`. Final.
        case closed
    }

    /// The largest datagram ``receive(datagram:)`` accepts: one DTLS record of the maximum size
    /// RFC 6347 allows (2^14 + 2048 bytes of fragment) plus its 13-byte header. Larger ones are
    /// dropped unread.
    public static let maximumDatagramSize = 16_384 + 2_048 + 13

    /// The context this endpoint was made from (its identity, profiles and settings).
    public let context: DTLSContext
    /// This endpoint's role.
    public let role: Role
    /// The fingerprints the peer's certificate may match (any one suffices).
    public let expectedFingerprints: [DTLSFingerprint]
    /// The caller's bytes identifying the peer's 5-tuple, input to the HelloVerifyRequest cookie.
    let peerAddress: [UInt8]

    // Owned: created in init, freed in deinit. The SSL owns both BIOs (SSL_set_bio), so freeing
    // it frees them; the two BIO pointers here are borrowed views for BIO_write / BIO_read.
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer

    /// Where the endpoint is in its life.
    public private(set) var state: State = .idle
    /// Why the endpoint failed, once ``state`` is ``State/failed``.
    public private(set) var error: DTLSError?
    /// The SRTP profile negotiated, once the handshake completed.
    public private(set) var negotiatedProfile: SRTPProfile?
    /// The expected fingerprint the peer's certificate matched, once it was checked.
    public private(set) var matchedFingerprint: DTLSFingerprint?
    /// Set by the certificate callback when the peer's certificate matched no expected fingerprint.
    private var rejectedPeerCertificate = false

    /// Creates an endpoint for one peer.
    ///
    /// - Parameters:
    ///   - context: the shared settings and identity.
    ///   - role: ``Role/server`` for the relay, ``Role/client`` for the side that sends the
    ///     ClientHello.
    ///   - peerAddress: bytes that identify the peer's 5-tuple (for example the address family,
    ///     IP and port); a server's HelloVerifyRequest cookie is bound to them. Any stable
    ///     encoding works; a client may pass `[]`.
    ///   - expectedFingerprints: the fingerprints signalled for the peer (SDP `a=fingerprint`).
    ///     The handshake succeeds only if the peer's certificate matches one; an empty list
    ///     matches nothing, so every handshake fails with ``DTLSError/Code/fingerprintMismatch``.
    /// - Throws: ``DTLSError/Code/invalidConfiguration`` if OpenSSL cannot create the connection.
    public init(
        context: DTLSContext,
        role: Role,
        peerAddress: [UInt8],
        expectedFingerprints: [DTLSFingerprint]
    ) throws(DTLSError) {
        OpenSSLErrorStack.clear()
        guard let ssl = SSL_new(context.context) else {
            throw DTLSError(.invalidConfiguration, "SSL_new failed", openSSLErrors: .drain())
        }
        guard let readBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw DTLSError(.invalidConfiguration, "BIO_new failed", openSSLErrors: .drain())
        }
        guard let writeBIO = BIO_new(BIO_s_mem()) else {
            BIO_free(readBIO)
            SSL_free(ssl)
            throw DTLSError(.invalidConfiguration, "BIO_new failed", openSSLErrors: .drain())
        }
        // An empty memory BIO must read as "retry later" (-1), not as end of stream (0).
        _ = COpenSSL_BIO_set_mem_eof_return(readBIO, -1)
        _ = COpenSSL_BIO_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        // After SSL_set_bio: OpenSSL checks the MTU against the BIO's overhead. With
        // SSL_OP_NO_QUERY_MTU (set on the context) it keeps this value for the connection's life.
        guard COpenSSL_SSL_set_mtu(ssl, context.configuration.mtu) != 0 else {
            SSL_free(ssl)
            throw DTLSError(.invalidConfiguration, "OpenSSL refused the MTU", openSSLErrors: .drain())
        }
        DTLS_set_timer_cb(ssl, dtlsRetransmissionTimeout)
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }

        self.context = context
        self.role = role
        self.peerAddress = peerAddress
        self.expectedFingerprints = expectedFingerprints
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        // Unretained: see DTLSEndpoint+Callbacks.swift for why this pointer cannot dangle.
        SSL_set_ex_data(ssl, dtlsEndpointExDataIndex, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        SSL_set_ex_data(self.ssl, dtlsEndpointExDataIndex, nil)
        SSL_free(self.ssl)
    }

    /// Starts the handshake. A client returns its ClientHello; a server returns nothing (its
    /// handshake starts with the client's first datagram).
    ///
    /// Calling it again, or after the endpoint failed or closed, returns an empty output.
    public func start() -> Output {
        var output = Output()
        guard self.state == .idle, self.role == .client else { return output }
        self.state = .handshaking
        self.advanceHandshake(&output)
        self.collectDatagrams(into: &output)
        return output
    }

    /// Feeds one datagram from the peer (DTLS records; the caller has classified it as DTLS by
    /// its first byte, RFC 7983) and returns what to do next.
    ///
    /// Malformed or unexpected records are dropped by OpenSSL or fail the handshake (with an
    /// alert to the peer); neither traps. Datagrams are ignored (an empty output) when empty,
    /// larger than ``maximumDatagramSize``, given to a client before ``start()``, or given after
    /// the endpoint failed or closed.
    public func receive(datagram: Span<UInt8>) -> Output {
        var output = Output()
        guard !datagram.isEmpty, datagram.count <= Self.maximumDatagramSize else { return output }
        switch self.state {
        case .idle:
            guard self.role == .server else { return output }
        case .handshaking, .established:
            break
        case .failed, .closed:
            return output
        }

        let readBIO = self.readBIO
        let written = datagram.withUnsafeBufferPointer { bytes in
            BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count))
        }
        guard written == Int32(datagram.count) else {
            self.fail(DTLSError(.handshakeFailed, "cannot buffer the datagram", openSSLErrors: .drain()), &output)
            return output
        }

        if self.state == .idle {
            // A server: without cookie exchange the first datagram starts the handshake; with it,
            // only a ClientHello carrying a valid cookie does.
            if !self.context.configuration.cookieExchange || self.listen(&output) {
                self.state = .handshaking
            }
        }
        if self.state == .handshaking {
            self.advanceHandshake(&output)
        }
        if self.state == .established {
            // Application data or a close_notify may follow the Finished in the same datagram;
            // after the handshake this also answers a retransmitted final flight.
            self.readApplicationData(&output)
        }
        // One datagram at a time: whatever OpenSSL left unread (only possible for a datagram
        // larger than its read buffer) must not be taken as the start of the next datagram.
        if BIO_ctrl_pending(readBIO) > 0 {
            _ = BIO_ctrl(readBIO, BIO_CTRL_RESET, 0, nil)
        }
        self.collectDatagrams(into: &output)
        return output
    }

    /// How long until ``handleTimeout()`` should be called, or `nil` if no retransmission timer
    /// runs (idle, after the HelloVerifyRequest, once the handshake completed, failed or closed).
    ///
    /// Read it after every call that returned an output; `.zero` means "now".
    public var nextTimeout: Duration? {
        guard self.state == .handshaking || self.state == .established else { return nil }
        var microseconds: UInt64 = 0
        guard COpenSSL_DTLSv1_get_timeout_microseconds(self.ssl, &microseconds) == 1 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// Retransmits the last flight if the retransmission timer has expired; call it when the
    /// timer armed from ``nextTimeout`` fires.
    ///
    /// Returns the retransmitted datagrams, or an empty output if OpenSSL's timer has not expired
    /// yet (then re-arm from ``nextTimeout``). After 12 timeouts in a row OpenSSL gives up: the
    /// output carries ``Event/failed(_:)``.
    public func handleTimeout() -> Output {
        var output = Output()
        guard self.state == .handshaking || self.state == .established else { return output }
        OpenSSLErrorStack.clear()
        if COpenSSL_DTLSv1_handle_timeout(self.ssl) < 0 {
            let errors = OpenSSLErrorStack.drain()
            self.fail(
                DTLSError(.handshakeFailed, "retransmission failed or limit reached", openSSLErrors: errors),
                &output
            )
        }
        self.collectDatagrams(into: &output)
        return output
    }

    /// Sends `close_notify` if the handshake completed, and closes the endpoint: it ignores
    /// everything from now on. Calling it again, or after a failure, returns an empty output.
    public func close() -> Output {
        var output = Output()
        switch self.state {
        case .established:
            OpenSSLErrorStack.clear()
            _ = SSL_shutdown(self.ssl)
            OpenSSLErrorStack.clear()
            self.collectDatagrams(into: &output)
        case .idle, .handshaking:
            break
        case .failed, .closed:
            return output
        }
        self.state = .closed
        return output
    }

    /// Encrypts application data into one DTLS record and returns the datagram to send.
    ///
    /// DTLS-SRTP carries media in SRTP, not here; this is for tests and tools (and a data channel
    /// layer, should one come).
    ///
    /// - Throws: ``DTLSError/Code/invalidState`` unless the handshake completed;
    ///   ``DTLSError/Code/tooLarge`` if `data` does not fit one record within the MTU;
    ///   ``DTLSError/Code/handshakeFailed`` if OpenSSL cannot encrypt it.
    public func send(applicationData data: Span<UInt8>) throws(DTLSError) -> [[UInt8]] {
        guard self.state == .established else {
            throw DTLSError(.invalidState, "application data can only be sent once the handshake completed")
        }
        let limit = DTLS_get_data_mtu(self.ssl)
        guard !data.isEmpty, data.count <= limit else {
            throw DTLSError(.tooLarge, "application data must be 1 to \(limit) bytes")
        }
        OpenSSLErrorStack.clear()
        let ssl = self.ssl
        let written = data.withUnsafeBufferPointer { bytes in
            SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))
        }
        guard written == Int32(data.count) else {
            throw DTLSError(.handshakeFailed, "SSL_write failed", openSSLErrors: .drain())
        }
        var output = Output()
        self.collectDatagrams(into: &output)
        return output.datagrams
    }

    // MARK: - Driving OpenSSL

    /// A listening server's stateless cookie check (`DTLSv1_listen`): answers a ClientHello
    /// without a valid cookie with a HelloVerifyRequest and drops anything else. Returns `true`
    /// when a ClientHello with a valid cookie arrived; OpenSSL keeps it for `SSL_do_handshake`.
    ///
    /// `DTLSv1_listen` rather than `SSL_do_handshake` with `SSL_OP_COOKIE_EXCHANGE`, because
    /// OpenSSL 3.0's handshake state machine ignores a retransmitted cookie-less ClientHello once
    /// it sent a HelloVerifyRequest, so one lost HelloVerifyRequest would stall the handshake, and
    /// it fails the handshake on a wrong cookie; `DTLSv1_listen` answers every such ClientHello
    /// again, as RFC 6347 section 4.2.1 describes, and keeps no state between them.
    private func listen(_ output: inout Output) -> Bool {
        guard let address = BIO_ADDR_new() else {
            self.fail(DTLSError(.handshakeFailed, "BIO_ADDR_new failed", openSSLErrors: .drain()), &output)
            return false
        }
        defer { BIO_ADDR_free(address) }
        OpenSSLErrorStack.clear()
        let result = DTLSv1_listen(self.ssl, address)
        if result == 1 {
            return true
        }
        if result < 0 {
            self.fail(DTLSError(.handshakeFailed, "DTLSv1_listen failed", openSSLErrors: .drain()), &output)
            return false
        }
        // 0: a HelloVerifyRequest was written, or the datagram was not a usable ClientHello.
        OpenSSLErrorStack.clear()
        return false
    }

    /// Runs the handshake as far as the buffered input allows.
    private func advanceHandshake(_ output: inout Output) {
        OpenSSLErrorStack.clear()
        let result = SSL_do_handshake(self.ssl)
        if result == 1 {
            self.completeHandshake(&output)
            return
        }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // Waiting for the peer's next flight; drop any informational entries.
            OpenSSLErrorStack.clear()
        case SSL_ERROR_ZERO_RETURN:
            OpenSSLErrorStack.clear()
            self.state = .closed
            output.events.append(.closed)
        default:
            self.fail(self.classifyFailure(OpenSSLErrorStack.drain()), &output)
        }
    }

    /// Checks the completed handshake and exports the keys, or fails without exporting.
    private func completeHandshake(_ output: inout Output) {
        guard let peerCertificate = SSL_get0_peer_certificate(self.ssl) else {
            self.failAfterHandshake(DTLSError(.peerCertificateMissing, "the peer sent no certificate"), &output)
            return
        }
        // The certificate callback has already checked this; checking again costs one hash per
        // handshake and keeps the rule "no keys without a matching fingerprint" local.
        guard self.acceptPeerCertificate(peerCertificate) else {
            self.failAfterHandshake(
                DTLSError(.fingerprintMismatch, "the peer's certificate matches no expected fingerprint"),
                &output
            )
            return
        }
        guard let selected = SSL_get_selected_srtp_profile(self.ssl),
            let identifier = UInt16(exactly: selected.pointee.id),
            let profile = SRTPProfile(dtlsProtectionProfileID: identifier)
        else {
            self.failAfterHandshake(
                DTLSError(.noCommonSRTPProfile, "no SRTP protection profile was negotiated"),
                &output
            )
            return
        }
        let label = "EXTRACTOR-dtls_srtp"
        var exported = [UInt8](repeating: 0, count: profile.dtlsExportLength)
        // The master keys of both directions: this buffer is wiped once split. (The split copies
        // are ordinary arrays in SRTPKeyingMaterial; SRTPSession wipes its own copy on deinit.)
        defer { exported.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        OpenSSLErrorStack.clear()
        let status = SSL_export_keying_material(
            self.ssl,
            &exported,
            exported.count,
            label,
            label.utf8.count,
            nil,
            0,
            0
        )
        guard status == 1 else {
            self.failAfterHandshake(
                DTLSError(.keyExportFailed, "cannot export EXTRACTOR-dtls_srtp", openSSLErrors: .drain()),
                &output
            )
            return
        }
        let keys: DTLSSRTPKeyingMaterial
        do {
            keys = try DTLSSRTPKeyingMaterial(exported: exported, profile: profile, role: self.role)
        } catch {
            // Unreachable: `exported` has the profile's export length. A failure, not a trap.
            self.failAfterHandshake(
                DTLSError(.keyExportFailed, "exported keying material does not fit \(profile): \(error)"),
                &output
            )
            return
        }
        self.negotiatedProfile = profile
        self.state = .established
        output.events.append(.handshakeCompleted(keys))
    }

    /// Reads decrypted records until OpenSSL needs more input.
    private func readApplicationData(_ output: inout Output) {
        let ssl = self.ssl
        // Bounded: each iteration consumes at least one record of the one datagram just buffered.
        for _ in 0..<256 {
            OpenSSLErrorStack.clear()
            var record: [UInt8]? = nil
            let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16_384) { buffer -> Int32 in
                let result = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
                if result > 0 {
                    record = Array(buffer[0..<Int(result)])
                }
                return result
            }
            if let record {
                output.applicationData.append(record)
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                OpenSSLErrorStack.clear()
            case SSL_ERROR_ZERO_RETURN:
                // The peer's close_notify: answer with ours, then stop.
                OpenSSLErrorStack.clear()
                _ = SSL_shutdown(ssl)
                OpenSSLErrorStack.clear()
                self.state = .closed
                output.events.append(.closed)
            default:
                self.fail(self.classifyFailure(OpenSSLErrorStack.drain()), &output)
            }
            return
        }
    }

    /// Moves everything OpenSSL wrote into datagrams of whole records, each within the MTU.
    private func collectDatagrams(into output: inout Output) {
        let pending = Int(BIO_ctrl_pending(self.writeBIO))
        guard pending > 0, pending <= Int(Int32.max) else { return }
        let writeBIO = self.writeBIO
        let stream = [UInt8](unsafeUninitializedCapacity: pending) { buffer, initialized in
            let read = BIO_read(writeBIO, buffer.baseAddress, Int32(buffer.count))
            initialized = read > 0 ? Int(read) : 0
        }
        DTLSDatagramPacker.pack(stream, mtu: self.context.configuration.mtu, into: &output.datagrams)
    }

    private func fail(_ error: DTLSError, _ output: inout Output) {
        self.state = .failed
        self.error = error
        output.events.append(.failed(error))
    }

    /// Fails after OpenSSL completed the handshake: sends `close_notify` so the peer does not
    /// wait for media, and exports nothing.
    private func failAfterHandshake(_ error: DTLSError, _ output: inout Output) {
        OpenSSLErrorStack.clear()
        _ = SSL_shutdown(self.ssl)
        OpenSSLErrorStack.clear()
        self.fail(error, &output)
    }

    /// Turns OpenSSL's error queue after a failed call into the most specific error.
    private func classifyFailure(_ errors: OpenSSLErrorStack) -> DTLSError {
        if self.rejectedPeerCertificate {
            return DTLSError(
                .fingerprintMismatch,
                "the peer's certificate matches no expected fingerprint",
                openSSLErrors: errors
            )
        }
        for entry in errors.entries where entry.library == ERR_LIB_SSL {
            // OpenSSL records a fatal alert from the peer as reason SSL_AD_REASON_OFFSET + description.
            let alert = entry.reason - SSL_AD_REASON_OFFSET
            if (0...255).contains(alert) {
                return DTLSError(
                    .alertReceived,
                    "the peer sent a fatal alert",
                    alertDescription: UInt8(alert),
                    openSSLErrors: errors
                )
            }
            switch entry.reason {
            case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
                return DTLSError(.peerCertificateMissing, "the peer sent no certificate", openSSLErrors: errors)
            case SSL_R_UNEXPECTED_MESSAGE, SSL_R_UNEXPECTED_RECORD, SSL_R_LENGTH_MISMATCH, SSL_R_BAD_LENGTH,
                SSL_R_EXCESSIVE_MESSAGE_SIZE, SSL_R_BAD_PACKET, SSL_R_RECORD_LENGTH_MISMATCH, SSL_R_BAD_EXTENSION,
                SSL_R_WRONG_VERSION_NUMBER, SSL_R_LENGTH_TOO_SHORT, SSL_R_BAD_HANDSHAKE_LENGTH:
                return DTLSError(.protocolViolation, "the peer broke the DTLS protocol", openSSLErrors: errors)
            default:
                continue
            }
        }
        return DTLSError(.handshakeFailed, "the DTLS handshake failed", openSSLErrors: errors)
    }

    /// Whether `certificate` (an `X509`) matches one of ``expectedFingerprints``; remembers the
    /// match, or the rejection for ``classifyFailure(_:)``. Called from the certificate callback
    /// during the handshake and again when it completes.
    func acceptPeerCertificate(_ certificate: OpaquePointer) -> Bool {
        guard let der = DTLSIdentity.derBytes(of: certificate) else {
            self.rejectedPeerCertificate = true
            return false
        }
        var digests: [DTLSFingerprint.Algorithm: DTLSFingerprint] = [:]
        for expected in self.expectedFingerprints {
            if digests[expected.algorithm] == nil {
                digests[expected.algorithm] = try? DTLSFingerprint(
                    certificateDER: der.span,
                    algorithm: expected.algorithm
                )
            }
            if let actual = digests[expected.algorithm], actual == expected {
                self.matchedFingerprint = expected
                return true
            }
        }
        self.rejectedPeerCertificate = true
        return false
    }
}

@available(*, unavailable)
extension DTLSEndpoint: Sendable {}
