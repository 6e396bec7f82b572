public import RTCSecurity

extension Transport {
    /// Whether RTP or RTCP from `source` may be unprotected now: only when connected and only from
    /// the bound tuple. Returns the reason (and counts the drop) when not.
    ///
    /// This is the gate that keeps the relay from learning an address from media: a packet from
    /// any other tuple is dropped before SRTP sees it, however well-formed, so it can move neither
    /// the bound tuple nor a replay window.
    public func admitMedia(from source: RelayAddress) -> TransportDropReason? {
        let reason: TransportDropReason
        switch self.state {
        case .connected:
            if source == self.boundAddress { return nil }
            reason = .mediaFromUnboundTuple
        case .closed:
            reason = .closed
        case .waitingForICE, .dtls:
            reason = .mediaBeforeConnected
        }
        self.counters.count(reason)
        return reason
    }

    /// Admits and unprotects an SRTP packet in place.
    ///
    /// - Parameters:
    ///   - packet: the buffer holding the packet from its start (untrusted).
    ///   - length: the packet's length.
    ///   - source: the tuple it came from.
    /// - Returns: ``TransportMediaResult/accepted(length:)`` with the RTP length, or the drop.
    public func unprotectRTP(
        _ packet: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress
    ) -> TransportMediaResult {
        if let reason = self.admitMedia(from: source) { return .dropped(reason) }
        guard let session = self.inboundSession else { return self.drop(.mediaBeforeConnected) }
        do {
            let plain = try session.unprotectRTP(&packet, length: length)
            self.counters.rtpAccepted &+= 1
            return .accepted(length: plain)
        } catch {
            return self.drop(.srtpUnprotectFailed)
        }
    }

    /// Admits and unprotects an SRTCP packet in place; as ``unprotectRTP(_:length:from:)``.
    public func unprotectRTCP(
        _ packet: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress
    ) -> TransportMediaResult {
        if let reason = self.admitMedia(from: source) { return .dropped(reason) }
        guard let session = self.inboundSession else { return self.drop(.mediaBeforeConnected) }
        do {
            let plain = try session.unprotectRTCP(&packet, length: length)
            self.counters.rtcpAccepted &+= 1
            return .accepted(length: plain)
        } catch {
            return self.drop(.srtpUnprotectFailed)
        }
    }

    /// Protects an RTP packet in place for sending to ``boundAddress``, if the transport may send.
    ///
    /// - Parameters:
    ///   - packet: the RTP packet from its start, then at least the profile's trailer length free.
    ///   - length: the RTP packet's length.
    /// - Returns: ``TransportMediaResult/accepted(length:)`` with the SRTP length to send, or
    ///   ``TransportDropReason/sendWithoutConsent`` when not connected or without consent. An
    ///   SRTP error (a repeated sequence number, no room for the tag) is returned as thrown.
    /// - Throws: ``SRTPError`` from the outbound session.
    public func protectRTP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> TransportMediaResult {
        guard self.canSend, let session = self.outboundSession else { return self.drop(.sendWithoutConsent) }
        return .accepted(length: try session.protectRTP(&packet, length: length))
    }

    /// Protects an RTCP packet in place for sending; as ``protectRTP(_:length:)``.
    public func protectRTCP(_ packet: inout MutableSpan<UInt8>, length: Int) throws(SRTPError) -> TransportMediaResult {
        guard self.canSend, let session = self.outboundSession else { return self.drop(.sendWithoutConsent) }
        return .accepted(length: try session.protectRTCP(&packet, length: length))
    }

    /// Convenience for tests and tools: unprotects an SRTP packet held in an array.
    public func unprotectRTP(_ packet: [UInt8], from source: RelayAddress) -> (TransportMediaResult, [UInt8]) {
        var buffer = packet
        var span = buffer.mutableSpan
        let result = self.unprotectRTP(&span, length: packet.count, from: source)
        if case .accepted(let length) = result {
            buffer.removeSubrange(length...)
        }
        return (result, buffer)
    }

    private func drop(_ reason: TransportDropReason) -> TransportMediaResult {
        self.counters.count(reason)
        return .dropped(reason)
    }
}
