import JWTKit

/// The JSON payload of a Parley token as it is on the wire, before any check.
///
/// Every claim is optional here so that a missing one gets a precise message from
/// ``TokenVerifier`` rather than a decoding error; unknown claims are ignored by `Decodable`.
/// `verify(using:)` does nothing because the verifier checks the claims itself against an
/// injectable clock (jwt-kit's claim types read the system clock).
struct TokenPayload: JWTPayload, Equatable {
    var iss: String?
    var sub: String?
    var room: String?
    var name: String?
    var grants: [String]?
    var exp: Double?
    var nbf: Double?
    var iat: Double?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
