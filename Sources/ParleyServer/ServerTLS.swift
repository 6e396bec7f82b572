import Foundation
import NIOSSL

/// Loads and checks the certificate and key `parley serve` uses for https and wss.
///
/// Everything is checked at start, so a wrong file stops the server with a sentence instead of
/// failing every handshake later: both files readable, PEM, a certificate and a private key, and
/// the key belonging to the certificate.
enum ServerTLS {
    /// The TLS configuration for the certificate and key of `server`, or nil when it has none.
    ///
    /// - Throws: ``ConfigurationError`` as ``configuration(certificate:key:)``.
    static func configuration(for server: ServerConfiguration) throws(ConfigurationError) -> TLSConfiguration? {
        guard let certificate = server.tlsCertificate, let key = server.tlsKey else { return nil }
        return try Self.configuration(certificate: certificate, key: key)
    }

    /// The server-side TLS configuration (TLS 1.2 or newer) for the PEM files at the two paths.
    ///
    /// - Parameters:
    ///   - certificate: A PEM file with the certificate, or a chain with the leaf first.
    ///   - key: A PEM file with the certificate's private key (unencrypted).
    /// - Throws: ``ConfigurationError`` naming the file and what is wrong with it.
    static func configuration(certificate: String, key: String) throws(ConfigurationError) -> TLSConfiguration {
        let certificateBytes = try Self.read(certificate, what: "TLS certificate")
        let keyBytes = try Self.read(key, what: "TLS private key")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificateBytes)
        } catch {
            chain = []
        }
        guard !chain.isEmpty else {
            throw ConfigurationError(
                "the TLS certificate file \(certificate) holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----'); give the server's certificate, or its chain with the server's certificate first"
            )
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw ConfigurationError(
                "the TLS private key file \(key) holds no usable PEM private key (expected '-----BEGIN PRIVATE KEY-----' or an RSA/EC key, not encrypted)"
            )
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { NIOSSLCertificateSource.certificate($0) },
            privateKey: NIOSSLPrivateKeySource.privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        // Building a context installs the chain, then the key: BoringSSL refuses a key whose
        // public half is not the leaf certificate's, which is the mismatch check we want now
        // rather than at the first handshake.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.failedToLoadPrivateKey {
            throw ConfigurationError(
                "the TLS private key \(key) does not belong to the certificate \(certificate); give the key the certificate was issued for"
            )
        } catch {
            throw ConfigurationError("the TLS certificate \(certificate) and key \(key) cannot be used: \(error)")
        }
        return configuration
    }

    private static func read(_ path: String, what: String) throws(ConfigurationError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError("cannot read the \(what) file \(path): \(error.localizedDescription)")
        }
    }
}
