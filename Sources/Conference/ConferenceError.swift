/// Why the conference refused a call: a ``Code`` the signaling layer turns into the protocol's error
/// code, and a sentence for the person at the other end saying what was wrong and what to do.
///
/// A call that throws a `ConferenceError` has changed nothing: the room, its participants and its
/// media plan are as they were. Two errors are equal when their codes are; branch on the code, show
/// the ``message``.
public struct ConferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal this is. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The protocol's name for the code (`room_not_found`), which is also its description.
        public let protocolName: String

        private init(_ protocolName: String) {
            self.protocolName = protocolName
        }

        /// A malformed request: an invalid room name, identity or setting (`bad_request`).
        public static let badRequest = Code("bad_request")
        /// The grants do not allow the call (`forbidden`).
        public static let forbidden = Code("forbidden")
        /// No room has that name, and the caller may not create it (`room_not_found`).
        public static let roomNotFound = Code("room_not_found")
        /// The room has `maxParticipants` participants already (`room_full`).
        public static let roomFull = Code("room_full")
        /// The server is shutting down and accepts no new rooms or participants (`draining`).
        public static let draining = Code("draining")
        /// The offer does not parse, or lacks a=mid, a=ssrc, a fingerprint or ICE credentials
        /// (`bad_offer`).
        public static let badOffer = Code("bad_offer")
        /// The offer is valid but asks for something Parley does not do: no BUNDLE, no rtcp-mux, no
        /// Opus, no VP8 or H.264 for video, no DTLS role Parley can take (`unsupported_offer`).
        public static let unsupportedOffer = Code("unsupported_offer")
        /// A room with that name exists already, or it is being recorded already
        /// (`already_exists`; HTTP 409 in the admin API). Not in the v1 WebSocket list: only the
        /// admin API creates rooms and recordings by name.
        public static let alreadyExists = Code("already_exists")
        /// The server hosts its configured maximum number of rooms (`too_many_rooms`; the lead
        /// may map it to `room_full` on the WebSocket and 503 in the admin API).
        public static let tooManyRooms = Code("too_many_rooms")
        /// No participant has that ID (`participant_not_found`; 404 in the admin API, `not_joined`
        /// on a WebSocket whose participant is gone).
        public static let participantNotFound = Code("participant_not_found")
        /// Parley could not do what it should have been able to (`internal`).
        public static let `internal` = Code("internal")

        /// The protocol's name for the code.
        public var description: String {
            self.protocolName
        }
    }

    /// The kind of refusal.
    public let code: Code
    /// A sentence saying what was wrong and what to do, for the client or operator.
    public let message: String

    /// Makes an error with a code and a message for people.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `room_full: The room "r" has 100 participants, its maximum; ...`.
    public var description: String {
        "\(self.code): \(self.message)"
    }

    /// Equal when the codes are equal (the message is for people, not for matching).
    public static func == (lhs: ConferenceError, rhs: ConferenceError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
