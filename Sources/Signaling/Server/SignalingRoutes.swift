import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP routes: health, metrics, the development token endpoint and the admin API.
struct SignalingRoutes: Sendable {
    let backend: any SignalingBackend
    let configuration: SignalingConfiguration
    let devTokenIssuer: TokenIssuer?
    let metrics: (@Sendable () async -> String)?

    func register(on router: Router<SignalingRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            struct Health: Encodable { let status: String }
            if await self.backend.isDraining {
                return jsonResponse(Health(status: "draining"), status: .serviceUnavailable)
            }
            return jsonResponse(Health(status: "ok"))
        }
        if let metrics = self.metrics {
            router.get("metrics") { _, _ -> Response in
                let text = await metrics()
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text))
                )
            }
        }
        if self.configuration.developmentMode, let issuer = self.devTokenIssuer {
            router.post("v1/dev/token") { request, _ -> Response in
                try await self.devToken(request: request, issuer: issuer)
            }
        }

        let admin = router.group("v1").add(middleware: AdminAuthMiddleware(adminKey: self.configuration.adminKey))
        admin.get("rooms") { _, _ -> Response in
            struct Rooms: Encodable { let rooms: [RoomSummary] }
            let rooms = try await self.call { () async throws(SignalingError) in try await self.backend.listRooms() }
            return jsonResponse(Rooms(rooms: rooms))
        }
        admin.post("rooms") { request, _ -> Response in
            let body = try await decodeBody(CreateRoomRequest.self, request: request)
            try Self.validate(body)
            let room = try await self.call { () async throws(SignalingError) in try await self.backend.createRoom(body)
            }
            return jsonResponse(room, status: .created)
        }
        admin.delete("rooms/:name") { _, context -> Response in
            let name = try Self.roomName(context)
            try await self.call { () async throws(SignalingError) in try await self.backend.closeRoom(name: name) }
            return Response(status: .noContent)
        }
        admin.get("rooms/:name/participants") { _, context -> Response in
            struct Participants: Encodable { let participants: [ParticipantInfo] }
            let name = try Self.roomName(context)
            let list = try await self.call { () async throws(SignalingError) in
                try await self.backend.listParticipants(room: name)
            }
            return jsonResponse(Participants(participants: list))
        }
        admin.delete("rooms/:name/participants/:id") { _, context -> Response in
            let name = try Self.roomName(context)
            guard let id = context.parameters.get("id"), id.utf8.count <= 128 else {
                throw HTTPErrorResponse(.badRequest, "The participant id is missing or too long.")
            }
            try await self.call { () async throws(SignalingError) in
                try await self.backend.removeParticipant(room: name, participantId: id)
            }
            return Response(status: .noContent)
        }
        admin.post("rooms/:name/recording") { _, context -> Response in
            struct Started: Encodable { let file: String }
            let name = try Self.roomName(context)
            let file = try await self.call { () async throws(SignalingError) in
                try await self.backend.startRecording(room: name)
            }
            return jsonResponse(Started(file: file), status: .created)
        }
        admin.delete("rooms/:name/recording") { _, context -> Response in
            let name = try Self.roomName(context)
            try await self.call { () async throws(SignalingError) in try await self.backend.stopRecording(room: name) }
            return Response(status: .noContent)
        }
        admin.get("recordings") { _, _ -> Response in
            struct Recordings: Encodable { let recordings: [RecordingInfo] }
            let list = try await self.call { () async throws(SignalingError) in try await self.backend.listRecordings()
            }
            return jsonResponse(Recordings(recordings: list))
        }
    }

    /// Runs a backend call and turns its ``SignalingError`` into an HTTP error response.
    private func call<T>(_ body: () async throws(SignalingError) -> T) async throws(HTTPErrorResponse) -> T {
        do {
            return try await body()
        } catch {
            throw HTTPErrorResponse(error)
        }
    }

    private func devToken(request: Request, issuer: TokenIssuer) async throws -> Response {
        struct Body: Decodable {
            var room: String
            var name: String?
        }
        struct Token: Encodable { let token: String }
        let body = try await decodeBody(Body.self, request: request)
        guard Self.isValidRoomName(body.room) else {
            throw HTTPErrorResponse(.badRequest, Self.roomNameRule)
        }
        if let name = body.name, name.isEmpty || name.utf8.count > self.configuration.limits.maxNameBytes {
            throw HTTPErrorResponse(
                .badRequest,
                "\"name\" must have 1 to \(self.configuration.limits.maxNameBytes) bytes."
            )
        }
        if await self.backend.isDraining {
            throw HTTPErrorResponse(.draining, "The server is shutting down; try again in a minute.")
        }
        var generator = SystemRandomNumberGenerator()
        let suffix = String(UInt32.random(in: .min ... .max, using: &generator), radix: 16)
        let token = try await issuer.issue(
            identity: "guest-\(suffix)",
            room: body.room,
            name: body.name,
            grants: self.configuration.devTokenGrants,
            ttl: self.configuration.devTokenTTL
        )
        return jsonResponse(Token(token: token))
    }

    static let roomNameRule = "A room name has 1 to 128 characters among letters, digits, \"-\", \"_\" and \".\"."

    static func isValidRoomName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default:
                    false
                }
            }
    }

    private static func roomName(_ context: SignalingRequestContext) throws -> String {
        guard let name = context.parameters.get("name"), Self.isValidRoomName(name) else {
            throw HTTPErrorResponse(.badRequest, Self.roomNameRule)
        }
        return name
    }

    private static func validate(_ request: CreateRoomRequest) throws {
        guard Self.isValidRoomName(request.name) else {
            throw HTTPErrorResponse(.badRequest, Self.roomNameRule)
        }
        for (field, value) in [("maxParticipants", request.maxParticipants), ("speakers", request.speakers)] {
            if let value, value < 1 || value > 100_000 {
                throw HTTPErrorResponse(.badRequest, "\"\(field)\" must be between 1 and 100000.")
            }
        }
    }
}
