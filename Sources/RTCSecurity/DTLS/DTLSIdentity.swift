internal import COpenSSL

/// A DTLS certificate and its private key: what an endpoint presents in the handshake, and the
/// fingerprint SDP announces for it.
///
/// WebRTC certificates are self-signed; peers trust them through the fingerprint exchanged in SDP.
/// Make one at start with ``generate(commonName:validityDays:)`` (an ECDSA P-256 key, as Chromium
/// and aiortc use) or load one with ``init(certificatePEM:privateKeyPEM:)``.
///
/// The class owns one OpenSSL `EVP_PKEY` and one `X509` and frees them on `deinit`.
public final class DTLSIdentity {
    // Owned: created or loaded in init, freed in deinit, never handed out except to
    // SSL_CTX_use_certificate / SSL_CTX_use_PrivateKey, which take their own references.
    let privateKey: OpaquePointer
    let certificate: OpaquePointer

    /// The certificate in DER form.
    public let certificateDER: [UInt8]

    /// The certificate's SHA-256 fingerprint, the one to put in SDP (`a=fingerprint:` + its
    /// ``DTLSFingerprint/sdpValue``).
    public let fingerprint: DTLSFingerprint

    /// The longest common name ``generate(commonName:validityDays:)`` accepts (X.520's upper bound).
    public static let maximumCommonNameLength = 64

    private init(takingPrivateKey privateKey: OpaquePointer, certificate: OpaquePointer) throws(DTLSError) {
        // Ownership passes to self only once every check passed; the failure paths free here.
        guard let der = Self.derBytes(of: certificate) else {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw DTLSError(.invalidCertificate, "cannot encode the certificate as DER", openSSLErrors: .drain())
        }
        let fingerprint: DTLSFingerprint
        do {
            fingerprint = try DTLSFingerprint(certificateDER: der.span, algorithm: .sha256)
        } catch {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw error
        }
        self.privateKey = privateKey
        self.certificate = certificate
        self.certificateDER = der
        self.fingerprint = fingerprint
    }

    deinit {
        X509_free(self.certificate)
        EVP_PKEY_free(self.privateKey)
    }

    /// Generates an ECDSA P-256 key and a self-signed certificate for it.
    ///
    /// The certificate has a random positive 63-bit serial, subject and issuer `CN=<commonName>`,
    /// validity from one day before now (tolerating clock skew between peers) to `validityDays`
    /// after now, and an ECDSA-with-SHA256 signature. OpenSSL reads the system clock for "now".
    ///
    /// - Parameters:
    ///   - commonName: the subject's common name; 1 to ``maximumCommonNameLength`` bytes of UTF-8.
    ///   - validityDays: how long the certificate stays valid, 1 to 3650 days. Peers do not check
    ///     it in WebRTC, but a short life limits what a leaked key is worth.
    /// - Throws: ``DTLSError/Code/invalidConfiguration`` for an out-of-range argument;
    ///   ``DTLSError/Code/keyGenerationFailed`` or ``DTLSError/Code/invalidCertificate`` if OpenSSL
    ///   fails.
    public static func generate(
        commonName: String = "parley",
        validityDays: Int = 30
    ) throws(DTLSError) -> DTLSIdentity {
        let name = Array(commonName.utf8)
        guard !name.isEmpty, name.count <= Self.maximumCommonNameLength else {
            throw DTLSError(.invalidConfiguration, "common name must be 1 to \(Self.maximumCommonNameLength) bytes")
        }
        guard (1...3650).contains(validityDays) else {
            throw DTLSError(.invalidConfiguration, "validity must be 1 to 3650 days")
        }
        OpenSSLErrorStack.clear()
        let privateKey = try Self.generateP256Key()
        guard let certificate = X509_new() else {
            EVP_PKEY_free(privateKey)
            throw DTLSError(.invalidCertificate, "X509_new failed", openSSLErrors: .drain())
        }
        guard Self.fill(certificate: certificate, key: privateKey, commonName: name, validityDays: validityDays) else {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw DTLSError(.invalidCertificate, "cannot build the self-signed certificate", openSSLErrors: .drain())
        }
        return try DTLSIdentity(takingPrivateKey: privateKey, certificate: certificate)
    }

    /// Loads a certificate and its private key from PEM text.
    ///
    /// `certificatePEM` may hold a chain: the first certificate is used. The key must be
    /// unencrypted (PKCS#8 `PRIVATE KEY` or a traditional `EC PRIVATE KEY`/`RSA PRIVATE KEY`); an
    /// encrypted key is refused, never prompted for.
    ///
    /// - Throws: ``DTLSError/Code/invalidCertificate`` if either cannot be read or the key does not
    ///   belong to the certificate.
    public convenience init(certificatePEM: String, privateKeyPEM: String) throws(DTLSError) {
        OpenSSLErrorStack.clear()
        guard let certificate = Self.readPEM(certificatePEM, { bio in PEM_read_bio_X509(bio, nil, nil, nil) }) else {
            throw DTLSError(.invalidCertificate, "cannot read the PEM certificate", openSSLErrors: .drain())
        }
        guard
            let privateKey = Self.readPEM(
                privateKeyPEM,
                { bio in PEM_read_bio_PrivateKey(bio, nil, dtlsRefusePassword, nil) }
            )
        else {
            X509_free(certificate)
            throw DTLSError(.invalidCertificate, "cannot read the PEM private key", openSSLErrors: .drain())
        }
        guard X509_check_private_key(certificate, privateKey) == 1 else {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw DTLSError(
                .invalidCertificate,
                "the private key does not belong to the certificate",
                openSSLErrors: .drain()
            )
        }
        try self.init(takingPrivateKey: privateKey, certificate: certificate)
    }

