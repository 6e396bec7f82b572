public import RTCSecurity

extension Transport {
    /// Converts the DTLS endpoint's keys into the SRTP sessions' keying material: the peer's
    /// write key and salt for the inbound session, ours for the outbound one.
    ///
    /// RTCSecurity's DTLS side still reports its own `DTLSSRTPProfile`; this is the one place that
    /// maps it to `SRTPProfile` (by the IANA protection profile identifier, which both carry).
    /// Once the two profile types are unified it reduces to building the two values.
    ///
    /// - Throws: ``SRTPError`` with `invalidKeyingMaterial` for a profile SRTP does not know or
    ///   keys of the wrong length.
    public static func srtpKeyingMaterial(
        from keys: DTLSSRTPKeyingMaterial
    ) throws(SRTPError) -> (inbound: SRTPKeyingMaterial, outbound: SRTPKeyingMaterial) {
        guard let profile = SRTPProfile(dtlsProtectionProfileID: keys.profile.rawValue) else {
            throw SRTPError(.invalidKeyingMaterial, operation: "Transport.srtpKeyingMaterial")
        }
        let inbound = try SRTPKeyingMaterial(profile: profile, masterKey: keys.remoteKey, masterSalt: keys.remoteSalt)
        let outbound = try SRTPKeyingMaterial(profile: profile, masterKey: keys.localKey, masterSalt: keys.localSalt)
        return (inbound, outbound)
    }
}
