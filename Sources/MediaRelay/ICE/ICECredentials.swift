/// The ICE credentials of one participant transport, as the answer SDP signalled them: what the
/// ``ICELiteResponder`` checks a Binding request against.
///
/// The relay is the ICE-lite side, so a request it receives carries USERNAME
/// `<localUfrag>:<remoteUfrag>` and a MESSAGE-INTEGRITY keyed with ``localPassword``.
public struct ICECredentials: Sendable, Hashable {
    /// The transport an authenticated request belongs to.
    public var transport: TransportID
    /// Our `a=ice-ufrag`: 4 to ``ICELiteResponder/maximumLocalUfragLength`` ice-chars
    /// (`A-Z a-z 0-9 + /`), unique among the responder's credentials.
    public var localUfrag: String
    /// Our `a=ice-pwd`: 22 to 256 ice-chars (RFC 8839 section 5.4). It keys MESSAGE-INTEGRITY.
    public var localPassword: String
    /// The peer's `a=ice-ufrag`, which must follow the colon in USERNAME; `nil` accepts any
    /// (for a peer whose offer did not carry one yet). At most 256 ice-chars.
    public var remoteUfrag: String?

    /// Credentials for one transport.
    public init(transport: TransportID, localUfrag: String, localPassword: String, remoteUfrag: String?) {
        self.transport = transport
        self.localUfrag = localUfrag
        self.localPassword = localPassword
        self.remoteUfrag = remoteUfrag
    }
}
