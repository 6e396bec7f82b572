internal import COpenSSL

// OpenSSL calls back into Swift through C function pointers that carry no context. Each callback
// finds its endpoint through the SSL object's ex_data slot, which holds an *unretained* pointer to
// the DTLSEndpoint that owns the SSL. That is sound because the endpoint owns the SSL (frees it in
// deinit, after clearing the slot) and OpenSSL only calls these from inside SSL_do_handshake,
// SSL_read, SSL_write or DTLSv1_handle_timeout, which only the endpoint's own methods call, on the
// endpoint's thread, while it is alive. Nothing is retained, so nothing leaks.

/// The SSL ex_data slot holding the owning endpoint. Swift initialises a global once, thread-safely.
let dtlsEndpointExDataIndex: Int32 = COpenSSL_SSL_get_ex_new_index()

extension DTLSEndpoint {
    /// The endpoint that owns `ssl`, or `nil` if the slot is empty.
    static func owner(of ssl: OpaquePointer) -> DTLSEndpoint? {
        guard let pointer = SSL_get_ex_data(ssl, dtlsEndpointExDataIndex) else { return nil }
        return Unmanaged<DTLSEndpoint>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// `SSL_CTX_set_cookie_generate_cb`: writes HMAC(secret, peer address) into OpenSSL's cookie buffer
/// (which holds DTLS1_COOKIE_LENGTH, 255, bytes; ours is 32).
func dtlsGenerateCookie(
    _ ssl: OpaquePointer?,
    _ cookie: UnsafeMutablePointer<UInt8>?,
    _ cookieLength: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guard let ssl, let cookie, let cookieLength, let endpoint = DTLSEndpoint.owner(of: ssl),
        let mac = endpoint.context.cookie(for: endpoint.peerAddress),
        mac.count <= Int(DTLS1_COOKIE_LENGTH)
    else {
        return 0
    }
    for (index, byte) in mac.enumerated() {
        cookie[index] = byte
    }
    cookieLength.pointee = UInt32(mac.count)
    return 1
}

/// `SSL_CTX_set_cookie_verify_cb`: 1 if the cookie the client echoed is the one we would make
/// for its address, compared in constant time.
func dtlsVerifyCookie(
    _ ssl: OpaquePointer?,
    _ cookie: UnsafePointer<UInt8>?,
    _ cookieLength: UInt32
) -> Int32 {
    guard let ssl, let cookie, let endpoint = DTLSEndpoint.owner(of: ssl),
        let expected = endpoint.context.cookie(for: endpoint.peerAddress),
        Int(cookieLength) == expected.count
    else {
        return 0
    }
    let differs = expected.withUnsafeBufferPointer { expected in
        CRYPTO_memcmp(expected.baseAddress, cookie, expected.count)
    }
    return differs == 0 ? 1 : 0
}

/// `SSL_CTX_set_cert_verify_callback`: replaces chain verification. WebRTC certificates are
/// self-signed and trusted through SDP, so the only check is the leaf's fingerprint against the
/// endpoint's expected ones. Returning 0 makes OpenSSL send a `bad_certificate` alert and fail the
/// handshake there, before either side can derive keys.
func dtlsVerifyPeerCertificate(_ store: OpaquePointer?, _: UnsafeMutableRawPointer?) -> Int32 {
    guard let store, let leaf = X509_STORE_CTX_get0_cert(store),
        let sslPointer = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
        let endpoint = DTLSEndpoint.owner(of: OpaquePointer(sslPointer))
    else {
        return 0
    }
    if endpoint.acceptPeerCertificate(leaf) {
        X509_STORE_CTX_set_error(store, X509_V_OK)
        return 1
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
    return 0
}

/// `DTLS_set_timer_cb`: the next retransmission timeout in microseconds, given the previous one
/// (0 when the timer starts): the configured initial value, then doubling up to the maximum.
func dtlsRetransmissionTimeout(_ ssl: OpaquePointer?, _ previous: UInt32) -> UInt32 {
    guard let ssl, let endpoint = DTLSEndpoint.owner(of: ssl) else { return 1_000_000 }
    let initial = endpoint.context.initialTimeoutMicroseconds
    let maximum = endpoint.context.maximumTimeoutMicroseconds
    guard previous > 0 else { return initial }
    let (doubled, overflow) = previous.multipliedReportingOverflow(by: 2)
    return overflow ? maximum : min(doubled, maximum)
}
