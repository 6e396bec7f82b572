internal import CSRTP

extension SRTPSession {
    /// Bytes of an RTP header without CSRCs or extension.
    private static let rtpHeaderLength = 12
    /// Bytes of an RTCP header (first word and sender SSRC).
    private static let rtcpHeaderLength = 8
    /// Bytes of the SRTCP E flag and index.
    private static let srtcpIndexLength = 4

    /// Protects an RTP packet in place: encrypts its payload and appends the tag.
    ///
    /// The packet's sequence number must not have been protected before by this session for its
    /// SSRC: libsrtp refuses to reuse a packet index (``SRTPError/Code/replayFail``).
    ///
    /// - Parameters:
    ///   - packet: the whole buffer: the RTP packet from its start, then at least
    ///     ``SRTPProfile/rtpTrailerLength`` free bytes. Should start 4-byte aligned (libsrtp reads
    ///     the header as 32-bit words).
    ///   - length: the RTP packet's length.
    /// - Returns: the SRTP packet's length (`length` plus the trailer).
    /// - Throws: ``SRTPError``: ``SRTPError/Code/wrongDirection`` on an inbound session,
    ///   ``SRTPError/Code/invalidLength`` for a length shorter than an RTP header or longer than the
    ///   buffer, ``SRTPError/Code/insufficientCapacity`` when the trailer does not fit, or
    ///   libsrtp's status (``SRTPError/Code/badParam`` for a header whose CSRCs or extension do not
    ///   fit, ``SRTPError/Code/replayFail``, ``SRTPError/Code/noCtx``, ``SRTPError/Code/keyExpired``).
    ///   On error the buffer's contents are unspecified.
    public func protectRTP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int {
        try self.transform(
            &packet,
            length: length,
            direction: .outbound,
            minimumLength: Self.rtpHeaderLength,
            trailerLength: self.profile.rtpTrailerLength,
            operation: "srtp_protect",
            function: srtp_protect
        )
    }

    /// Verifies and decrypts an SRTP packet in place.
    ///
    /// A packet is accepted at most once per index; one that fails authentication changes nothing
    /// in the session (no replay-window movement, no new stream).
    ///
    /// - Parameters:
    ///   - packet: a buffer holding the SRTP packet from its start (untrusted). Should start 4-byte
    ///     aligned.
    ///   - length: the SRTP packet's length.
    /// - Returns: the RTP packet's length (`length` minus the tag).
    /// - Throws: ``SRTPError``: ``SRTPError/Code/authFail`` (forged, corrupted or wrong key),
    ///   ``SRTPError/Code/replayFail`` (duplicate), ``SRTPError/Code/replayOld`` (older than the
    ///   window), ``SRTPError/Code/noCtx`` (unknown SSRC in a specific-SSRC session),
    ///   ``SRTPError/Code/badParam`` or ``SRTPError/Code/parseErr`` (a header that does not fit),
    ///   ``SRTPError/Code/invalidLength`` (shorter than a header and tag),
    ///   ``SRTPError/Code/wrongDirection`` on an outbound session. On error the buffer's contents
    ///   are unspecified and must not be used.
    public func unprotectRTP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int {
        try self.transform(
            &packet,
            length: length,
            direction: .inbound,
            minimumLength: Self.rtpHeaderLength + self.profile.rtpAuthTagLength,
            trailerLength: 0,
            operation: "srtp_unprotect",
            function: srtp_unprotect
        )
    }

    /// Protects an RTCP (possibly compound) packet in place: encrypts all but its first 8 bytes and
    /// appends the E flag, the SRTCP index and the tag.
    ///
    /// - Parameters:
    ///   - packet: the whole buffer: the RTCP packet from its start, then at least
    ///     ``SRTPProfile/rtcpTrailerLength`` free bytes. Should start 4-byte aligned.
    ///   - length: the RTCP packet's length.
    /// - Returns: the SRTCP packet's length (`length` plus the trailer).
    /// - Throws: ``SRTPError`` as ``protectRTP(_:length:)``; ``SRTPError/Code/keyExpired`` when the
    ///   31-bit SRTCP index is exhausted.
    public func protectRTCP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int {
        try self.transform(
            &packet,
            length: length,
            direction: .outbound,
            minimumLength: Self.rtcpHeaderLength,
            trailerLength: self.profile.rtcpTrailerLength,
            operation: "srtp_protect_rtcp",
            function: srtp_protect_rtcp
        )
    }

    /// Verifies and decrypts an SRTCP packet in place.
    ///
    /// - Parameters:
    ///   - packet: a buffer holding the SRTCP packet from its start (untrusted).
    ///   - length: the SRTCP packet's length.
    /// - Returns: the RTCP packet's length (`length` minus the index and the tag).
    /// - Throws: ``SRTPError`` as ``unprotectRTP(_:length:)``.
    public func unprotectRTCP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> Int {
        try self.transform(
            &packet,
            length: length,
            direction: .inbound,
            minimumLength: Self.rtcpHeaderLength + Self.srtcpIndexLength + self.profile.rtcpAuthTagLength,
            trailerLength: 0,
            operation: "srtp_unprotect_rtcp",
            function: srtp_unprotect_rtcp
        )
    }
}

extension SRTPSession {
    /// Protects an RTP packet into a new array: for tests and tools, not the packet path.
    public func protectRTP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: self.profile.rtpTrailerLength)
        var span = buffer.mutableSpan
        let count = try self.protectRTP(&span, length: packet.count)
        buffer.removeSubrange(count...)
        return buffer
    }

    /// Unprotects an SRTP packet into a new array: for tests and tools, not the packet path.
    public func unprotectRTP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        var buffer = packet
        var span = buffer.mutableSpan
        let count = try self.unprotectRTP(&span, length: packet.count)
        buffer.removeSubrange(count...)
        return buffer
    }

    /// Protects an RTCP packet into a new array: for tests and tools, not the packet path.
    public func protectRTCP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: self.profile.rtcpTrailerLength)
        var span = buffer.mutableSpan
        let count = try self.protectRTCP(&span, length: packet.count)
        buffer.removeSubrange(count...)
        return buffer
    }

    /// Unprotects an SRTCP packet into a new array: for tests and tools, not the packet path.
    public func unprotectRTCP(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        var buffer = packet
        var span = buffer.mutableSpan
        let count = try self.unprotectRTCP(&span, length: packet.count)
        buffer.removeSubrange(count...)
        return buffer
    }
}
