import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A ``SignalingError`` rendered as an HTTP response: `{"error":{"code":...,"message":...}}` with
/// the status its code maps to.
struct HTTPErrorResponse: HTTPResponseError {
    let error: SignalingError

    init(_ error: SignalingError) {
        self.error = error
    }

    init(_ code: SignalingError.Code, _ message: String) {
        self.error = SignalingError(code, message)
    }

    var status: HTTPResponse.Status {
        switch self.error.code {
        case .badRequest, .badOffer, .unsupportedOffer, .tooLarge: .badRequest
        case .unauthorized, .invalidToken, .tokenExpired: .unauthorized
        case .forbidden: .forbidden
        case .roomNotFound, .notFound: .notFound
        case .conflict, .roomFull, .alreadyJoined: .conflict
        case .rateLimited: .tooManyRequests
        case .draining: .serviceUnavailable
        default: .internalServerError
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if self.status == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer"
        }
        return jsonResponse(
            ErrorBody(error: .init(code: self.error.code.rawValue, message: self.error.message)),
            status: self.status,
            headers: headers
        )
    }
}

/// `{"error":{"code":...,"message":...}}`.
private struct ErrorBody: Encodable {
    struct Inner: Encodable {
        let code: String
        let message: String
    }
    let error: Inner
}

/// A JSON response with sorted keys.
func jsonResponse(
    _ value: some Encodable,
    status: HTTPResponse.Status = .ok,
    headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}

/// Decodes a small JSON body or throws a `bad_request` HTTP error.
func decodeBody<T: Decodable>(_ type: T.Type, request: Request, limit: Int = 64 * 1024) async throws -> T {
    let buffer: ByteBuffer
    do {
        buffer = try await request.body.collect(upTo: limit)
    } catch {
        throw HTTPErrorResponse(.tooLarge, "The request body is larger than \(limit) bytes.")
    }
    switch JSONShape.check(Array(buffer.readableBytesView), maxDepth: 16) {
    case .ok: break
    case .notAnObject, .tooDeep: throw HTTPErrorResponse(.badRequest, "The body must be one JSON object.")
    }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    } catch {
        throw HTTPErrorResponse(
            .badRequest,
            "The body is not the expected JSON object; see docs/signaling-protocol.md."
        )
    }
}
