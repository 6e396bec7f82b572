/// The master key and master salt of one SRTP direction, for one ``SRTPProfile``, with lengths
/// checked.
///
/// In DTLS-SRTP each side has its own: the client's write key protects what the client sends (the
/// relay's inbound session for that participant), the server's what the relay sends (its outbound
/// session). ``fromDTLSExport(_:profile:)`` splits the exporter output into the two.
///
/// The key is secret: ``description`` prints only lengths. Equality compares the bytes (not in
/// constant time): it is meant for tests and set-up, never for checking a peer's key.
public struct SRTPKeyingMaterial: Sendable, Hashable, CustomStringConvertible {
    /// The profile the lengths were checked against.
    public let profile: SRTPProfile
    /// The master key: ``SRTPProfile/masterKeyLength`` bytes.
    public let masterKey: [UInt8]
    /// The master salt: ``SRTPProfile/masterSaltLength`` bytes.
    public let masterSalt: [UInt8]

    /// Keying material for `profile`.
    ///
    /// - Throws: ``SRTPError`` with ``SRTPError/Code/invalidKeyingMaterial`` when the key or the
    ///   salt does not have the profile's length.
    public init(profile: SRTPProfile, masterKey: [UInt8], masterSalt: [UInt8]) throws(SRTPError) {
        guard masterKey.count == profile.masterKeyLength, masterSalt.count == profile.masterSaltLength else {
            throw SRTPError(.invalidKeyingMaterial, operation: "SRTPKeyingMaterial.init")
        }
        self.profile = profile
        self.masterKey = masterKey
        self.masterSalt = masterSalt
    }

    /// Splits the output of the DTLS exporter (label `EXTRACTOR-dtls_srtp`, no context,
    /// ``SRTPProfile/dtlsExportLength`` bytes) into the client's and the server's keying material.
    ///
    /// The layout is `client_write_key | server_write_key | client_write_salt | server_write_salt`
    /// (RFC 5764 section 4.2). The relay, as DTLS server, unprotects with `client` and protects
    /// with `server`.
    ///
    /// - Throws: ``SRTPError`` with ``SRTPError/Code/invalidKeyingMaterial`` when `exported` does
    ///   not have the profile's length.
    public static func fromDTLSExport(
        _ exported: [UInt8],
        profile: SRTPProfile
    ) throws(SRTPError) -> (client: SRTPKeyingMaterial, server: SRTPKeyingMaterial) {
        guard exported.count == profile.dtlsExportLength else {
            throw SRTPError(.invalidKeyingMaterial, operation: "SRTPKeyingMaterial.fromDTLSExport")
        }
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        let clientKey = Array(exported[0..<keyLength])
        let serverKey = Array(exported[keyLength..<(2 * keyLength)])
        let clientSalt = Array(exported[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(exported[(2 * keyLength + saltLength)...])
        let client = try SRTPKeyingMaterial(profile: profile, masterKey: clientKey, masterSalt: clientSalt)
        let server = try SRTPKeyingMaterial(profile: profile, masterKey: serverKey, masterSalt: serverSalt)
        return (client, server)
    }

    /// `SRTPKeyingMaterial(AEAD_AES_128_GCM, key: 16 bytes, salt: 12 bytes)`: never the bytes.
    public var description: String {
        "SRTPKeyingMaterial(\(self.profile), key: \(self.masterKey.count) bytes, salt: \(self.masterSalt.count) bytes)"
    }
}
