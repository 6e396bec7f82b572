internal import COpenSSL

/// A certificate fingerprint: a hash of the certificate's DER bytes, as SDP signals it
/// (`a=fingerprint:sha-256 AB:CD:...`, RFC 8122).
///
/// WebRTC peers trust each other's self-signed DTLS certificates only through this value: the
/// signalling channel carries the fingerprint, and a ``DTLSEndpoint`` fails the handshake when the
/// certificate the peer presents hashes to none of the fingerprints it was given.
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// A hash function a fingerprint may use. SHA-1 and MD5 (allowed by older RFCs) are refused.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// SHA-256: 32 bytes, what browsers send.
        case sha256 = "sha-256"
        /// SHA-384: 48 bytes.
        case sha384 = "sha-384"
        /// SHA-512: 64 bytes.
        case sha512 = "sha-512"

        /// The digest length in bytes.
        public var digestLength: Int {
            switch self {
            case .sha256: return 32
            case .sha384: return 48
            case .sha512: return 64
            }
        }

        /// The SDP name (the IANA hash function textual name), for example `sha-256`.
        public var description: String {
            self.rawValue
        }

        /// The name OpenSSL's `EVP_Q_digest` fetches.
        fileprivate var openSSLName: String {
            switch self {
            case .sha256: return "SHA256"
            case .sha384: return "SHA384"
            case .sha512: return "SHA512"
            }
        }
    }

    /// The hash function.
    public let algorithm: Algorithm
    /// The digest: ``Algorithm/digestLength`` bytes.
    public let bytes: [UInt8]

    /// The longest SDP fingerprint value accepted: a SHA-512 value is 7 + 1 + 191 characters; the
    /// margin allows surrounding whitespace. Longer (untrusted) input is refused before parsing.
    public static let maximumSDPValueLength = 256

    /// Creates a fingerprint from a digest.
    ///
    /// - Throws: ``DTLSError/Code/invalidFingerprint`` if `bytes` is not the algorithm's length.
    public init(algorithm: Algorithm, bytes: [UInt8]) throws(DTLSError) {
        guard bytes.count == algorithm.digestLength else {
            throw DTLSError(.invalidFingerprint, "\(algorithm) digest must be \(algorithm.digestLength) bytes")
        }
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Computes the fingerprint of a DER-encoded certificate.
    ///
    /// - Throws: ``DTLSError/Code/invalidFingerprint`` if OpenSSL cannot compute the digest.
    public init(certificateDER: Span<UInt8>, algorithm: Algorithm = .sha256) throws(DTLSError) {
        var digest = [UInt8](repeating: 0, count: 64)
        var length = 0
        OpenSSLErrorStack.clear()
        let status = certificateDER.withUnsafeBufferPointer { der in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Q_digest(nil, algorithm.openSSLName, nil, der.baseAddress, der.count, output.baseAddress, &length)
            }
        }
        guard status == 1, length == algorithm.digestLength else {
            throw DTLSError(
                .invalidFingerprint,
                "cannot compute the \(algorithm) digest",
                openSSLErrors: OpenSSLErrorStack.drain()
            )
        }
        digest.removeLast(digest.count - length)
        self.algorithm = algorithm
        self.bytes = digest
    }

    /// Computes the fingerprint of a DER-encoded certificate held in an array.
    ///
    /// - Throws: ``DTLSError/Code/invalidFingerprint`` if OpenSSL cannot compute the digest.
    public init(certificateDER: [UInt8], algorithm: Algorithm = .sha256) throws(DTLSError) {
        try self.init(certificateDER: certificateDER.span, algorithm: algorithm)
    }

    /// Parses an SDP fingerprint value: `<hash function> <HH:HH:...>`, for example
    /// `sha-256 AB:CD:...` (the part after `a=fingerprint:`).
    ///
    /// The hash name is matched case-insensitively and hex digits may be either case (RFC 8122
    /// asks for upper case; some peers send lower case). Leading and trailing blanks are ignored.
    ///
    /// - Throws: ``DTLSError/Code/invalidFingerprint`` for an unknown or refused hash function
    ///   (SHA-1, MD5), a malformed hex list, a digest of the wrong length, or input longer than
    ///   ``maximumSDPValueLength``.
    public init(sdpValue: String) throws(DTLSError) {
        let utf8 = Array(sdpValue.utf8)
        guard utf8.count <= Self.maximumSDPValueLength else {
            throw DTLSError(.invalidFingerprint, "fingerprint value longer than \(Self.maximumSDPValueLength) bytes")
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        var end = utf8.count
        while start < end, isBlank(utf8[start]) { start += 1 }
        while end > start, isBlank(utf8[end - 1]) { end -= 1 }
        var split = start
        while split < end, !isBlank(utf8[split]) { split += 1 }
        let name = String(decoding: utf8[start..<split], as: UTF8.self).lowercased()
        guard let algorithm = Algorithm(rawValue: name) else {
            throw DTLSError(.invalidFingerprint, "unsupported fingerprint hash function '\(name)'")
        }
        var position = split
        while position < end, isBlank(utf8[position]) { position += 1 }
        guard position < end, position > split else {
            throw DTLSError(.invalidFingerprint, "fingerprint value has no digest")
        }

        // Exactly `HH(:HH)*`: two hex digits per byte, one colon between bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(algorithm.digestLength)
        while true {
            guard end - position >= 2,
                let high = Self.hexValue(utf8[position]),
                let low = Self.hexValue(utf8[position + 1])
            else {
                throw DTLSError(.invalidFingerprint, "fingerprint digest is not colon-separated hex pairs")
            }
            bytes.append(high << 4 | low)
            position += 2
            if position == end { break }
            guard utf8[position] == UInt8(ascii: ":") else {
                throw DTLSError(.invalidFingerprint, "fingerprint digest is not colon-separated hex pairs")
            }
            position += 1
            guard bytes.count < algorithm.digestLength else {
                throw DTLSError(.invalidFingerprint, "\(algorithm) digest longer than \(algorithm.digestLength) bytes")
            }
        }
        try self.init(algorithm: algorithm, bytes: bytes)
    }

    /// The SDP form: `sha-256 AB:CD:...` with upper-case hex, ready for `a=fingerprint:`.
    public var sdpValue: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text = Array(self.algorithm.rawValue.utf8)
        text.append(UInt8(ascii: " "))
        for (index, byte) in self.bytes.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SDP form, ``sdpValue``.
    public var description: String {
        self.sdpValue
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
