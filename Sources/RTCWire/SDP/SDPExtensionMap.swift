/// An `a=extmap` attribute (RFC 8285): the ID an RTP header extension URI uses in this session.
///
/// Offers number extensions freely (Chromium and aiortc number audio level and mid in opposite
/// ways), so an answer must echo the offer's IDs, never assume fixed ones; look them up with
/// ``MediaDescription/extensionID(for:)``.
public struct SDPExtensionMap: Sendable, Hashable {
    /// The audio level extension (RFC 6464).
    public static let audioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// The media identification (mid) extension (RFC 9143).
    public static let midURI = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// The RTP stream ID (rid) extension (RFC 8852).
    public static let ridURI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    /// The repaired RTP stream ID extension (RFC 8852).
    public static let repairedRIDURI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    /// The absolute send time extension used by Google congestion control.
    public static let absSendTimeURI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// The transport-wide congestion control sequence number extension.
    public static let transportWideCCURI =
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    /// The local identifier: 1-14 for one-byte headers, up to 255 for two-byte headers, or
    /// 4096-4351 in offers (RFC 8285 section 5).
    public var id: UInt16
    /// The direction after `/`, nil when none is written.
    public var direction: SDPDirection?
    /// The extension's URI.
    public var uri: String
    /// Extension attributes after the URI, kept as written; nil when there are none.
    public var attributes: String?

    /// Makes an extension mapping.
    public init(id: UInt16, direction: SDPDirection? = nil, uri: String, attributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.attributes = attributes
    }
}

extension SDPExtensionMap {
    /// Parses the value of `a=extmap`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (first, afterFirst) = SDPText.firstField(value)
        let (idText, directionText) = SDPText.split(first, at: SDPText.slash)
        guard let id = SDPText.decimal(idText, as: UInt16.self), (1...255).contains(id) || (4096...4351).contains(id)
        else {
            throw WireError(.syntax, "a=extmap ID is not a number in 1-255 or 4096-4351", offset: line)
        }
        var direction: SDPDirection?
        if let directionText {
            guard let parsed = SDPDirection(rawValue: SDPText.string(directionText)) else {
                throw WireError(.syntax, "a=extmap direction is not a media direction", offset: line)
            }
            direction = parsed
        }
        let (uri, attributes) = SDPText.firstField(afterFirst)
        guard !uri.isEmpty else {
            throw WireError(.syntax, "a=extmap has no URI", offset: line)
        }
        self.init(
            id: id,
            direction: direction,
            uri: SDPText.string(uri),
            attributes: attributes.isEmpty ? nil : SDPText.string(attributes)
        )
    }

    /// Writes the whole `a=extmap` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("extmap")
        writer.decimal(UInt64(self.id))
        if let direction = self.direction {
            writer.byte(SDPText.slash)
            writer.text(direction.rawValue)
        }
        writer.space()
        writer.text(self.uri)
        if let attributes = self.attributes {
            writer.space()
            writer.text(attributes)
        }
        writer.endLine()
    }
}
