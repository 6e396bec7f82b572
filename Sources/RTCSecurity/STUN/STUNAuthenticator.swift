internal import COpenSSL
public import RTCWire

/// Checks and writes STUN MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 section 14.5) with OpenSSL 3's
/// `EVP_MAC` API; owns one HMAC context and reuses it for every message.
///
/// Make one per worker thread and keep it: creating it fetches the HMAC implementation, while a
/// check only re-keys the context and hashes the message in place (no copy of the message, no heap
/// allocation on Parley's side). It is not thread-safe.
///
/// Keys: for ICE and other short-term credentials the key is the password's UTF-8 bytes (ICE
/// passwords are plain `ice-char`s, so SASLprep changes nothing): use the `password:` methods. For
/// long-term credentials (RFC 8489 section 9.2.2) pass the derived key, such as
/// MD5(username ":" realm ":" password), to the `key:` methods. An empty key is never used.
///
/// Verifying:
///
/// ```swift
/// let message = try STUNMessage(parsing: datagram, fingerprint: .require)
/// guard authenticator.isAuthentic(message, in: datagram, password: localPassword) else { ... 401 }
/// ```
///
/// Signing: build with `STUNMessageWriter`, then ``appendIntegrityAndFingerprint(to:writer:password:)``.
public final class STUNAuthenticator {
    // Owned: fetched and created in init, freed in deinit, never shared outside this object.
    private let mac: OpaquePointer
    private let context: OpaquePointer

