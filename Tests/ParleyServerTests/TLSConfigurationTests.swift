import ArgumentParser
import Foundation
import Testing

@testable import ParleyServer

/// `--tls-certificate` / `--tls-key`: how they are configured and how the files are checked.
@Suite("Server TLS configuration")
struct TLSConfigurationTests {
    /// A fresh directory with the test certificate, its key, another key and a non-PEM file.
    struct Files {
        let directory: URL
        var certificate: String { self.directory.appendingPathComponent("cert.pem").path }
        var key: String { self.directory.appendingPathComponent("key.pem").path }
        var otherKey: String { self.directory.appendingPathComponent("other.pem").path }
        var garbage: String { self.directory.appendingPathComponent("garbage.pem").path }

        init() throws {
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "parley-tls-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            try Data(TestCertificate.certificate.utf8).write(to: URL(fileURLWithPath: self.certificate))
            try Data(TestCertificate.key.utf8).write(to: URL(fileURLWithPath: self.key))
            try Data(TestCertificate.otherKey.utf8).write(to: URL(fileURLWithPath: self.otherKey))
            try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: self.garbage))
        }

        func remove() {
            try? FileManager.default.removeItem(at: self.directory)
        }
    }

    func failure(certificate: String, key: String) -> String? {
        do {
            _ = try ServerTLS.configuration(certificate: certificate, key: key)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("no certificate: plain http and ws")
    func plainByDefault() throws {
        let configuration = try ServeOptions.parse([]).resolve(environment: [:])
        #expect(!configuration.usesTLS)
        #expect(try ServerTLS.configuration(for: configuration) == nil)
    }

    @Test("a certificate with its key loads, from flags, the environment or the file")
    func sources() throws {
        let files = try Files()
        defer { files.remove() }
        let fromFlags = try ServeOptions.parse(["--tls-certificate", files.certificate, "--tls-key", files.key])
            .resolve(environment: [:])
        #expect(fromFlags.usesTLS)
        #expect(try ServerTLS.configuration(for: fromFlags) != nil)

        let environment = ["PARLEY_TLS_CERTIFICATE": files.certificate, "PARLEY_TLS_KEY": files.key]
        let fromEnvironment = try ServeOptions.parse([]).resolve(environment: environment)
        #expect(fromEnvironment.tlsCertificate == files.certificate)
        #expect(fromEnvironment.tlsKey == files.key)

        let file = files.directory.appendingPathComponent("parley.json")
        let json = #"{"tlsCertificate": "\#(files.certificate)", "tlsKey": "\#(files.otherKey)"}"#
        try Data(json.utf8).write(to: file)
        // The flag beats the environment, which beats the file.
        let mixed = try ServeOptions.parse(["--config", file.path, "--tls-key", files.key])
            .resolve(environment: ["PARLEY_TLS_CERTIFICATE": files.garbage])
        #expect(mixed.tlsCertificate == files.garbage)
        #expect(mixed.tlsKey == files.key)
        let fromFile = try ServeOptions.parse(["--config", file.path]).resolve(environment: [:])
        #expect(fromFile.tlsCertificate == files.certificate)
        #expect(fromFile.tlsKey == files.otherKey)
    }

    @Test("a certificate without its key, or a key without its certificate, is refused")
    func pairs() throws {
        let alone = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--tls-certificate", "cert.pem"]).resolve(environment: [:])
        }
        #expect(alone?.description.contains("without its private key") == true)
        let keyOnly = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse([]).resolve(environment: ["PARLEY_TLS_KEY": "key.pem"])
        }
        #expect(keyOnly?.description.contains("without its certificate") == true)
    }

    @Test("a key that is not the certificate's is refused at start")
    func mismatchedKey() throws {
        let files = try Files()
        defer { files.remove() }
        #expect(self.failure(certificate: files.certificate, key: files.key) == nil)
        let message = self.failure(certificate: files.certificate, key: files.otherKey)
        #expect(message?.contains("does not belong to the certificate") == true, "\(message ?? "")")
    }

    @Test("unreadable and non-PEM files are named with what is wrong")
    func badFiles() throws {
        let files = try Files()
        defer { files.remove() }
        let missing = self.failure(certificate: "/nonexistent/cert.pem", key: files.key)
        #expect(missing?.contains("cannot read the TLS certificate file /nonexistent/cert.pem") == true)
        let missingKey = self.failure(certificate: files.certificate, key: "/nonexistent/key.pem")
        #expect(missingKey?.contains("cannot read the TLS private key file") == true)
        let garbage = self.failure(certificate: files.garbage, key: files.key)
        #expect(garbage?.contains("holds no PEM certificate") == true, "\(garbage ?? "")")
        let certificateAsKey = self.failure(certificate: files.certificate, key: files.certificate)
        #expect(certificateAsKey?.contains("holds no usable PEM private key") == true, "\(certificateAsKey ?? "")")
    }
}
