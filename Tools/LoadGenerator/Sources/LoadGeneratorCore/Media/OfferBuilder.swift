public import RTCSecurity
public import RTCWire

/// Builds a simulated participant's SDP offer, the way a browser would for one microphone:
/// BUNDLE over every m-line, rtcp-mux, `a=setup:actpass`, ICE credentials, the fingerprint of
/// the process's DTLS identity, and a first audio m-line `sendrecv` with Opus (payload type
/// 111), the ssrc-audio-level and abs-send-time header extensions and `a=ssrc` (`recvonly` without
/// `a=ssrc` for a listener, ``ParticipantPlan/sends`` false); then
/// `recvonlyCount` receive-only audio m-lines, one per remote track to receive (the protocol's
/// way of subscribing; a renegotiation sends a new offer with more of them).
public enum OfferBuilder {
    /// The payload type offered for Opus.
    public static let opusPayloadType: UInt8 = 111
    /// The extension id offered for ssrc-audio-level.
    public static let audioLevelID: UInt16 = 1
    /// The extension id offered for abs-send-time.
    public static let absSendTimeID: UInt16 = 2

    /// The offer for `plan`.
    ///
    /// - Parameters:
    ///   - fingerprint: the fingerprint of the DTLS identity the engine presents.
    ///   - recvonlyCount: receive-only audio m-lines after the first.
    ///   - version: the `o=` session version (increase it with each renegotiation).
    public static func offer(
        for plan: ParticipantPlan,
        fingerprint: DTLSFingerprint,
        recvonlyCount: Int = 0,
        version: UInt64 = 1
    ) -> SessionDescription {
        let sdpFingerprint = SDPFingerprint(hashFunction: fingerprint.algorithm.rawValue, value: fingerprint.bytes)
        let count = 1 + max(recvonlyCount, 0)
        var media: [MediaDescription] = []
        for index in 0..<count {
            // A listener's first m-line is recvonly too: it receives (the mix, or a remote
            // track) and publishes nothing.
            let sends = index == 0 && plan.sends
            var section = MediaDescription(
                kind: "audio",
                formats: [String(Self.opusPayloadType)],
                connection: SDPConnection(address: "0.0.0.0"),
                iceUfrag: plan.iceUfrag,
                icePwd: plan.icePassword,
                iceOptions: ["trickle"],
                fingerprints: [sdpFingerprint],
                setup: .actpass,
                mid: String(index),
                extensions: [
                    SDPExtensionMap(id: Self.audioLevelID, uri: SDPExtensionMap.audioLevelURI),
                    SDPExtensionMap(id: Self.absSendTimeID, uri: SDPExtensionMap.absSendTimeURI),
                ],
                direction: sends ? .sendrecv : .recvonly,
                msids: sends ? [SDPMsid(streamID: plan.identity, trackID: "audio-\(plan.number)")] : [],
                rtcpMux: true,
                rtpMaps: [
                    SDPRTPMap(payloadType: Self.opusPayloadType, encodingName: "opus", clockRate: 48_000, channels: 2)
                ],
                formatParameters: [
                    SDPFormatParameters(payloadType: Self.opusPayloadType, raw: "minptime=10;useinbandfec=1")
                ]
            )
            if sends {
                section.ssrcs = [SDPSSRCAttribute(ssrc: plan.ssrc, attribute: "cname", value: "load-\(plan.number)")]
            }
            media.append(section)
        }
        return SessionDescription(
            origin: SDPOrigin(
                username: "-",
                sessionID: UInt64(plan.ssrc) << 16 | UInt64(truncatingIfNeeded: plan.number & 0xFFFF),
                sessionVersion: version,
                networkType: "IN",
                addressType: "IP4",
                address: "127.0.0.1"
            ),
            groups: [SDPGroup(semantics: SDPGroup.bundle, mids: media.compactMap(\.mid))],
            msidSemantic: SDPMsidSemantic(),
            media: media
        )
    }
}