    /// Fetches HMAC and creates a context set to SHA-1.
    ///
    /// - Throws: ``STUNIntegrityError/Code/library`` if OpenSSL cannot provide HMAC-SHA1.
    public init() throws(STUNIntegrityError) {
        // So that an error carries only what these calls pushed.
        OpenSSLErrorStack.clear()
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            throw STUNIntegrityError.library("EVP_MAC_fetch")
        }
        guard let context = EVP_MAC_CTX_new(mac) else {
            EVP_MAC_free(mac)
            throw STUNIntegrityError.library("EVP_MAC_CTX_new")
        }
        // The digest is set once here; each message only supplies a key to EVP_MAC_init.
        var digest = Array("SHA1".utf8CString)
        let status = digest.withUnsafeMutableBufferPointer { name in
            var parameters = [
                OSSL_PARAM_construct_utf8_string("digest", name.baseAddress, 0),
                OSSL_PARAM_construct_end(),
            ]
            return EVP_MAC_CTX_set_params(context, &parameters)
        }
        guard status == 1 else {
            EVP_MAC_CTX_free(context)
            EVP_MAC_free(mac)
            throw STUNIntegrityError.library("EVP_MAC_CTX_set_params")
        }
        self.mac = mac
        self.context = context
    }

    deinit {
        EVP_MAC_CTX_free(self.context)
        EVP_MAC_free(self.mac)
    }

    /// The MESSAGE-INTEGRITY tag length (HMAC-SHA1).
    public static let tagLength = 20

    // MARK: Verifying

    /// Whether `message` carries a MESSAGE-INTEGRITY that verifies with a short-term password.
    ///
    /// - Parameters:
    ///   - message: parsed from `bytes`.
    ///   - bytes: the datagram `message` was parsed from.
    ///   - password: the ICE password (the receiver's own, for a request it receives).
    /// - Returns: `false` if MESSAGE-INTEGRITY is absent, the tag differs (compared in constant
    ///   time), the password is empty, `bytes` are not the parsed bytes, or OpenSSL fails.
    public func isAuthentic(_ message: STUNMessage, in bytes: Span<UInt8>, password: String) -> Bool {
        var password = password
        return password.withUTF8 { key in
            self.isAuthentic(message, in: bytes, rawKey: UnsafeRawBufferPointer(key))
        }
    }

    /// Whether `message` carries a MESSAGE-INTEGRITY that verifies with `key` (for long-term
    /// credentials, the derived key; RFC 5769 section 2.4).
    ///
    /// - Returns: `false` in the same cases as ``isAuthentic(_:in:password:)``.
    public func isAuthentic(_ message: STUNMessage, in bytes: Span<UInt8>, key: Span<UInt8>) -> Bool {
        key.withUnsafeBytes { key in
            self.isAuthentic(message, in: bytes, rawKey: key)
        }
    }

    /// Convenience for tests and tools: ``isAuthentic(_:in:password:)`` over an array.
    public func isAuthentic(_ message: STUNMessage, in bytes: [UInt8], password: String) -> Bool {
        self.isAuthentic(message, in: bytes.span, password: password)
    }

    /// Convenience for tests and tools: ``isAuthentic(_:in:key:)`` over arrays.
    public func isAuthentic(_ message: STUNMessage, in bytes: [UInt8], key: [UInt8]) -> Bool {
        self.isAuthentic(message, in: bytes.span, key: key.span)
    }

    private func isAuthentic(_ message: STUNMessage, in bytes: Span<UInt8>, rawKey: UnsafeRawBufferPointer) -> Bool {
        guard let layout = message.messageIntegrity, bytes.count == message.byteCount else { return false }
        return bytes.withUnsafeBytes { message in
            withUnsafeTemporaryAllocation(byteCount: Int(EVP_MAX_MD_SIZE), alignment: 1) { tag in
                guard self.computeTag(over: message, layout: layout, key: rawKey, into: tag) else {
                    OpenSSLErrorStack.clear()
                    return false
                }
                guard let received = message.baseAddress, let computed = tag.baseAddress else { return false }
                // CRYPTO_memcmp takes the same time wherever the first difference is, so a forger
                // learns nothing about how much of a guessed tag was right.
                return CRYPTO_memcmp(received + layout.tagRange.lowerBound, computed, Self.tagLength) == 0
            }
        }
    }

    // MARK: Signing

    /// Writes the HMAC into the MESSAGE-INTEGRITY placeholder `layout` describes, keyed with a
    /// short-term password. Then append FINGERPRINT, if any.
    ///
    /// - Parameter layout: from `STUNMessageWriter.reserveMessageIntegrity(in:)` on `bytes`.
    /// - Throws: ``STUNIntegrityError`` (`emptyKey`, `invalidLayout`, `library`); `bytes` is then
    ///   unchanged.
    public func sign(_ bytes: inout [UInt8], layout: STUNIntegrityLayout, password: String) throws(STUNIntegrityError) {
        try Self.withKey(password) { (key) throws(STUNIntegrityError) in
            try self.sign(&bytes, layout: layout, rawKey: key)
        }
    }

    /// Writes the HMAC into the MESSAGE-INTEGRITY placeholder `layout` describes, keyed with `key`.
    ///
    /// - Throws: as ``sign(_:layout:password:)``.
    public func sign(_ bytes: inout [UInt8], layout: STUNIntegrityLayout, key: Span<UInt8>) throws(STUNIntegrityError) {
        try key.withUnsafeBytes { (key) throws(STUNIntegrityError) in
            try self.sign(&bytes, layout: layout, rawKey: key)
        }
    }

    /// Finishes a message built with `writer`: appends MESSAGE-INTEGRITY keyed with `password`, then
    /// FINGERPRINT over it.
    ///
    /// - Throws: ``STUNIntegrityError``; on failure `bytes` may hold a partial message: discard it.
    public func appendIntegrityAndFingerprint(
        to bytes: inout [UInt8],
        writer: STUNMessageWriter,
        password: String
    ) throws(STUNIntegrityError) {
        try Self.withKey(password) { (key) throws(STUNIntegrityError) in
            try self.appendIntegrityAndFingerprint(to: &bytes, writer: writer, rawKey: key)
        }
    }

    /// Finishes a message built with `writer`: appends MESSAGE-INTEGRITY keyed with `key`, then
    /// FINGERPRINT.
    ///
    /// - Throws: as ``appendIntegrityAndFingerprint(to:writer:password:)``.
    public func appendIntegrityAndFingerprint(
        to bytes: inout [UInt8],
        writer: STUNMessageWriter,
        key: Span<UInt8>
    ) throws(STUNIntegrityError) {
        try key.withUnsafeBytes { (key) throws(STUNIntegrityError) in
            try self.appendIntegrityAndFingerprint(to: &bytes, writer: writer, rawKey: key)
        }
    }

    private func appendIntegrityAndFingerprint(
        to bytes: inout [UInt8],
        writer: STUNMessageWriter,
        rawKey: UnsafeRawBufferPointer
    ) throws(STUNIntegrityError) {
        // Checked before anything is appended, so a bad key leaves no placeholder behind.
        guard rawKey.count > 0 else { throw STUNIntegrityError(.emptyKey, "STUN sign") }
        let layout: STUNIntegrityLayout
        do {
            layout = try writer.reserveMessageIntegrity(in: &bytes)
        } catch {
            throw STUNIntegrityError(.wire, "STUNMessageWriter.reserveMessageIntegrity", message: error.description)
        }
        try self.sign(&bytes, layout: layout, rawKey: rawKey)
        do {
            try writer.appendFingerprint(to: &bytes)
        } catch {
            throw STUNIntegrityError(.wire, "STUNMessageWriter.appendFingerprint", message: error.description)
        }
    }

    private func sign(
        _ bytes: inout [UInt8],
        layout: STUNIntegrityLayout,
        rawKey: UnsafeRawBufferPointer
    ) throws(STUNIntegrityError) {
        guard rawKey.count > 0 else { throw STUNIntegrityError(.emptyKey, "STUN sign") }
        // The layout must point at a 20-byte MESSAGE-INTEGRITY attribute inside this array.
        let offset = layout.attributeOffset
        guard layout.tagLength == Self.tagLength, layout.messageStart >= 0,
            offset >= layout.messageStart + 20, layout.tagRange.upperBound <= bytes.count,
            bytes[offset] == 0x00, bytes[offset + 1] == 0x08, bytes[offset + 2] == 0x00, bytes[offset + 3] == 20
        else {
            throw STUNIntegrityError(.invalidLayout, "STUN sign")
        }
        OpenSSLErrorStack.clear()
        try withUnsafeTemporaryAllocation(byteCount: Int(EVP_MAX_MD_SIZE), alignment: 1) {
            (tag) throws(STUNIntegrityError) in
            let computed = bytes.withUnsafeBytes { message in
                self.computeTag(over: message, layout: layout, key: rawKey, into: tag)
            }
            guard computed else { throw STUNIntegrityError.library("HMAC-SHA1") }
            for index in 0..<Self.tagLength {
                bytes[layout.tagRange.lowerBound + index] = tag[index]
            }
        }
    }

    // MARK: HMAC

    /// Calls `body` with the password's UTF-8 bytes, in place (a native string is contiguous).
    private static func withKey(
        _ password: String,
        _ body: (UnsafeRawBufferPointer) throws(STUNIntegrityError) -> Void
    ) throws(STUNIntegrityError) {
        var password = password
        // `withUTF8` rethrows untyped errors, so the typed error travels out as a Result.
        let result: Result<Void, STUNIntegrityError> = password.withUTF8 { key in
            do throws(STUNIntegrityError) {
                try body(UnsafeRawBufferPointer(key))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// HMAC-SHA1 of the input `layout` describes (message type, substituted length, then cookie,
    /// transaction ID and attributes up to MESSAGE-INTEGRITY), written to the start of `tag`.
    /// Hashes the three pieces in place: the message is never copied.
    private func computeTag(
        over message: UnsafeRawBufferPointer,
        layout: STUNIntegrityLayout,
        key: UnsafeRawBufferPointer,
        into tag: UnsafeMutableRawBufferPointer
    ) -> Bool {
        // OpenSSL's HMAC treats a NULL or empty key as "reuse the previous key": refuse it, or a
        // message would verify with whichever password was used last on this context.
        guard key.count > 0, let keyBase = key.baseAddress, let messageBase = message.baseAddress,
            let tagBase = tag.baseAddress, tag.count >= Self.tagLength,
            layout.messageStart >= 0, layout.coveredRange.lowerBound <= layout.coveredRange.upperBound,
            layout.tagRange.upperBound <= message.count
        else { return false }
        let lengthField = layout.lengthField
        let length: (UInt8, UInt8) = (
            UInt8(truncatingIfNeeded: lengthField >> 8), UInt8(truncatingIfNeeded: lengthField)
        )
        let bytes = messageBase.assumingMemoryBound(to: UInt8.self)
        let typeStart = bytes + layout.typeRange.lowerBound
        let coveredStart = bytes + layout.coveredRange.lowerBound
        var tagLength = 0
        let ok = withUnsafeBytes(of: length) { lengthBytes in
            EVP_MAC_init(self.context, keyBase.assumingMemoryBound(to: UInt8.self), key.count, nil) == 1
                && EVP_MAC_update(self.context, typeStart, 2) == 1
                && EVP_MAC_update(self.context, lengthBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), 2) == 1
                && EVP_MAC_update(self.context, coveredStart, layout.coveredRange.count) == 1
                && EVP_MAC_final(self.context, tagBase.assumingMemoryBound(to: UInt8.self), &tagLength, tag.count) == 1
        }
        return ok && tagLength == Self.tagLength
    }
}

@available(*, unavailable)
extension STUNAuthenticator: Sendable {}
