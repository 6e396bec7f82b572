/// An error from DTLS: a failed handshake, a certificate or fingerprint problem, or a misuse.
///
/// A ``DTLSEndpoint`` reports a failed handshake as ``DTLSEndpoint/Event/failed(_:)`` carrying one
/// of these; certificate loading, fingerprint parsing and context creation throw it. Errors that
/// come from OpenSSL carry its drained error queue in ``openSSLErrors``; an alert the peer sent
/// is in ``alertDescription``.
///
/// Two errors are equal when their ``code`` is: branch on the code only; the other fields are for
/// logs.
public struct DTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case handshakeFailed
            case fingerprintMismatch
            case noCommonSRTPProfile
            case peerCertificateMissing
            case alertReceived
            case protocolViolation
            case tooLarge
            case invalidState
            case invalidConfiguration
            case invalidCertificate
            case invalidFingerprint
            case keyGenerationFailed
            case keyExportFailed
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The handshake failed inside OpenSSL for a reason no other code names (see the error stack).
        public static let handshakeFailed = Code(.handshakeFailed)
        /// The peer's certificate matches none of the fingerprints signalled for it. No keys exist.
        public static let fingerprintMismatch = Code(.fingerprintMismatch)
        /// The handshake completed without an SRTP protection profile both sides support. No keys.
        public static let noCommonSRTPProfile = Code(.noCommonSRTPProfile)
        /// The peer sent no certificate, so its fingerprint cannot be checked.
        public static let peerCertificateMissing = Code(.peerCertificateMissing)
        /// The peer sent a fatal alert (its description is in ``DTLSError/alertDescription``).
        public static let alertReceived = Code(.alertReceived)
        /// The peer broke the protocol in a way OpenSSL reports (a malformed message, for example).
        public static let protocolViolation = Code(.protocolViolation)
        /// The input or the data to send is larger than the endpoint accepts.
        public static let tooLarge = Code(.tooLarge)
        /// The call is not allowed in the endpoint's current state (for example sending before the
        /// handshake completed).
        public static let invalidState = Code(.invalidState)
        /// A configuration value is out of range or OpenSSL rejected it.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A certificate or private key could not be read, does not match, or could not be made.
        public static let invalidCertificate = Code(.invalidCertificate)
        /// A fingerprint (for example an SDP `a=fingerprint` value) is malformed or uses an
        /// unsupported hash.
        public static let invalidFingerprint = Code(.invalidFingerprint)
        /// Generating a key or random bytes failed.
        public static let keyGenerationFailed = Code(.keyGenerationFailed)
        /// Exporting the DTLS-SRTP keying material failed.
        public static let keyExportFailed = Code(.keyExportFailed)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .handshakeFailed: return "handshakeFailed"
            case .fingerprintMismatch: return "fingerprintMismatch"
            case .noCommonSRTPProfile: return "noCommonSRTPProfile"
            case .peerCertificateMissing: return "peerCertificateMissing"
            case .alertReceived: return "alertReceived"
            case .protocolViolation: return "protocolViolation"
            case .tooLarge: return "tooLarge"
            case .invalidState: return "invalidState"
            case .invalidConfiguration: return "invalidConfiguration"
            case .invalidCertificate: return "invalidCertificate"
            case .invalidFingerprint: return "invalidFingerprint"
            case .keyGenerationFailed: return "keyGenerationFailed"
            case .keyExportFailed: return "keyExportFailed"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// A human explanation, for logs.
    public let reason: String
    /// The description byte of the fatal alert the peer sent (RFC 5246 section 7.2), for
    /// ``Code/alertReceived``; `nil` otherwise.
    public let alertDescription: UInt8?
    /// OpenSSL's error queue at the failure, oldest first; empty for errors found in Swift.
    public let openSSLErrors: OpenSSLErrorStack
    /// The source file that raised the error.
    public let file: StaticString
    /// The source line that raised the error.
    public let line: UInt

    /// Makes an error.
    public init(
        _ code: Code,
        _ reason: String,
        alertDescription: UInt8? = nil,
        openSSLErrors: OpenSSLErrorStack = .empty,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.reason = reason
        self.alertDescription = alertDescription
        self.openSSLErrors = openSSLErrors
        self.file = file
        self.line = line
    }

    /// `code: reason [alert] (OpenSSL: ...)`.
    public var description: String {
        var text = "\(self.code): \(self.reason)"
        if let alert = self.alertDescription {
            text += " [alert \(alert) \(Self.alertName(alert))]"
        }
        if !self.openSSLErrors.isEmpty {
            text += " (OpenSSL: \(self.openSSLErrors))"
        }
        return text
    }

    /// Whether two errors have the same ``code`` (the other fields are for logs).
    public static func == (lhs: DTLSError, rhs: DTLSError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the ``code`` only, as ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    /// The RFC 5246 / RFC 5764 name of an alert description, for logs.
    static func alertName(_ description: UInt8) -> String {
        switch description {
        case 0: return "close_notify"
        case 10: return "unexpected_message"
        case 20: return "bad_record_mac"
        case 22: return "record_overflow"
        case 40: return "handshake_failure"
        case 42: return "bad_certificate"
        case 43: return "unsupported_certificate"
        case 44: return "certificate_revoked"
        case 45: return "certificate_expired"
        case 46: return "certificate_unknown"
        case 47: return "illegal_parameter"
        case 48: return "unknown_ca"
        case 49: return "access_denied"
        case 50: return "decode_error"
        case 51: return "decrypt_error"
        case 70: return "protocol_version"
        case 71: return "insufficient_security"
        case 80: return "internal_error"
        case 86: return "inappropriate_fallback"
        case 90: return "user_canceled"
        case 100: return "no_renegotiation"
        case 110: return "unsupported_extension"
        default: return "unknown"
        }
    }
}
