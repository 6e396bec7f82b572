import Foundation

/// A test-only certificate and keys for the TLS tests, read from `Tests/Fixtures/TLS` (shared with
/// SignalingTests; see its README for how they were made). Test-only: their private keys are public.
enum TestCertificate {
    /// A self-signed P-256 certificate for `localhost` and 127.0.0.1, valid until 2126.
    static let certificate = load("localhost-certificate.pem")
    /// The certificate's private key (PKCS #8 PEM).
    static let key = load("localhost-key.pem")
    /// Another P-256 key, which does not belong to the certificate.
    static let otherKey = load("other-key.pem")

    private static func load(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/TLS")
            .appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the TLS fixture \(url.path) cannot be read")
        }
        return text
    }
}
