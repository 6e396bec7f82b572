import ArgumentParser
import Foundation
import MediaRelay
import Testing

@testable import ParleyServer

/// The `connectTimeout` setting: defaults < file < environment < flags, checked, and given to
/// the relay.
@Suite("Server configuration: connectTimeout")
struct ConnectTimeoutSettingTests {
    @Test("30 s by default; the file, PARLEY_CONNECT_TIMEOUT and --connect-timeout override in that order")
    func precedence() throws {
        #expect(try ServeOptions.parse([]).resolve(environment: [:]).connectTimeout == 30)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).json")
        try Data(#"{"connectTimeout": 12}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try ServeOptions.parse(["--config", file.path]).resolve(environment: [:])
        #expect(fromFile.connectTimeout == 12)
        let fromEnvironment = try ServeOptions.parse(["--config", file.path])
            .resolve(environment: ["PARLEY_CONNECT_TIMEOUT": "8"])
        #expect(fromEnvironment.connectTimeout == 8)
        let fromFlag = try ServeOptions.parse(["--config", file.path, "--connect-timeout", "5"])
            .resolve(environment: ["PARLEY_CONNECT_TIMEOUT": "8"])
        #expect(fromFlag.connectTimeout == 5)
    }

    @Test("zero, more than an hour or a non-number is refused, naming where it came from")
    func badValues() throws {
        let zero = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse([]).resolve(environment: ["PARLEY_CONNECT_TIMEOUT": "0"])
        }
        #expect(zero?.description.contains("PARLEY_CONNECT_TIMEOUT") == true)
        let long = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--connect-timeout", "3601"]).resolve(environment: [:])
        }
        #expect(long?.description.contains("connectTimeout") == true)
        let word = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse([]).resolve(environment: ["PARLEY_CONNECT_TIMEOUT": "soon"])
        }
        #expect(word?.description.contains("whole number") == true)
    }

    @Test("the relay's transports get the configured connect timeout")
    func reachesTheRelay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TestServer.configuration(directory: directory)
        configuration.connectTimeout = 7
        let assembly = try await ServerAssembly(
            configuration: configuration,
            tls: nil,
            metrics: nil,
            handlesSignals: false,
            printsBanner: false,
            makeLogger: { _ in TestServer.quiet }
        )
        #expect(assembly.relay.configuration.core.limits.connectTimeoutSeconds == 7)
        assembly.relay.stop()
    }
}
