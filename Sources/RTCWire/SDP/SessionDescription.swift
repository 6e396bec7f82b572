/// A session description (RFC 8866) with the attributes WebRTC uses (RFC 8829 and the RFCs it
/// cites), as a value: parse an offer with ``init(parsing:limits:)-(String,_)``, build an answer
/// with the memberwise initialiser, and write either with ``text`` or ``write(into:)``.
///
/// Parsing takes untrusted text from the signaling socket: it enforces ``SDPLimits`` and throws
/// ``WireError`` (code ``WireError/Code/syntax``, ``WireError/Code/missingField``,
/// ``WireError/Code/tooLarge`` or ``WireError/Code/tooMany``, with ``WireError/offset`` set to the
/// 1-based number of the offending line) and never traps. Lines may end in CRLF or LF; writing
/// always uses CRLF.
///
/// Attributes the parser knows become typed fields, here for the session level and in
/// ``MediaDescription`` for each `m=` section; any other attribute is kept, in order, in
/// ``otherAttributes``. Since the model does not record where each typed line stood, writing uses
/// one canonical order, and the parser normalises the few lists whose written order depends on
/// another field (see ``MediaDescription``). So parse, write and parse again give an equal value,
/// and writing that value again gives the same text.
///
/// ## Canonical order
///
/// `v=0`, `o=`, `s=`, `i=`, `u=`, `e=`*, `p=`*, `c=`, `b=`*, `t=` (each followed by its `r=`
/// lines; `t=0 0` when ``timings`` is empty), `z=`, then the session attributes: `a=group`*,
/// `a=extmap-allow-mixed`, `a=msid-semantic`, `a=ice-lite`, `a=ice-ufrag`, `a=ice-pwd`,
/// `a=ice-options`, `a=fingerprint`*, `a=setup`, `a=extmap`*, the direction, and
/// ``otherAttributes``; then each media description.
///
/// ## What the parser accepts
///
/// `v=0` must be the first line; `o=`, `s=` and at least one `t=` must appear before the first
/// `m=`. Other session lines may come in any order, single-valued ones once. Blank lines are
/// skipped, trailing spaces and tabs are removed, control characters are rejected. `k=` lines are
/// discarded, as RFC 8866 section 5.12 requires. A known attribute that takes no value (such as
/// `a=rtcp-mux`) must have none, one that takes a value must have a valid one, and single-valued
/// ones (such as `a=mid` or `a=setup`) may appear once per level. Mids are unique across media
/// descriptions, extmap IDs within a level, and each payload type has at most one `a=rtpmap` and
/// one `a=fmtp`, so lookups by any of these are unambiguous.
public struct SessionDescription: Sendable, Hashable {
    /// The `o=` line.
    public var origin: SDPOrigin
    /// The `s=` line; WebRTC writes `-`.
    public var sessionName: String
    /// The `i=` line.
    public var information: String?
    /// The `u=` line.
    public var uri: String?
    /// The `e=` lines.
    public var emails: [String]
    /// The `p=` lines.
    public var phones: [String]
    /// The session-level `c=` line.
    public var connection: SDPConnection?
    /// The session-level `b=` lines.
    public var bandwidths: [SDPBandwidth]
    /// The `t=` lines (with their `r=` lines); at least one in parsed descriptions.
    public var timings: [SDPTiming]
    /// The `z=` line, kept as written.
    public var timeZones: String?

    /// `a=group` lines, such as `BUNDLE 0 1`.
    public var groups: [SDPGroup]
    /// `a=extmap-allow-mixed`: one- and two-byte header extensions may be mixed (RFC 8285).
    public var extmapAllowMixed: Bool
    /// `a=msid-semantic`.
    public var msidSemantic: SDPMsidSemantic?
    /// `a=ice-lite`: the writer is an ICE-lite agent (as Parley's relay is).
    public var iceLite: Bool
    /// Session-level `a=ice-ufrag`; a media-level one takes precedence (see ``iceUfrag(of:)``).
    public var iceUfrag: String?
    /// Session-level `a=ice-pwd`.
    public var icePwd: String?
    /// Session-level `a=ice-options` tokens.
    public var iceOptions: [String]
    /// Session-level `a=fingerprint` lines.
    public var fingerprints: [SDPFingerprint]
    /// Session-level `a=setup`.
    public var setup: SDPSetupRole?
    /// Session-level `a=extmap` lines.
    public var extensions: [SDPExtensionMap]
    /// Session-level direction attribute.
    public var direction: SDPDirection?
    /// Every other session-level attribute, in order.
    public var otherAttributes: [SDPAttribute]

    /// The media descriptions, in order.
    public var media: [MediaDescription]

    /// Makes a session description. Only the origin is required; the defaults give `s=-`, `t=0 0`
    /// and no attributes or media.
    public init(
        origin: SDPOrigin,
        sessionName: String = "-",
        information: String? = nil,
        uri: String? = nil,
        emails: [String] = [],
        phones: [String] = [],
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        timings: [SDPTiming] = [SDPTiming()],
        timeZones: String? = nil,
        groups: [SDPGroup] = [],
        extmapAllowMixed: Bool = false,
        msidSemantic: SDPMsidSemantic? = nil,
        iceLite: Bool = false,
        iceUfrag: String? = nil,
        icePwd: String? = nil,
        iceOptions: [String] = [],
        fingerprints: [SDPFingerprint] = [],
        setup: SDPSetupRole? = nil,
        extensions: [SDPExtensionMap] = [],
        direction: SDPDirection? = nil,
        otherAttributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.groups = groups
        self.extmapAllowMixed = extmapAllowMixed
        self.msidSemantic = msidSemantic
        self.iceLite = iceLite
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.iceOptions = iceOptions
        self.fingerprints = fingerprints
        self.setup = setup
        self.extensions = extensions
        self.direction = direction
        self.otherAttributes = otherAttributes
        self.media = media
    }
}
