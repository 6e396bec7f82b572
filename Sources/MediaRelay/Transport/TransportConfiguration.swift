public import RTCSecurity

/// What a ``Transport`` needs from signaling and from the relay's settings. Built by the control
/// plane, handed to the worker.
public struct TransportConfiguration: Sendable {
    /// The relay's DTLS context (its certificate, SRTP profiles, cookie secret); shared by every
    /// transport.
    public var dtlsContext: DTLSContext
    /// The fingerprints signalled for the participant's certificate (SDP `a=fingerprint`); the
    /// handshake fails unless the peer's certificate matches one. Empty matches nothing.
    public var expectedFingerprints: [DTLSFingerprint]
    /// The timeouts (connect, consent).
    public var limits: RelayLimits
    /// The inbound SRTP session's replay window.
    public var replayWindow: Int
    /// Which SSRCs the inbound SRTP session accepts.
    public var inboundStreams: SRTPSession.StreamSelection

    /// A configuration with the default replay window and any inbound SSRC.
    public init(
        dtlsContext: DTLSContext,
        expectedFingerprints: [DTLSFingerprint],
        limits: RelayLimits = RelayLimits(),
        replayWindow: Int = SRTPSession.defaultReplayWindow,
        inboundStreams: SRTPSession.StreamSelection = .anySSRC
    ) {
        self.dtlsContext = dtlsContext
        self.expectedFingerprints = expectedFingerprints
        self.limits = limits
        self.replayWindow = replayWindow
        self.inboundStreams = inboundStreams
    }
}
