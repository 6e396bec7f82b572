import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Signaling
import Testing

/// The admin API, `/healthz`, `/metrics`, the development token endpoint and static files.
@Suite("Signaling HTTP routes", .serialized)
struct HTTPRoutesTests {
    let auth: HTTPFields = [.authorization: "Bearer admin-key-1"]

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    func errorCode(_ response: TestResponse) throws -> String? {
        (try self.json(response)["error"] as? [String: Any])?["code"] as? String
    }

    @Test func adminRoutesNeedTheKey() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        try await app.test(.live) { client in
            for (method, uri) in [
                (HTTPRequest.Method.get, "/v1/rooms"), (.post, "/v1/rooms"), (.delete, "/v1/rooms/a"),
                (.get, "/v1/rooms/a/participants"), (.delete, "/v1/rooms/a/participants/p1"),
                (.post, "/v1/rooms/a/recording"), (.delete, "/v1/rooms/a/recording"), (.get, "/v1/recordings"),
            ] {
                for headers: HTTPFields in [
                    [:], [.authorization: "Bearer wrong-key"], [.authorization: "Bearer admin-key-"],
                    [.authorization: "Bearer admin-key-12"], [.authorization: "admin-key-1"],
                    [.authorization: "Basic admin-key-1"],
                ] {
                    let response = try await client.execute(uri: uri, method: method, headers: headers)
                    #expect(response.status == .unauthorized, "\(method) \(uri) \(headers)")
                    #expect(try self.errorCode(response) == "unauthorized")
                }
            }
        }
        #expect(await backend.rooms.isEmpty)
    }

    @Test func adminAPIIsDisabledWithoutAKey() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend, configuration: Fixtures.configuration(adminKey: nil))
        try await app.test(.live) { client in
            let response = try await client.execute(
                uri: "/v1/rooms",
                method: .get,
                headers: [.authorization: "Bearer "]
            )
            #expect(response.status == .unauthorized)
        }
    }

    @Test func adminRoomLifecycle() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        try await app.test(.live) { client in
            var response = try await client.execute(
                uri: "/v1/rooms",
                method: .post,
                headers: self.auth,
                body: ByteBuffer(
                    string: #"{"name":"standup","audioMode":"mixed","maxParticipants":50,"speakers":3,"record":false}"#
                )
            )
            #expect(response.status == .created)
            #expect(try self.json(response)["audioMode"] as? String == "mixed")

            response = try await client.execute(
                uri: "/v1/rooms",
                method: .post,
                headers: self.auth,
                body: ByteBuffer(string: #"{"name":"standup"}"#)
            )
            #expect(response.status == .conflict)
            #expect(try self.errorCode(response) == "conflict")

            for body in [
                #"{"name":"bad name!"}"#, #"{"name":""}"#, #"{"audioMode":"mixed"}"#, "nope",
                #"{"name":"x","speakers":0}"#, #"{"name":"x","audioMode":"loud"}"#,
            ] {
                response = try await client.execute(
                    uri: "/v1/rooms",
                    method: .post,
                    headers: self.auth,
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .badRequest, "\(body)")
                #expect(try self.errorCode(response) == "bad_request")
            }

            response = try await client.execute(uri: "/v1/rooms", method: .get, headers: self.auth)
            #expect(response.status == .ok)
            let rooms = try #require(try self.json(response)["rooms"] as? [[String: Any]])
            #expect(rooms.map { $0["name"] as? String } == ["standup"])
            #expect(rooms.first?["participants"] as? Int == 0)

            response = try await client.execute(uri: "/v1/rooms/standup/participants", method: .get, headers: self.auth)
            #expect(response.status == .ok)
            #expect((try self.json(response)["participants"] as? [Any])?.isEmpty == true)

            response = try await client.execute(
                uri: "/v1/rooms/standup/participants/p9",
                method: .delete,
                headers: self.auth
            )
            #expect(response.status == .notFound)

            response = try await client.execute(uri: "/v1/rooms/standup/recording", method: .post, headers: self.auth)
            #expect(response.status == .created)
            #expect(try self.json(response)["file"] as? String == "standup-1.opus")
            response = try await client.execute(uri: "/v1/rooms/standup/recording", method: .post, headers: self.auth)
            #expect(response.status == .conflict)
            response = try await client.execute(uri: "/v1/rooms/standup/recording", method: .delete, headers: self.auth)
            #expect(response.status == .noContent)

            response = try await client.execute(uri: "/v1/recordings", method: .get, headers: self.auth)
            let recordings = try #require(try self.json(response)["recordings"] as? [[String: Any]])
            #expect(recordings.first?["bytes"] as? Int == 1234)

            response = try await client.execute(uri: "/v1/rooms/standup", method: .delete, headers: self.auth)
            #expect(response.status == .noContent)
            response = try await client.execute(uri: "/v1/rooms/standup", method: .delete, headers: self.auth)
            #expect(response.status == .notFound)
            #expect(try self.errorCode(response) == "room_not_found")
        }
    }

    @Test func adminRemovesAParticipant() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        let token = try await Fixtures.token()
        try await app.test(.live) { client in
            let auth = self.auth
            let close = try await client.signaling { connection in
                try await connection.join(token)
                let id = try #require(await connection.inbox.next()?.participant?.id)
                let list = try await client.execute(uri: "/v1/rooms/r/participants", method: .get, headers: auth)
                #expect(String(buffer: list.body).contains(id))
                let response = try await client.execute(
                    uri: "/v1/rooms/r/participants/\(id)",
                    method: .delete,
                    headers: auth
                )
                #expect(response.status == .noContent)
                #expect(await connection.inbox.waitEnded())
            }
            #expect(close?.closeCode == .normalClosure)
        }
        #expect(await Fixtures.eventually { await backend.leaves.map(\.reason) == [.removed] })
    }

    @Test func healthzReportsDraining() async throws {
        let backend = FakeBackend()
        let app = try await Fixtures.app(backend: backend)
        try await app.test(.live) { client in
            var response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(try self.json(response)["status"] as? String == "ok")
            await backend.setDraining(true)
            response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(try self.json(response)["status"] as? String == "draining")
            response = try await client.execute(
                uri: "/v1/rooms",
                method: .post,
                headers: self.auth,
                body: ByteBuffer(string: #"{"name":"late"}"#)
            )
            #expect(response.status == .serviceUnavailable)
            #expect(try self.errorCode(response) == "draining")
        }
    }

    @Test func metricsRendersTheClosureOrIsAbsent() async throws {
        let backend = FakeBackend()
        let withMetrics = try await Fixtures.app(backend: backend, metrics: { "parley_rooms 3\n" })
        try await withMetrics.test(.live) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "parley_rooms 3\n")
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
        let without = try await Fixtures.app(backend: backend)
        try await without.test(.live) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
        }
    }

    @Test func devTokenExistsOnlyInDevelopmentMode() async throws {
        let backend = FakeBackend()
        let issuer = try await Fixtures.issuer()
        let body = ByteBuffer(string: #"{"room":"demo","name":"Dee"}"#)
        // Not in development mode, even with an issuer: absent.
        let production = try await Fixtures.app(backend: backend, devTokenIssuer: issuer)
        try await production.test(.live) { client in
            let response = try await client.execute(uri: "/v1/dev/token", method: .post, body: body)
            #expect(response.status == .notFound || response.status == .unauthorized)
            #expect(!String(buffer: response.body).contains("token\""))
        }
        // Development mode: a token that verifies, for the asked room and name.
        let development = try await Fixtures.app(
            backend: backend,
            configuration: Fixtures.configuration(developmentMode: true),
            devTokenIssuer: issuer
        )
        try await development.test(.live) { client in
            let response = try await client.execute(uri: "/v1/dev/token", method: .post, body: body)
            #expect(response.status == .ok)
            let token = try #require(try self.json(response)["token"] as? String)
            let claims = try await Fixtures.verifier().verify(token)
            #expect(claims.room == "demo")
            #expect(claims.name == "Dee")
            #expect(claims.has(.join) && claims.has(.publish) && claims.has(.create))
            let bad = try await client.execute(
                uri: "/v1/dev/token",
                method: .post,
                body: ByteBuffer(string: #"{"room":"../etc"}"#)
            )
            #expect(bad.status == .badRequest)
        }
    }

    @Test func staticFilesAreServedFromTheConfiguredDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-static-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<h1>Parley</h1>".utf8).write(to: directory.appendingPathComponent("index.html"))
        var configuration = Fixtures.configuration()
        configuration.staticFilesDirectory = directory.path
        let app = try await Fixtures.app(backend: FakeBackend(), configuration: configuration)
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "<h1>Parley</h1>")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
