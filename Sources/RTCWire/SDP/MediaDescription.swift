/// One media description of a session: an `m=` line and the lines after it, up to the next `m=`.
///
/// Attributes the parser knows are typed fields; any other attribute is kept in
/// ``otherAttributes``. Build one in code with the memberwise initialiser (every field but the `m=`
/// line has a default) and add codecs with ``appendCodec(_:)``.
///
/// ## Canonical order
///
/// ``SessionDescription/text`` writes a media description in this order (modelled on Chromium's):
/// `m=`, `i=`, `c=`, `b=`*, `a=rtcp`, `a=candidate`*, `a=end-of-candidates`, `a=ice-ufrag`,
/// `a=ice-pwd`, `a=ice-options`, `a=fingerprint`*, `a=setup`, `a=mid`, `a=extmap-allow-mixed`,
/// `a=extmap`*, the direction, `a=msid`*, `a=rtcp-mux`, `a=rtcp-rsize`, then for each payload type
/// of the `m=` line its `a=rtpmap`, `a=rtcp-fb` and `a=fmtp` lines, then any of those three that
/// name a payload type not on the `m=` line (or `*`), then `a=ssrc-group`*, `a=ssrc`*, `a=rid`*,
/// `a=simulcast`, and last ``otherAttributes`` in their order.
///
/// So that parse, write and parse again give equal values, the parser orders ``rtpMaps``,
/// ``formatParameters`` and ``rtcpFeedback`` the same way: by the position of their payload type on
/// the `m=` line (others last, `*` counting as other), keeping the text's order among equals.
/// Every other list keeps the order of the text.
public struct MediaDescription: Sendable, Hashable {
    /// The media type: `audio`, `video`, `application`, ...
    public var kind: String
    /// The transport port. Port 0 rejects (or disables) the media description.
    public var port: UInt16
    /// The number of ports after `/` on the `m=` line, nil when absent (as in WebRTC).
    public var portCount: UInt16?
    /// The transport protocol, such as `UDP/TLS/RTP/SAVPF` (WebRTC media) or `UDP/DTLS/SCTP`.
    public var proto: String
    /// The media formats: payload types in decimal for RTP protocols (the parser checks they are
    /// numbers in 0-127), other tokens otherwise. See ``payloadTypes``.
    public var formats: [String]

    /// The `i=` line (media title).
    public var information: String?
    /// The `c=` line.
    public var connection: SDPConnection?
    /// The `b=` lines.
    public var bandwidths: [SDPBandwidth]

    /// `a=rtcp`.
    public var rtcp: SDPRTCPAddress?
    /// `a=candidate` lines, in order.
    public var candidates: [SDPCandidate]
    /// `a=end-of-candidates`: no more candidates will be trickled.
    public var endOfCandidates: Bool
    /// `a=ice-ufrag`, the ICE username fragment (4-256 ICE characters).
    public var iceUfrag: String?
    /// `a=ice-pwd`, the ICE password (22-256 ICE characters).
    public var icePwd: String?
    /// `a=ice-options` tokens, such as `trickle`.
    public var iceOptions: [String]
    /// `a=fingerprint` lines.
    public var fingerprints: [SDPFingerprint]
    /// `a=setup`.
    public var setup: SDPSetupRole?
    /// `a=mid`, the media identification tag BUNDLE groups refer to.
    public var mid: String?
    /// `a=extmap-allow-mixed` at media level.
    public var extmapAllowMixed: Bool
    /// `a=extmap` lines.
    public var extensions: [SDPExtensionMap]
    /// The direction attribute; nil when none is written (which means `sendrecv`).
    public var direction: SDPDirection?
    /// `a=msid` lines.
    public var msids: [SDPMsid]
    /// `a=rtcp-mux`: RTCP shares the RTP port.
    public var rtcpMux: Bool
    /// `a=rtcp-rsize`: reduced-size RTCP (RFC 5506) is accepted.
    public var rtcpReducedSize: Bool
    /// `a=rtpmap` lines (only in RTP media descriptions; elsewhere they are other attributes).
    public var rtpMaps: [SDPRTPMap]
    /// `a=fmtp` lines (only in RTP media descriptions).
    public var formatParameters: [SDPFormatParameters]
    /// `a=rtcp-fb` lines (only in RTP media descriptions).
    public var rtcpFeedback: [SDPRTCPFeedback]
    /// `a=ssrc-group` lines.
    public var ssrcGroups: [SDPSSRCGroup]
    /// `a=ssrc` lines.
    public var ssrcs: [SDPSSRCAttribute]
    /// `a=rid` lines.
    public var rids: [SDPRid]
    /// `a=simulcast`.
    public var simulcast: SDPSimulcast?
    /// Every other attribute, in order.
    public var otherAttributes: [SDPAttribute]

    /// Makes a media description. Only the `m=` line's media type and formats are required; the
    /// other defaults describe WebRTC media on the discard port with no attributes.
    public init(
        kind: String,
        port: UInt16 = 9,
        portCount: UInt16? = nil,
        proto: String = "UDP/TLS/RTP/SAVPF",
        formats: [String] = [],
        information: String? = nil,
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        rtcp: SDPRTCPAddress? = nil,
        candidates: [SDPCandidate] = [],
        endOfCandidates: Bool = false,
        iceUfrag: String? = nil,
        icePwd: String? = nil,
        iceOptions: [String] = [],
        fingerprints: [SDPFingerprint] = [],
        setup: SDPSetupRole? = nil,
        mid: String? = nil,
        extmapAllowMixed: Bool = false,
        extensions: [SDPExtensionMap] = [],
        direction: SDPDirection? = nil,
        msids: [SDPMsid] = [],
        rtcpMux: Bool = false,
        rtcpReducedSize: Bool = false,
        rtpMaps: [SDPRTPMap] = [],
        formatParameters: [SDPFormatParameters] = [],
        rtcpFeedback: [SDPRTCPFeedback] = [],
        ssrcGroups: [SDPSSRCGroup] = [],
        ssrcs: [SDPSSRCAttribute] = [],
        rids: [SDPRid] = [],
        simulcast: SDPSimulcast? = nil,
        otherAttributes: [SDPAttribute] = []
    ) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = information
        self.connection = connection
        self.bandwidths = bandwidths
        self.rtcp = rtcp
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.iceOptions = iceOptions
        self.fingerprints = fingerprints
        self.setup = setup
        self.mid = mid
        self.extmapAllowMixed = extmapAllowMixed
        self.extensions = extensions
        self.direction = direction
        self.msids = msids
        self.rtcpMux = rtcpMux
        self.rtcpReducedSize = rtcpReducedSize
        self.rtpMaps = rtpMaps
        self.formatParameters = formatParameters
        self.rtcpFeedback = rtcpFeedback
        self.ssrcGroups = ssrcGroups
        self.ssrcs = ssrcs
        self.rids = rids
        self.simulcast = simulcast
        self.otherAttributes = otherAttributes
    }

    /// Whether the protocol carries RTP (one of its `/`-separated parts is `RTP`), so formats are
    /// payload types.
    public var isRTP: Bool {
        MediaDescription.isRTP(proto: self.proto)
    }

    static func isRTP(proto: String) -> Bool {
        proto.utf8.split(separator: SDPText.slash).contains { $0.elementsEqual("RTP".utf8) }
    }
}
