/// The SRTP keying material a completed DTLS-SRTP handshake produced, from one endpoint's point
/// of view: what its owner needs to create its two SRTP sessions.
///
/// ```swift
/// case .handshakeCompleted(let keys):
///     let outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
///     let inbound = try SRTPSession(direction: .inbound, keyingMaterial: keys.remote)
/// ```
///
/// DTLS exports `EXTRACTOR-dtls_srtp` keying material for the negotiated profile, which
/// ``SRTPKeyingMaterial/fromDTLSExport(_:profile:)`` splits as RFC 5764 section 4.2 lays it out
/// (client key, server key, client salt, server salt). The client protects with the client's key
/// and salt and the server with the server's, so each side's ``local`` is the other side's
/// ``remote``.
///
/// These are secrets: do not log them. ``description`` shows only the profile.
public struct DTLSSRTPKeyingMaterial: Sendable, Hashable, CustomStringConvertible {
    /// The negotiated protection profile (also the profile of ``local`` and ``remote``).
    public let profile: SRTPProfile
    /// This endpoint's write key and salt: create the ``SRTPSession/Direction/outbound`` session
    /// (protect what this endpoint sends) with it.
    public let local: SRTPKeyingMaterial
    /// The peer's write key and salt: create the ``SRTPSession/Direction/inbound`` session
    /// (unprotect what the peer sends) with it.
    public let remote: SRTPKeyingMaterial

    /// Splits exported keying material for one side of the handshake.
    ///
    /// ``DTLSEndpoint`` does this itself when the handshake completes; the initialiser is public
    /// for a caller that runs the exporter elsewhere (a tool checking another implementation).
    ///
    /// - Parameters:
    ///   - exported: ``SRTPProfile/dtlsExportLength`` bytes exported with label
    ///     `EXTRACTOR-dtls_srtp` and no context.
    ///   - profile: the negotiated profile.
    ///   - role: this endpoint's role in the handshake.
    /// - Throws: ``SRTPError`` with ``SRTPError/Code/invalidKeyingMaterial`` when `exported` does
    ///   not have the profile's length.
    public init(exported: [UInt8], profile: SRTPProfile, role: DTLSEndpoint.Role) throws(SRTPError) {
        let (client, server) = try SRTPKeyingMaterial.fromDTLSExport(exported, profile: profile)
        self.profile = profile
        switch role {
        case .client:
            self.local = client
            self.remote = server
        case .server:
            self.local = server
            self.remote = client
        }
    }

    /// `DTLSSRTPKeyingMaterial(AEAD_AES_128_GCM)`: the profile only, never the keys.
    public var description: String {
        "DTLSSRTPKeyingMaterial(\(self.profile))"
    }
}
