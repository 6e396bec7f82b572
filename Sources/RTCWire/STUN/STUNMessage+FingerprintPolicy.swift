extension STUNMessage {
    /// What ``STUNMessage/init(parsing:fingerprint:)`` does about the FINGERPRINT attribute.
    public enum FingerprintPolicy: Hashable, Sendable {
        /// Check FINGERPRINT when present (throwing `invalidChecksum` on a mismatch); accept a
        /// message without one. The default.
        case verifyIfPresent
        /// Require FINGERPRINT and check it (throwing `missingField` without one). ICE requires it
        /// on connectivity checks (RFC 8445 section 7.2.2).
        case require
        /// Do not check it (its size is still checked). For tests and diagnostics.
        case ignore
    }
}
