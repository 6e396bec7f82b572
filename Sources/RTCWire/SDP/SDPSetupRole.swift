/// The `a=setup` attribute (RFC 4145, RFC 8842): which side starts the DTLS handshake.
///
/// An offerer writes ``actpass``; an answerer chooses ``active`` (it will be the DTLS client) or
/// ``passive`` (it will be the DTLS server, as Parley's relay always is).
public enum SDPSetupRole: String, Sendable, Hashable, CaseIterable {
    /// The endpoint will start the handshake (DTLS client).
    case active
    /// The endpoint will wait for the handshake (DTLS server).
    case passive
    /// The endpoint can take either role; only valid in an offer.
    case actpass
    /// The endpoint does not want a connection now.
    case holdconn
}

extension SDPSetupRole {
    /// Parses the value of `a=setup`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        guard let role = SDPSetupRole(rawValue: SDPText.string(SDPText.trimmed(value))) else {
            throw WireError(.syntax, "a=setup is not active, passive, actpass or holdconn", offset: line)
        }
        self = role
    }
}
