import Foundation

/// A track in the room, as the server lists it (`joined.tracks`, `tracks`).
public struct SignalingTrack: Sendable, Hashable {
    /// The track's id (`t12`).
    public var id: String
    /// Its publisher (`p7`).
    public var participantID: String
    /// `audio` or `video`.
    public var kind: String
    /// Whether it is muted.
    public var muted: Bool

    /// A track.
    public init(id: String, participantID: String, kind: String, muted: Bool) {
        self.id = id
        self.participantID = participantID
        self.kind = kind
        self.muted = muted
    }
}

/// What the load generator sends on the signaling WebSocket (protocol v1, client -> server).
public enum ClientMessage: Sendable, Hashable {
    /// `join` with a token and an optional display name.
    case join(token: String, name: String?)
    /// `offer` with SDP.
    case offer(sdp: String)
    /// `candidate`: `""` ends the candidates.
    case candidate(String, sdpMid: String)
    /// `ping` (answered by `pong`).
    case ping
    /// `leave` (the server closes with 1000).
    case leave

    /// The message as one JSON text frame, with `id` if given.
    public func json(id: Int? = nil) -> String {
        var object: [String: Any] = [:]
        switch self {
        case .join(let token, let name):
            object["type"] = "join"
            object["token"] = token
            if let name {
                object["name"] = name
            }
        case .offer(let sdp):
            object["type"] = "offer"
            object["sdp"] = sdp
        case .candidate(let candidate, let sdpMid):
            object["type"] = "candidate"
            object["candidate"] = candidate
            object["sdpMid"] = sdpMid
        case .ping:
            object["type"] = "ping"
        case .leave:
            object["type"] = "leave"
        }
        if let id {
            object["id"] = id
        }
        // Strings and integers only: serialisation cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// What the server sends (protocol v1, server -> client), as far as the load generator cares.
public enum ServerMessage: Sendable, Hashable {
    /// `joined`: our participant id, the room's audio mode and the tracks in the room.
    case joined(participantID: String, audioMode: String, tracks: [SignalingTrack])
    /// `answer` with SDP.
    case answer(sdp: String)
    /// `tracks`: the full list changed.
    case tracks([SignalingTrack])
    /// `error`.
    case error(code: String, message: String, fatal: Bool)
    /// `pong`.
    case pong
    /// `room_closed`.
    case roomClosed
    /// `draining`.
    case draining
    /// Any other event (participant_joined, active_speakers, ...), by type.
    case other(type: String)

    /// Decodes one text frame.
    ///
    /// - Throws: ``LoadGeneratorError`` with code `signaling` for anything that is not a JSON
    ///   object with a string `type`, or a known type missing its fields.
    public init(json text: String) throws(LoadGeneratorError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let type = object["type"] as? String
        else {
            throw LoadGeneratorError(
                .signaling,
                "a server message is not a JSON object with a type: \(text.prefix(120))"
            )
        }
        switch type {
        case "joined":
            guard let participant = object["participant"] as? [String: Any], let id = participant["id"] as? String
            else {
                throw LoadGeneratorError(.signaling, "joined without participant.id")
            }
            let room = object["room"] as? [String: Any]
            self = .joined(
                participantID: id,
                audioMode: room?["audioMode"] as? String ?? "forwarded",
                tracks: Self.tracks(object["tracks"])
            )
        case "answer":
            guard let sdp = object["sdp"] as? String else {
                throw LoadGeneratorError(.signaling, "answer without sdp")
            }
            self = .answer(sdp: sdp)
        case "tracks":
            self = .tracks(Self.tracks(object["tracks"]))
        case "error":
            self = .error(
                code: object["code"] as? String ?? "unknown",
                message: object["message"] as? String ?? "",
                fatal: object["fatal"] as? Bool ?? false
            )
        case "pong":
            self = .pong
        case "room_closed":
            self = .roomClosed
        case "draining":
            self = .draining
        default:
            self = .other(type: type)
        }
    }

    private static func tracks(_ value: Any?) -> [SignalingTrack] {
        guard let list = value as? [[String: Any]] else { return [] }
        return list.compactMap { track in
            guard let id = track["id"] as? String, let participant = track["participantId"] as? String else {
                return nil
            }
            return SignalingTrack(
                id: id,
                participantID: participant,
                kind: track["kind"] as? String ?? "audio",
                muted: track["muted"] as? Bool ?? false
            )
        }
    }
}
