import Foundation

/// Everything the endpoint writes to a client: replies and events, encoded as one JSON object.
enum ServerMessage: Sendable, Encodable {
    case joined(JoinedPayload, id: MessageID?)
    case answer(sdp: String, id: MessageID?)
    case pong(id: MessageID?)
    case error(SignalingError, fatal: Bool, id: MessageID?)
    case event(SignalingEvent)

    private enum Key: String, CodingKey {
        case type, id, participant, room, participants, tracks, sdp, code, message, fatal
        case participantId, reason, trackId, muted, participantIds, file
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .joined(let payload, let id):
            try c.encode("joined", forKey: .type)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encode(payload.participant, forKey: .participant)
            try c.encode(payload.room, forKey: .room)
            try c.encode(payload.participants, forKey: .participants)
            try c.encode(payload.tracks, forKey: .tracks)
        case .answer(let sdp, let id):
            try c.encode("answer", forKey: .type)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encode(sdp, forKey: .sdp)
        case .pong(let id):
            try c.encode("pong", forKey: .type)
            try c.encodeIfPresent(id, forKey: .id)
        case .error(let error, let fatal, let id):
            try c.encode("error", forKey: .type)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encode(error.code.rawValue, forKey: .code)
            try c.encode(error.message, forKey: .message)
            try c.encode(fatal, forKey: .fatal)
        case .event(let event):
            try c.encode(event.type, forKey: .type)
            switch event {
            case .participantJoined(let participant):
                try c.encode(participant, forKey: .participant)
            case .participantLeft(let participantId, let reason):
                try c.encode(participantId, forKey: .participantId)
                try c.encode(reason, forKey: .reason)
            case .tracks(let tracks):
                try c.encode(tracks, forKey: .tracks)
            case .trackMuted(let trackId, let muted):
                try c.encode(trackId, forKey: .trackId)
                try c.encode(muted, forKey: .muted)
            case .activeSpeakers(let participantIds):
                try c.encode(participantIds, forKey: .participantIds)
            case .recordingStarted(let file), .recordingStopped(let file):
                try c.encode(file, forKey: .file)
            case .roomClosed, .draining:
                break
            }
        }
    }

    /// The message as one line of JSON text. Encoding these value types cannot fail (no
    /// non-finite floats but a client's own `id`, which decoded from JSON and so is finite); the
    /// fallback keeps the connection consistent if it ever did.
    func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            return #"{"type":"error","code":"internal","message":"The server could not encode a reply.","fatal":false}"#
        }
    }
}
