/// What ``ICELiteResponder/handle(request:from:now:response:)`` made of one STUN datagram.
///
/// Whatever the case, the `response` buffer holds the datagram to send back to the source, or is
/// empty when nothing is to be sent.
public enum ICEOutcome: Hashable, Sendable {
    /// An authenticated Binding request: `response` holds the signed success response
    /// (XOR-MAPPED-ADDRESS = the source, MESSAGE-INTEGRITY, FINGERPRINT). Give the request to its
    /// transport.
    case authenticated(ICEBindingRequest)
    /// An authenticated Binding request in which the peer claims the controlled role
    /// (ICE-CONTROLLED without ICE-CONTROLLING): `response` holds a signed 487 Role Conflict.
    ///
    /// The relay is ICE-lite, so it is always controlled (RFC 8445 section 6.1.1) and can never
    /// switch to controlling as section 7.3.1.1 would have a full agent with the smaller
    /// tie-breaker do: it answers 487 whatever the tie-breaker, which tells a full agent to take
    /// the controlling role and check again. The request binds nothing and refreshes no consent.
    case roleConflict(TransportID)
    /// Not an authenticated Binding request. No state was created; `response` holds a small
    /// unsigned error no larger than the request, or is empty (see ``ICERejection``).
    case rejected(ICERejection)
}
