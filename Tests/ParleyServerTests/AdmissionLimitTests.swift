import Foundation
import HummingbirdWSClient
import NIOWebSocket
import Testing

@testable import ParleyServer

/// SECURITY.md "exhaustion" through the whole server: `maxParticipants` and `joinsPerSecond` from
/// the server's configuration reach the conference and the signaling endpoint.
@Suite("Server exhaustion: admission limits", .timeLimit(.minutes(1)))
struct AdmissionLimitTests {
    @Test("a join over maxParticipants gets room_full, fatal, close 1013; the room is unchanged")
    func roomFull() async throws {
        try await TestServer.with(
            configuredBy: { $0.maxParticipants = 1 },
            run: { server in
                let first = try await server.token(room: "small", identity: "first")
                let second = try await server.token(room: "small", identity: "second")
                try await server.connect { connection in
                    try await connection.joinOrThrow(first)
                    let close = try await server.connect { refused in
                        try await refused.join(second)
                        let error = await refused.inbox.next()
                        #expect(error?.type == "error")
                        #expect(error?.code == "room_full")
                        #expect(error?.fatal == true)
                    }
                    #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1013))
                    let sizes = await server.assembly.meeting.tableSizes
                    #expect(sizes.rooms == 1)
                    #expect(sizes.participants == 1)
                    #expect(sizes.sessions == 1)
                }
            }
        )
    }

    @Test("joins beyond joinsPerSecond from one address get rate_limited, fatal, close 1013")
    func joinsRateLimited() async throws {
        // joinsPerSecond 1: a burst of one join, then one more per second. On a loaded machine a
        // second later attempt may find the bucket refilled (and join), so up to five attempts go
        // back to back: each joined one empties the bucket again for the next.
        try await TestServer.with(
            configuredBy: { $0.joinsPerSecond = 1 },
            run: { server in
                let token = try await server.token(room: "limited", identity: "eager")
                try await server.connect { connection in
                    try await connection.joinOrThrow(token)
                    let outcome = FirstError()
                    for _ in 0..<5 where await outcome.message == nil {
                        let close = try await server.connect { refused in
                            try await refused.join(token)
                            if let reply = await refused.inbox.next(), reply.type == "error" {
                                await outcome.record(reply)
                            }
                        }
                        if await outcome.message != nil {
                            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1013))
                        }
                    }
                    let error = await outcome.message
                    #expect(error?.code == "rate_limited")
                    #expect(error?.fatal == true)
                }
            }
        )
    }
}

/// The first error reply an attempt got.
private actor FirstError {
    private(set) var message: ReceivedMessage?

    func record(_ message: ReceivedMessage) {
        if self.message == nil {
            self.message = message
        }
    }
}