    /// The certificate as PEM text (`-----BEGIN CERTIFICATE-----`).
    public var certificatePEM: String {
        Self.writePEM { bio in PEM_write_bio_X509(bio, self.certificate) }
    }

    /// The private key as unencrypted PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// This is a secret: write it only to files only the server can read.
    public var privateKeyPEM: String {
        Self.writePEM { bio in PEM_write_bio_PrivateKey(bio, self.privateKey, nil, nil, 0, nil, nil) }
    }

    /// The certificate's fingerprint with the given hash function.
    ///
    /// - Throws: ``DTLSError/Code/invalidFingerprint`` if OpenSSL cannot compute the digest.
    public func fingerprint(_ algorithm: DTLSFingerprint.Algorithm) throws(DTLSError) -> DTLSFingerprint {
        try DTLSFingerprint(certificateDER: self.certificateDER, algorithm: algorithm)
    }

    /// The DER encoding of an `X509`, or `nil` if OpenSSL cannot encode it.
    static func derBytes(of certificate: OpaquePointer) -> [UInt8]? {
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { return nil }
        var written: Int32 = 0
        let der = [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            // i2d_X509 writes at *pointer and advances it; it writes exactly `length` bytes.
            var cursor = buffer.baseAddress
            written = i2d_X509(certificate, &cursor)
            initialized = written == length ? Int(length) : 0
        }
        return written == length ? der : nil
    }

    private static func generateP256Key() throws(DTLSError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw DTLSError(.keyGenerationFailed, "EVP_PKEY_CTX_new_from_name(EC) failed", openSSLErrors: .drain())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
            EVP_PKEY_generate(context, &key) == 1,
            let key
        else {
            throw DTLSError(.keyGenerationFailed, "cannot generate a P-256 key", openSSLErrors: .drain())
        }
        return key
    }

    /// Fills a fresh `X509` as a self-signed v3 certificate for `key`; `false` on any failure.
    private static func fill(
        certificate: OpaquePointer,
        key: OpaquePointer,
        commonName: [UInt8],
        validityDays: Int
    ) -> Bool {
        var serialBytes = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1 else { return false }
        var serial: UInt64 = 0
        for byte in serialBytes { serial = serial << 8 | UInt64(byte) }
        // Positive (top bit clear, as DER INTEGER serials must be) and never zero.
        serial = (serial & 0x7FFF_FFFF_FFFF_FFFF) | 1

        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1,
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), serial) == 1,
            X509_gmtime_adj(X509_getm_notBefore(certificate), -86_400) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), validityDays * 86_400) != nil,
            let subject = X509_get_subject_name(certificate),
            X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, commonName, Int32(commonName.count), -1, 0) == 1,
            X509_set_issuer_name(certificate, subject) == 1,
            X509_set_pubkey(certificate, key) == 1,
            X509_sign(certificate, key, EVP_sha256()) > 0
        else {
            return false
        }
        return true
    }

    /// Runs `read` over a read-only memory BIO holding `text`; returns what it produced.
    private static func readPEM(
        _ text: String,
        _ read: (OpaquePointer) -> OpaquePointer?
    ) -> OpaquePointer? {
        var bytes = Array(text.utf8)
        guard bytes.count < Int(Int32.max) else { return nil }
        return bytes.withUnsafeMutableBytes { buffer -> OpaquePointer? in
            // The BIO borrows `buffer` and is freed before the closure returns.
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    /// Runs `write` into a memory BIO and returns the text written (empty on failure).
    private static func writePEM(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else {
            OpenSSLErrorStack.clear()
            return ""
        }
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0, pending < Int(Int32.max) else { return "" }
        let bytes = [UInt8](unsafeUninitializedCapacity: pending) { buffer, initialized in
            let read = BIO_read(bio, buffer.baseAddress, Int32(pending))
            initialized = read > 0 ? Int(read) : 0
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The PEM password callback: refuses (returns no password). Without a callback OpenSSL would
/// prompt on the terminal for an encrypted key.
private func dtlsRefusePassword(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int32,
    _ writing: Int32,
    _ context: UnsafeMutableRawPointer?
) -> Int32 {
    0
}

// Every stored property is a `let`; the OpenSSL objects are never modified after init, only read
// (DER/PEM encoding) or given to SSL_CTX_use_certificate/SSL_CTX_use_PrivateKey, which take a
// reference with OpenSSL's atomic reference count. OpenSSL 3 allows concurrent reads of an
// X509/EVP_PKEY (its lazily cached X509 extension data is computed under a lock), so one identity
// may serve every worker thread.
extension DTLSIdentity: @unchecked Sendable {}
