import HTTPTypes
import Hummingbird

/// Lets a request through only with `Authorization: Bearer <admin key>`, compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let adminKey: String?

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let adminKey = self.adminKey else {
            throw HTTPErrorResponse(.unauthorized, "The admin API is disabled: the server has no admin key configured.")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), Array(adminKey.utf8))
        else {
            throw HTTPErrorResponse(.unauthorized, "Send the admin key as \"Authorization: Bearer <key>\".")
        }
        return try await next(request, context)
    }

    /// Compares every byte of the presented key whatever the mismatch, so the time taken does not
    /// tell how much of a guess was right (it depends only on the guess's length).
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: presented.count ^ expected.count)
        for index in presented.indices {
            let other = expected.isEmpty ? 0 : expected[index % expected.count]
            difference |= presented[index] ^ other
        }
        return difference == 0 && presented.count == expected.count
    }
}
