/// The SRTP master keys and salts a completed DTLS-SRTP handshake produced, from this endpoint's
/// point of view.
///
/// DTLS exports `EXTRACTOR-dtls_srtp` keying material laid out as RFC 5764 section 4.2 says:
/// `client_write_key | server_write_key | client_write_salt | server_write_salt`. The client
/// protects with the client key and salt and the server with the server's, so each side's
/// ``localKey``/``localSalt`` (for protecting what it sends) are the other side's
/// ``remoteKey``/``remoteSalt`` (for unprotecting what it receives).
///
/// These are secrets: do not log them. ``description`` shows only the profile.
public struct DTLSSRTPKeyingMaterial: Sendable, Hashable, CustomStringConvertible {
    /// The negotiated protection profile; the key and salt lengths follow from it.
    public let profile: DTLSSRTPProfile
    /// The master key this endpoint protects outgoing SRTP/SRTCP with.
    public let localKey: [UInt8]
    /// The master salt this endpoint protects outgoing SRTP/SRTCP with.
    public let localSalt: [UInt8]
    /// The master key the peer protects with, for unprotecting what it sends.
    public let remoteKey: [UInt8]
    /// The master salt the peer protects with.
    public let remoteSalt: [UInt8]

    /// Splits exported keying material in RFC 5764 section 4.2 order for one side.
    ///
    /// - Parameters:
    ///   - exported: `profile.keyingMaterialLength` bytes exported with label
    ///     `EXTRACTOR-dtls_srtp`, no context.
    ///   - isClient: whether this endpoint was the DTLS client.
    /// - Returns: `nil` if `exported` has the wrong length.
    public init?(profile: DTLSSRTPProfile, exported: [UInt8], isClient: Bool) {
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        guard exported.count == profile.keyingMaterialLength else { return nil }
        let clientKey = Array(exported[0..<keyLength])
        let serverKey = Array(exported[keyLength..<(2 * keyLength)])
        let clientSalt = Array(exported[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(exported[(2 * keyLength + saltLength)..<(2 * keyLength + 2 * saltLength)])
        self.profile = profile
        if isClient {
            self.localKey = clientKey
            self.localSalt = clientSalt
            self.remoteKey = serverKey
            self.remoteSalt = serverSalt
        } else {
            self.localKey = serverKey
            self.localSalt = serverSalt
            self.remoteKey = clientKey
            self.remoteSalt = clientSalt
        }
    }

    /// ``localKey`` followed by ``localSalt``: the layout libsrtp's policy key takes.
    public var localKeyAndSalt: [UInt8] {
        self.localKey + self.localSalt
    }

    /// ``remoteKey`` followed by ``remoteSalt``: the layout libsrtp's policy key takes.
    public var remoteKeyAndSalt: [UInt8] {
        self.remoteKey + self.remoteSalt
    }

    /// The profile only: the keys are secret.
    public var description: String {
        "DTLSSRTPKeyingMaterial(\(self.profile))"
    }
}
