/// The `a=extmap` URIs of the header extensions RTCWire reads and writes, for matching against
/// SDP. The ids that go with them are negotiated per session and are never fixed.
public enum RTPHeaderExtensionURI {
    /// Client-to-mixer audio level (RFC 6464): ``RTPAudioLevel``.
    public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// Absolute send time (WebRTC): ``RTPAbsSendTime``.
    public static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01): a
    /// 16-bit counter across all of a transport's streams.
    public static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// Media identification (RFC 9143): ``RTPMid``.
    public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
}
