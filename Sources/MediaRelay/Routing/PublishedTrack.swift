/// One track a participant publishes, as negotiated in its SDP: the input the control plane gives
/// ``RoutingTable/init(tracks:subscriptions:)`` for each sending media section.
///
/// The SSRCs listed here are the only ones the relay accepts from ``publisher``: a packet from
/// another participant carrying one of them is dropped (SECURITY.md, "SSRC hijack"), and building
/// a table in which one publisher lists an SSRC twice, or two publishers list the same SSRC, fails.
public struct PublishedTrack: Hashable, Sendable {
    /// Audio or video; decides the default RTP clock rate.
    public enum Kind: UInt8, Hashable, Sendable {
        /// An audio track (Opus in WebRTC; 48 kHz RTP clock).
        case audio
        /// A video track (VP8, H.264, ...; 90 kHz RTP clock).
        case video
    }

    /// The control plane's identifier for the track; unique within a table.
    public var id: RoutingTrackID
    /// The participant that sends it.
    public var publisher: RoutingParticipantID
    /// Audio or video.
    public var kind: Kind
    /// The SSRC of the media stream (`a=ssrc`, the first of an `a=ssrc-group:FID`).
    public var mediaSSRC: UInt32
    /// The SSRC of its RFC 4588 retransmission stream (the second of `a=ssrc-group:FID`), if any.
    public var rtxSSRC: UInt32?
    /// The SSRC of its FEC stream (`a=ssrc-group:FEC-FR`), if any. FEC packets are accepted from
    /// the publisher (they are not a hijack) but not forwarded: their protection headers name the
    /// publisher's SSRC and sequence numbers, which the relay rewrites for each subscriber.
    public var fecSSRC: UInt32?
    /// Every payload type the publisher negotiated for this media section, RTX's included (0-127).
    /// A packet with another payload type is dropped on arrival.
    public var payloadTypes: [UInt8]
    /// Every header extension id the publisher negotiated (`a=extmap`, 1-255). A subscription's
    /// extension map may only translate these.
    public var headerExtensionIDs: [UInt8]
    /// The id the publisher sends the transport-wide sequence number under
    /// (`http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01`), or 0 when it
    /// did not negotiate it. When not 0, the relay records the arrival of the participant's
    /// packets and sends it transport-cc feedback (``TransportWideFeedbackRecorder``). The
    /// number is transport-wide, so every track of a participant should give the same id; the
    /// relay uses the first non-zero one.
    public var transportSequenceNumberExtensionID: UInt8
    /// The RTP clock rate of the media stream, in Hz: used to advance timestamps by wall-clock time
    /// when a subscriber's stream is re-based, and for jitter. Must not be 0.
    public var clockRate: UInt32
    /// A number the control plane increments when the publisher restarts the stream (renegotiates
    /// or reconnects) while keeping its SSRC: each subscriber's rewriter then starts a new
    /// sequence-number and timestamp base instead of trusting the old one.
    public var generation: UInt32

    /// Describes a published track.
    ///
    /// - Parameters:
    ///   - clockRate: the media clock rate, or `nil` for the kind's usual one (48000 for audio,
    ///     90000 for video).
    public init(
        id: RoutingTrackID,
        publisher: RoutingParticipantID,
        kind: Kind,
        mediaSSRC: UInt32,
        rtxSSRC: UInt32? = nil,
        fecSSRC: UInt32? = nil,
        payloadTypes: [UInt8],
        headerExtensionIDs: [UInt8] = [],
        clockRate: UInt32? = nil,
        generation: UInt32 = 0,
        transportSequenceNumberExtensionID: UInt8 = 0
    ) {
        self.id = id
        self.publisher = publisher
        self.kind = kind
        self.mediaSSRC = mediaSSRC
        self.rtxSSRC = rtxSSRC
        self.fecSSRC = fecSSRC
        self.payloadTypes = payloadTypes
        self.headerExtensionIDs = headerExtensionIDs
        self.clockRate = clockRate ?? (kind == .audio ? 48_000 : 90_000)
        self.generation = generation
        self.transportSequenceNumberExtensionID = transportSequenceNumberExtensionID
    }
}
