extension SessionDescription {
    /// The first group with the given semantics (such as ``SDPGroup/bundle``), or nil.
    public func group(_ semantics: String) -> SDPGroup? {
        self.groups.first { $0.semantics == semantics }
    }

    /// The mids of the first BUNDLE group, or an empty list when there is none.
    public var bundleMIDs: [String] {
        self.group(SDPGroup.bundle)?.mids ?? []
    }

    /// The media description whose `a=mid` is `mid`, or nil.
    public func media(mid: String) -> MediaDescription? {
        self.media.first { $0.mid == mid }
    }

    /// The ICE username fragment that applies to `media`: its own, else the session's.
    public func iceUfrag(of media: MediaDescription) -> String? {
        media.iceUfrag ?? self.iceUfrag
    }

    /// The ICE password that applies to `media`: its own, else the session's.
    public func icePwd(of media: MediaDescription) -> String? {
        media.icePwd ?? self.icePwd
    }

    /// The DTLS fingerprints that apply to `media`: its own if it has any, else the session's.
    public func fingerprints(of media: MediaDescription) -> [SDPFingerprint] {
        media.fingerprints.isEmpty ? self.fingerprints : media.fingerprints
    }

    /// The DTLS setup role that applies to `media`: its own, else the session's.
    public func setup(of media: MediaDescription) -> SDPSetupRole? {
        media.setup ?? self.setup
    }

    /// The direction that applies to `media`: its own, else the session's, else `sendrecv`.
    public func direction(of media: MediaDescription) -> SDPDirection {
        media.direction ?? self.direction ?? .sendrecv
    }
}
