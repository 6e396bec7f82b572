/// An error of the Parley signaling protocol: a machine-readable code and a sentence for people.
///
/// The backend throws it from every ``SignalingBackend`` function; the WebSocket endpoint sends it
/// to the client as `{"type":"error","code":...,"message":...,"fatal":...}` and the admin API as
/// `{"error":{"code":...,"message":...}}`. Two errors are equal when their codes are equal (the
/// message is for people and may change). The ``message`` should say what was wrong and what to do.
public struct SignalingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code of a ``SignalingError``: the `code` string of the protocol.
    ///
    /// A struct rather than an enum so that codes can be added without breaking clients of this
    /// module. The raw value is exactly the string sent on the wire.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as sent on the wire, for example `"invalid_token"`.
        public let rawValue: String

        /// Creates a code from its wire string. Prefer the static constants.
        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// The message was malformed, had an unknown `type`, or missed a required field.
        public static let badRequest = Code("bad_request")
        /// A message other than `join` (or `ping`) arrived before a successful `join`.
        public static let notJoined = Code("not_joined")
        /// A second `join` on a connection that has already joined.
        public static let alreadyJoined = Code("already_joined")
        /// The token was malformed, too large, badly signed, used another algorithm or issuer.
        public static let invalidToken = Code("invalid_token")
        /// The token's `exp` has passed or its `nbf` lies in the future.
        public static let tokenExpired = Code("token_expired")
        /// The token lacks a grant the action needs, or is for another room.
        public static let forbidden = Code("forbidden")
        /// The room does not exist (and the token may not create it).
        public static let roomNotFound = Code("room_not_found")
        /// The room has reached its maximum number of participants.
        public static let roomFull = Code("room_full")
        /// The server is shutting down and accepts no new joins or rooms.
        public static let draining = Code("draining")
        /// Too many joins from this address; try again later.
        public static let rateLimited = Code("rate_limited")
        /// The SDP offer could not be parsed or misses `a=ssrc`, a fingerprint or ICE credentials.
        public static let badOffer = Code("bad_offer")
        /// The SDP offer is valid but asks for something Parley does not do (no BUNDLE, no
        /// rtcp-mux, no Opus).
        public static let unsupportedOffer = Code("unsupported_offer")
        /// A message or field exceeded a configured limit.
        public static let tooLarge = Code("too_large")
        /// Something failed inside the server; the request may be retried.
        public static let `internal` = Code("internal")
        /// Admin API: a missing or wrong admin key (HTTP 401).
        public static let unauthorized = Code("unauthorized")
        /// Admin API: the target exists already or is in a conflicting state (HTTP 409).
        public static let conflict = Code("conflict")
        /// Admin API: a participant, recording or route that does not exist (HTTP 404).
        public static let notFound = Code("not_found")

        /// The wire string.
        public var description: String { self.rawValue }
    }

    /// What went wrong, as a protocol code.
    public let code: Code
    /// A sentence saying what was wrong and what to do about it; sent to the client.
    public let message: String

    /// Creates an error with a code and a sentence for the client.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code.rawValue): \(self.message)" }

    /// Equality by code only.
    public static func == (lhs: SignalingError, rhs: SignalingError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
