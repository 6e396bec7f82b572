internal import COpenSSL

/// The shared DTLS 1.2 settings every ``DTLSEndpoint`` is made from: one OpenSSL `SSL_CTX` holding
/// the identity, the SRTP profiles to offer, the verification policy and the cookie secret.
///
/// Make one per identity (typically one per process) and create an endpoint per 5-tuple from it.
/// The context fixes what a WebRTC peer expects:
///
/// - DTLS 1.2 only (Chromium, Firefox and aiortc all speak it), ECDHE key exchange with AEAD
///   ciphers, no session tickets, no session cache, no compression, no renegotiation;
/// - the `use_srtp` extension with ``Configuration/srtpProfiles`` in preference order;
/// - the peer's certificate is always requested (a server sends CertificateRequest) and must be
///   present; it is self-signed, so it is not checked against any CA but against the fingerprints
///   the endpoint was given, during the handshake: a mismatch fails the handshake with a
///   `bad_certificate` alert before any key exists;
/// - servers answer a ClientHello without a valid cookie with a HelloVerifyRequest (RFC 6347
///   section 4.2.1). The cookie is an HMAC-SHA256, keyed with a random secret made here, of the
///   caller's bytes identifying the peer's address (``DTLSEndpoint/init(context:role:peerAddress:expectedFingerprints:)``).
///   The secret lives as long as the context: make a new context to rotate it.
///
/// The class owns the `SSL_CTX` and frees it on `deinit` (endpoints keep their context alive).
public final class DTLSContext {
    /// Settings for a ``DTLSContext``. The defaults suit a WebRTC media server.
    public struct Configuration: Sendable {
        /// The SRTP protection profiles to offer (as a client) or accept (as a server), most
        /// preferred first. A server picks the first of these the client also offers.
        /// Default: ``SRTPProfile/preferenceOrder`` (AES-GCM first).
        public var srtpProfiles: [SRTPProfile]
        /// The largest datagram an endpoint sends, in bytes (the DTLS payload, without IP and UDP
        /// headers). 1200 keeps a datagram whole on any path WebRTC expects. 256 to 9000.
        public var mtu: Int
        /// How long to wait for the peer's next flight before the first retransmission
        /// (RFC 6347 section 4.2.4.1 suggests 1 s). Each later timeout doubles, up to
        /// ``maximumRetransmissionTimeout``. 1 ms to 60 s.
        public var initialRetransmissionTimeout: Duration
        /// The longest retransmission timeout. At least ``initialRetransmissionTimeout``, at most
        /// 60 s. OpenSSL gives up after 12 timeouts in a row.
        public var maximumRetransmissionTimeout: Duration
        /// Whether a server demands a cookie round trip (HelloVerifyRequest) before it commits to
        /// a handshake. Default `true`.
        public var cookieExchange: Bool
        /// The OpenSSL cipher list for DTLS 1.2. Default: ECDHE with ECDSA or RSA signatures and
        /// AES-GCM or ChaCha20-Poly1305 only.
        public var cipherList: String
        /// The key exchange groups, most preferred first. Default `X25519:P-256:P-384`.
        public var groups: String

        /// The defaults.
        public init() {
            self.srtpProfiles = SRTPProfile.preferenceOrder
            self.mtu = 1200
            self.initialRetransmissionTimeout = .seconds(1)
            self.maximumRetransmissionTimeout = .seconds(60)
            self.cookieExchange = true
            self.cipherList =
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                + "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"
            self.groups = "X25519:P-256:P-384"
        }
    }

    // Owned: created in init, freed in deinit. Endpoints hold the context, so it outlives them.
    let context: OpaquePointer

    /// The certificate and key every endpoint of this context presents.
    public let identity: DTLSIdentity
    /// The settings this context was made with.
    public let configuration: Configuration

    /// The HMAC key for HelloVerifyRequest cookies: random, never leaves the process.
    private let cookieSecret: [UInt8]
    /// The length of a cookie: one HMAC-SHA256.
    static let cookieLength = 32
    /// ``Configuration/initialRetransmissionTimeout`` in microseconds, for OpenSSL's timer callback.
    let initialTimeoutMicroseconds: UInt32
    /// ``Configuration/maximumRetransmissionTimeout`` in microseconds.
    let maximumTimeoutMicroseconds: UInt32

    /// Creates a context.
    ///
    /// - Throws: ``DTLSError/Code/invalidConfiguration`` if a setting is out of range or OpenSSL
    ///   refuses it (an empty or unknown cipher list, no profile); ``DTLSError/Code/invalidCertificate``
    ///   if OpenSSL refuses the identity; ``DTLSError/Code/keyGenerationFailed`` if no random
    ///   cookie secret can be drawn.
    public init(identity: DTLSIdentity, configuration: Configuration = Configuration()) throws(DTLSError) {
        let initial = try Self.microseconds(configuration.initialRetransmissionTimeout)
        let maximum = try Self.microseconds(configuration.maximumRetransmissionTimeout)
        guard initial >= 1_000, maximum >= initial, maximum <= 60_000_000 else {
            throw DTLSError(
                .invalidConfiguration,
                "retransmission timeouts must satisfy 1 ms <= initial <= maximum <= 60 s"
            )
        }
        guard (256...9_000).contains(configuration.mtu) else {
            throw DTLSError(.invalidConfiguration, "MTU must be 256 to 9000 bytes")
        }
        guard !configuration.srtpProfiles.isEmpty else {
            throw DTLSError(.invalidConfiguration, "at least one SRTP profile is required")
        }

        var secret = [UInt8](repeating: 0, count: 32)
        OpenSSLErrorStack.clear()
        guard RAND_bytes(&secret, Int32(secret.count)) == 1 else {
            throw DTLSError(.keyGenerationFailed, "cannot draw the cookie secret", openSSLErrors: .drain())
        }
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw DTLSError(.invalidConfiguration, "SSL_CTX_new(DTLS_method()) failed", openSSLErrors: .drain())
        }
        do {
            try Self.configure(context, identity: identity, configuration: configuration)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        self.identity = identity
        self.configuration = configuration
        self.cookieSecret = secret
        self.initialTimeoutMicroseconds = initial
        self.maximumTimeoutMicroseconds = maximum
    }

