/// A codec the answer accepted on one m-line, with what is needed to match it across participants.
struct NegotiatedCodec: Sendable, Hashable {
    enum Name: Sendable, Hashable {
        case opus
        case vp8
        case h264
    }

    var name: Name
    var payloadType: UInt8
    var rtxPayloadType: UInt8?
    /// H.264 only: the packetization-mode (0 when absent) and the profile_idc (the first two hex
    /// digits of profile-level-id, lower case; `42` when absent).
    var packetizationMode: String?
    var profile: String?

    /// Whether a stream sent with `self` can be forwarded to a receiver that negotiated `other`
    /// with no transcoding: same codec, and for H.264 the same packetization mode and profile.
    func isCompatible(with other: NegotiatedCodec) -> Bool {
        guard self.name == other.name else {
            return false
        }
        if self.name == .h264 {
            return self.packetizationMode == other.packetizationMode && self.profile == other.profile
        }
        return true
    }
}
