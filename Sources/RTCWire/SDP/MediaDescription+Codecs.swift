extension MediaDescription {
    /// The formats that are RTP payload types (0-127), in `m=` line order.
    public var payloadTypes: [UInt8] {
        self.formats.compactMap { SDPText.payloadType(ArraySlice($0.utf8)) }
    }

    /// The codecs of the `m=` line in its order (the offerer's preference): each payload type with
    /// its `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` lines joined. A static payload type without
    /// `a=rtpmap` (such as 0 for PCMU) gets its RFC 3551 meaning; other payload types without one
    /// are left out. A payload type listed twice appears once.
    public var codecs: [SDPCodec] {
        var result: [SDPCodec] = []
        var seen: Set<UInt8> = []
        for payloadType in self.payloadTypes where seen.insert(payloadType).inserted {
            if let codec = self.codec(payloadType: payloadType) {
                result.append(codec)
            }
        }
        return result
    }

    /// The codec for one payload type, or nil when nothing says what it means. Feedback lists the
    /// payload type's own `a=rtcp-fb` lines, then those for `*`. (In a description built in code
    /// with several `a=rtpmap` or `a=fmtp` lines for one payload type, the first counts.)
    public func codec(payloadType: UInt8) -> SDPCodec? {
        var codec: SDPCodec
        if let map = self.rtpMaps.first(where: { $0.payloadType == payloadType }) {
            codec = SDPCodec(
                payloadType: payloadType,
                encodingName: map.encodingName,
                clockRate: map.clockRate,
                channels: map.channels
            )
        } else if let known = SDPCodec.staticPayloadType(payloadType) {
            codec = SDPCodec(
                payloadType: payloadType,
                encodingName: known.name,
                clockRate: known.clockRate,
                channels: known.channels
            )
        } else {
            return nil
        }
        codec.formatParameters = self.formatParameters.first { $0.payloadType == payloadType }
        codec.feedback = self.rtcpFeedback.filter { $0.payloadType == payloadType }
        codec.feedback += self.rtcpFeedback.filter { $0.payloadType == nil }
        return codec
    }

    /// The codecs with the given encoding name (ignoring case), such as `opus` or `H264`, in
    /// `m=` line order.
    public func codecs(named name: String) -> [SDPCodec] {
        self.codecs.filter { $0.isNamed(name) }
    }

    /// The ID the description gives the header extension `uri`, or nil when it does not use it.
    public func extensionID(for uri: String) -> UInt16? {
        self.extensions.first { $0.uri == uri }?.id
    }

    /// The URI of the header extension with the given ID, or nil.
    public func extensionURI(for id: UInt16) -> String? {
        self.extensions.first { $0.id == id }?.uri
    }

    /// The SSRCs named by `a=ssrc` lines, each once, in order of first appearance.
    public var ssrcIDs: [UInt32] {
        var result: [UInt32] = []
        var seen: Set<UInt32> = []
        for attribute in self.ssrcs where seen.insert(attribute.ssrc).inserted {
            result.append(attribute.ssrc)
        }
        return result
    }

    /// The value of the `a=ssrc` property `attribute` (such as `cname`) of `ssrc`, or nil.
    public func ssrcAttribute(_ attribute: String, of ssrc: UInt32) -> String? {
        self.ssrcs.first { $0.ssrc == ssrc && $0.attribute == attribute }?.value
    }

    /// Adds a codec when building a description: its payload type to ``formats`` and its
    /// `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` lines, all for ``SDPCodec/payloadType``.
    public mutating func appendCodec(_ codec: SDPCodec) {
        self.formats.append(String(codec.payloadType))
        self.rtpMaps.append(
            SDPRTPMap(
                payloadType: codec.payloadType,
                encodingName: codec.encodingName,
                clockRate: codec.clockRate,
                channels: codec.channels
            )
        )
        for feedback in codec.feedback {
            self.rtcpFeedback.append(
                SDPRTCPFeedback(payloadType: codec.payloadType, type: feedback.type, subtype: feedback.subtype)
            )
        }
        if var formatParameters = codec.formatParameters {
            formatParameters.payloadType = codec.payloadType
            self.formatParameters.append(formatParameters)
        }
    }
}