    deinit {
        SSL_CTX_free(self.context)
    }

    /// The HelloVerifyRequest cookie for a peer address: HMAC-SHA256(secret, address).
    ///
    /// Called from OpenSSL's cookie callbacks; `nil` if OpenSSL cannot compute the MAC.
    func cookie(for peerAddress: [UInt8]) -> [UInt8]? {
        var mac = [UInt8](repeating: 0, count: Self.cookieLength)
        var length = 0
        let result = self.cookieSecret.withUnsafeBufferPointer { key in
            peerAddress.withUnsafeBufferPointer { address in
                mac.withUnsafeMutableBufferPointer { output in
                    EVP_Q_mac(
                        nil,
                        "HMAC",
                        nil,
                        "SHA256",
                        nil,
                        key.baseAddress,
                        key.count,
                        address.baseAddress,
                        address.count,
                        output.baseAddress,
                        output.count,
                        &length
                    )
                }
            }
        }
        guard result != nil, length == Self.cookieLength else { return nil }
        return mac
    }

    private static func configure(
        _ context: OpaquePointer,
        identity: DTLSIdentity,
        configuration: Configuration
    ) throws(DTLSError) {
        func check(_ ok: Bool, _ code: DTLSError.Code, _ reason: String) throws(DTLSError) {
            if !ok { throw DTLSError(code, reason, openSSLErrors: .drain()) }
        }
        try check(
            COpenSSL_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1
                && COpenSSL_SSL_CTX_set_max_proto_version(context, DTLS1_2_VERSION) == 1,
            .invalidConfiguration,
            "cannot restrict the context to DTLS 1.2"
        )
        try check(
            SSL_CTX_use_certificate(context, identity.certificate) == 1
                && SSL_CTX_use_PrivateKey(context, identity.privateKey) == 1
                && SSL_CTX_check_private_key(context) == 1,
            .invalidCertificate,
            "OpenSSL refused the certificate or key"
        )
        try check(
            SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1,
            .invalidConfiguration,
            "OpenSSL refused the cipher list"
        )
        try check(
            COpenSSL_SSL_CTX_set1_groups_list(context, configuration.groups) == 1,
            .invalidConfiguration,
            "OpenSSL refused the group list"
        )
        let profiles = configuration.srtpProfiles.map(\.openSSLName).joined(separator: ":")
        // Unlike most of OpenSSL, SSL_CTX_set_tlsext_use_srtp returns 0 on success.
        try check(
            SSL_CTX_set_tlsext_use_srtp(context, profiles) == 0,
            .invalidConfiguration,
            "OpenSSL refused the SRTP profiles \(profiles)"
        )

        var options =
            COpenSSL_SSL_OP_NO_QUERY_MTU() | COpenSSL_SSL_OP_NO_TICKET() | COpenSSL_SSL_OP_NO_COMPRESSION()
            | COpenSSL_SSL_OP_NO_RENEGOTIATION() | COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE()
        if configuration.cookieExchange {
            options |= COpenSSL_SSL_OP_COOKIE_EXCHANGE()
        }
        _ = COpenSSL_SSL_CTX_set_options(context, options)
        _ = COpenSSL_SSL_CTX_set_read_ahead(context, 1)
        _ = COpenSSL_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))

        // Request the peer's certificate and insist on one; the chain is judged by our own
        // callback (a fingerprint check), never against a CA store.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        SSL_CTX_set_cert_verify_callback(context, dtlsVerifyPeerCertificate, nil)
        SSL_CTX_set_cookie_generate_cb(context, dtlsGenerateCookie)
        SSL_CTX_set_cookie_verify_cb(context, dtlsVerifyCookie)
    }

    private static func microseconds(_ duration: Duration) throws(DTLSError) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, seconds <= 3_600, attoseconds >= 0 else {
            throw DTLSError(.invalidConfiguration, "retransmission timeouts must be between 1 ms and 60 s")
        }
        return UInt32(seconds) * 1_000_000 + UInt32(attoseconds / 1_000_000_000_000)
    }
}

// Every stored property is a `let`. The SSL_CTX is configured completely in init and never
// modified afterwards; OpenSSL allows an unmodified SSL_CTX to be used by several threads at once
// (SSL_new takes a reference with an atomic count; the session cache, which would be shared
// mutable state, is off). The cookie secret is an immutable array. So endpoints on different
// worker threads may share one context.
extension DTLSContext: @unchecked Sendable {}
