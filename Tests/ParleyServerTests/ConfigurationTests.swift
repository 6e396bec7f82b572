import ArgumentParser
import Foundation
import Testing

@testable import ParleyServer

@Suite("Server configuration")
struct ConfigurationTests {
    @Test("the embedded default: localhost, development secret, ./recordings")
    func defaults() throws {
        let configuration = try ServeOptions.parse([]).resolve(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 7880)
        #expect(configuration.mediaIP == "127.0.0.1")
        #expect(configuration.isDevelopment)
        #expect(configuration.recordings == "recordings")
        #expect(configuration.mediaPorts == nil)
    }

    @Test("flags override the environment, which overrides the file")
    func precedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).json")
        try Data(#"{"port": 9000, "host": "0.0.0.0", "mediaPorts": "40000-40010", "speakers": 4}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try ServeOptions.parse(["--config", file.path, "--port", "9100"])
            .resolve(environment: ["PARLEY_HOST": "127.0.0.2", "PARLEY_PORT": "9050"])
        #expect(configuration.port == 9100)
        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.mediaPorts == 40000...40010)
        #expect(configuration.speakers == 4)
    }

    @Test("a configured secret turns development mode off; a short one is refused with the reason")
    func secrets() throws {
        let secret = String(repeating: "s", count: 32)
        #expect(try !ServeOptions.parse(["--secret", secret]).resolve(environment: [:]).isDevelopment)
        #expect(try !ServeOptions.parse([]).resolve(environment: ["PARLEY_SECRET": secret]).isDevelopment)
        let error = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--secret", "short"]).resolve(environment: [:])
        }
        #expect(error?.description.contains("at least 32 characters") == true)
    }

    @Test("bad values name the setting, where it came from and what is expected")
    func badValues() throws {
        let port = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse([]).resolve(environment: ["PARLEY_PORT": "seventy"])
        }
        #expect(port?.description.contains("PARLEY_PORT") == true)
        let range = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--media-ports", "5000-4000"]).resolve(environment: [:])
        }
        #expect(range?.description.contains("LOW-HIGH") == true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).json")
        try Data(#"{"colour": "blue"}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let unknown = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--config", file.path]).resolve(environment: [:])
        }
        #expect(unknown?.description.contains("unknown setting 'colour'") == true)
        let missing = #expect(throws: ConfigurationError.self) {
            try ServeOptions.parse(["--config", "/nonexistent/parley.json"]).resolve(environment: [:])
        }
        #expect(missing?.description.contains("cannot read") == true)
    }

    @Test("recording file names give back their room, also when the room holds '-'")
    func recordingRooms() {
        #expect(Meeting.room(ofFile: "demo-20261129-061500.opus") == "demo")
        #expect(Meeting.room(ofFile: "team-a-20261129-061500.opus") == "team-a")
        #expect(Meeting.room(ofFile: "team-a-20261129-061500-2.opus") == "team-a")
        #expect(Meeting.room(ofFile: "odd.opus") == "odd")
    }
}
