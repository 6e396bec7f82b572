internal import CSRTP

// Hooks for RTCSecurity's own tests, behind `@_spi(Testing)`: invisible to a plain
// `import RTCSecurity`. They exist because libsrtp's events cannot be provoked through Parley's
// normal API: key limits need about 2^48 packets, and an SSRC collision needs one session to
// protect and unprotect, which SRTPSession refuses.
extension SRTPSession {
    /// A libsrtp event kind, for ``simulateLibraryEvent(_:ssrc:)``.
    @_spi(Testing)
    public enum LibraryEvent: Sendable, CaseIterable {
        /// `event_ssrc_collision`.
        case ssrcCollision
        /// `event_key_soft_limit`.
        case keySoftLimit
        /// `event_key_hard_limit`.
        case keyHardLimit
        /// `event_packet_index_limit`.
        case packetIndexLimit
    }

    /// Calls the event handler Parley installed in libsrtp with an event for this session's
    /// `srtp_t`, exactly as libsrtp would: tests the routing (user data to session to counters)
    /// for events libsrtp cannot be made to raise in a test.
    @_spi(Testing)
    public func simulateLibraryEvent(_ event: LibraryEvent, ssrc: UInt32) {
        LibSRTP.ensureInitialized()
        let kind: srtp_event_t
        switch event {
        case .ssrcCollision: kind = event_ssrc_collision
        case .keySoftLimit: kind = event_key_soft_limit
        case .keyHardLimit: kind = event_key_hard_limit
        case .packetIndexLimit: kind = event_packet_index_limit
        }
        var data = srtp_event_data_t(session: self.context, ssrc: ssrc, event: kind)
        LibSRTP.eventHandler(&data)
    }

    /// Unprotects an SRTP packet without the direction check, so that a test can make libsrtp raise
    /// a real `event_ssrc_collision` on an outbound session. Never use it outside tests: one key
    /// used in both directions is a keystream reuse.
    @_spi(Testing)
    public func unprotectRTPIgnoringDirection(
        _ packet: inout MutableSpan<UInt8>,
        length: Int
    ) throws(SRTPError) -> Int {
        try self.transform(
            &packet,
            length: length,
            direction: self.direction,
            minimumLength: 12 + self.profile.rtpAuthTagLength,
            trailerLength: 0,
            operation: "srtp_unprotect",
            function: srtp_unprotect
        )
    }
}
