import Foundation

/// A message from a client, decoded and checked (protocol v1, "client -> server").
enum ClientMessage: Sendable, Equatable {
    case join(token: String, name: String?)
    case offer(sdp: String)
    case candidate(candidate: String, sdpMid: String?, sdpMLineIndex: Int?)
    case mute(kind: TrackKind, muted: Bool)
    case startRecording
    case stopRecording
    case ping
    case leave

    /// What can go wrong while decoding one frame.
    enum DecodeFailure: Error, Equatable {
        /// Not a JSON object at all, or nested too deep: fatal, close 4400.
        case malformed(String)
        /// A JSON object that is not a valid message (unknown type, missing or mistyped field):
        /// an `error` reply, not a close. The id is echoed when it could be read.
        case invalid(String, id: MessageID?)
    }

    /// Every field any message may carry; unknown fields are ignored by `Decodable`.
    private struct Envelope: Decodable {
        var type: String?
        var id: MessageID?
        var token: String?
        var name: String?
        var sdp: String?
        var candidate: String?
        var sdpMid: String?
        var sdpMLineIndex: Int?
        var kind: String?
        var muted: Bool?
    }

    /// Only the id, read again when the envelope fails so the error can still be correlated.
    private struct IDOnly: Decodable {
        var id: MessageID?
    }

    /// Decodes one text frame. `limits` bound the nesting depth before the JSON parser runs, so
    /// 10^4-deep input never reaches a recursive parser.
    static func decode(_ bytes: [UInt8], limits: SignalingLimits) -> Result<(ClientMessage, MessageID?), DecodeFailure>
    {
        switch JSONShape.check(bytes, maxDepth: limits.maxJSONDepth) {
        case .ok:
            break
        case .notAnObject:
            return .failure(.malformed("A message must be one JSON object with a \"type\" string."))
        case .tooDeep:
            return .failure(.malformed("The JSON is nested deeper than \(limits.maxJSONDepth) levels."))
        }
        let decoder = JSONDecoder()
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: Data(bytes))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            return .failure(.malformed("The message is not valid JSON."))
        } catch {
            let id = (try? decoder.decode(IDOnly.self, from: Data(bytes)))?.id
            return .failure(.invalid("A field has the wrong type: \(Self.describe(error)).", id: id))
        }
        let id = envelope.id
        guard let type = envelope.type else {
            return .failure(.invalid("The message has no \"type\" string.", id: id))
        }
        func require<T>(_ value: T?, _ field: String) -> Result<T, DecodeFailure> {
            if let value { return .success(value) }
            return .failure(.invalid("A \"\(type)\" message needs a \"\(field)\" field.", id: id))
        }
        let message: Result<ClientMessage, DecodeFailure>
        switch type {
        case "join":
            message = require(envelope.token, "token").map { .join(token: $0, name: envelope.name) }
        case "offer":
            message = require(envelope.sdp, "sdp").map { .offer(sdp: $0) }
        case "candidate":
            message = require(envelope.candidate, "candidate").map {
                .candidate(candidate: $0, sdpMid: envelope.sdpMid, sdpMLineIndex: envelope.sdpMLineIndex)
            }
        case "mute":
            guard let kindString = envelope.kind, let kind = TrackKind(rawValue: kindString) else {
                return .failure(.invalid("A \"mute\" message needs \"kind\": \"audio\" or \"video\".", id: id))
            }
            message = require(envelope.muted, "muted").map { .mute(kind: kind, muted: $0) }
        case "start_recording": message = .success(.startRecording)
        case "stop_recording": message = .success(.stopRecording)
        case "ping": message = .success(.ping)
        case "leave": message = .success(.leave)
        default:
            let shown = type.count > 40 ? String(type.prefix(40)) + "..." : type
            return .failure(
                .invalid(
                    "Unknown message type \"\(shown)\"; see docs/signaling-protocol.md for the types of protocol v1.",
                    id: id
                )
            )
        }
        return message.map { ($0, id) }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable" }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "unreadable" : "\"\(path)\""
        @unknown default:
            return "unreadable"
        }
    }
}
