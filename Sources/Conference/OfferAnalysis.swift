import RTCSecurity
import RTCWire

/// An offer checked against the rules that do not depend on the room: parsed, bundled, muxed, with
/// credentials and a fingerprint, and each m-line's codecs and extensions chosen.
///
/// Building one throws the ``ConferenceError`` the client gets; nothing in the conference changes.
struct OfferAnalysis {
    /// One m-line of the offer.
    struct Line {
        /// The offer's m-line.
        var media: MediaDescription
        var mid: String
        /// Nil when the m-line is rejected (port 0 in the offer, or not audio/video RTP).
        var kind: TrackKind?
        var direction: SDPDirection
        /// The codecs to answer with, in answer order.
        var answerCodecs: [SDPCodec]
        var negotiated: [NegotiatedCodec]
        /// The header extensions to answer with (echoed IDs).
        var extensions: [SDPExtensionMap]
        /// The client's SSRCs, when it sends on the m-line with `a=ssrc`.
        var sendSSRCs: (media: UInt32, rtx: UInt32?)?
        /// The client sends on the m-line with RIDs and no `a=ssrc` (simulcast), which Parley does
        /// not accept yet: the m-line is answered without receiving.
        var simulcastOnly: Bool
    }

    /// The feedback Parley honours: (type, subtype).
    static let honouredFeedback: Set<[String]> = [["nack"], ["nack", "pli"], ["ccm", "fir"], ["transport-cc"]]
    /// The header extensions Parley uses.
    static let usedExtensions: Set<String> = [
        SDPExtensionMap.audioLevelURI, SDPExtensionMap.midURI, SDPExtensionMap.absSendTimeURI,
        SDPExtensionMap.transportWideCCURI,
    ]

    var offer: SessionDescription
    var lines: [Line]
    var remoteUfrag: String
    var remotePassword: String
    var remoteFingerprints: [DTLSFingerprint]

    init(_ text: String) throws(ConferenceError) {
        let offer: SessionDescription
        do {
            offer = try SessionDescription(parsing: text)
        } catch {
            let line = error.offset > 0 ? " at line \(error.offset)" : ""
            throw ConferenceError(
                .badOffer,
                "The offer is not valid SDP (\(error.context)\(line)); send the SDP that createOffer() produced, unchanged."
            )
        }
        self.offer = offer
        guard !offer.media.isEmpty else {
            throw ConferenceError(
                .badOffer,
                "The offer has no m-line; add an audio or video transceiver before createOffer()."
            )
        }
        var mids: Set<String> = []
        for media in offer.media {
            guard let mid = media.mid else {
                throw ConferenceError(
                    .badOffer,
                    "An m-line of the offer has no a=mid; every m-line needs one (BUNDLE refers to it)."
                )
            }
            mids.insert(mid)
        }

        // BUNDLE and rtcp-mux: one transport per participant is what the relay has.
        let bundle = Set(offer.bundleMIDs)
        for media in offer.media where media.port != 0 {
            let mid = media.mid ?? ""
            guard bundle.contains(mid) else {
                throw ConferenceError(
                    .unsupportedOffer,
                    "The offer does not bundle m-line \(mid); Parley needs one a=group:BUNDLE with every m-line "
                        + "(use bundlePolicy 'max-bundle' or 'balanced')."
                )
            }
        }
        guard let tagMID = offer.bundleMIDs.first, let tag = offer.media(mid: tagMID), tag.port != 0 else {
            throw ConferenceError(
                .unsupportedOffer,
                "The offer's BUNDLE group is empty or names a rejected m-line; bundle every m-line."
            )
        }

        // Credentials of the bundle transport.
        guard let ufrag = offer.iceUfrag(of: tag), let pwd = offer.icePwd(of: tag) else {
            throw ConferenceError(
                .badOffer,
                "The offer has no a=ice-ufrag or a=ice-pwd; send the SDP that createOffer() produced."
            )
        }
        self.remoteUfrag = ufrag
        self.remotePassword = pwd
        let offered = offer.fingerprints(of: tag)
        guard !offered.isEmpty else {
            throw ConferenceError(
                .badOffer,
                "The offer has no a=fingerprint; DTLS-SRTP needs the client's certificate fingerprint."
            )
        }
        self.remoteFingerprints = offered.compactMap { fingerprint in
            guard let algorithm = DTLSFingerprint.Algorithm(rawValue: fingerprint.hashFunction) else {
                return nil
            }
            return try? DTLSFingerprint(algorithm: algorithm, bytes: fingerprint.value)
        }
        guard !self.remoteFingerprints.isEmpty else {
            throw ConferenceError(
                .unsupportedOffer,
                "The offer's fingerprints use no hash function Parley accepts; offer a sha-256, sha-384 or sha-512 fingerprint."
            )
        }
        switch offer.setup(of: tag) {
        case .passive, .holdconn:
            throw ConferenceError(
                .unsupportedOffer,
                "The offer says a=setup:passive or holdconn; Parley is always the DTLS server, so offer actpass or active."
            )
        case .active, .actpass, nil:
            break
        }

        var lines: [Line] = []
        for media in offer.media {
            lines.append(try Self.line(media, in: offer))
        }
        guard lines.contains(where: { $0.kind != nil }), lines.first(where: { $0.mid == tagMID })?.kind != nil else {
            throw ConferenceError(
                .unsupportedOffer,
                "The offer's first bundled m-line is not audio or video over DTLS-SRTP; put an audio or video m-line first."
            )
        }
        self.lines = lines
    }

    /// Checks one m-line and chooses its codecs and extensions.
    private static func line(_ media: MediaDescription, in offer: SessionDescription) throws(ConferenceError) -> Line {
        let mid = media.mid ?? ""
        var line = Line(
            media: media,
            mid: mid,
            kind: nil,
            direction: offer.direction(of: media),
            answerCodecs: [],
            negotiated: [],
            extensions: [],
            sendSSRCs: nil,
            simulcastOnly: false
        )
        guard media.port != 0, let kind = TrackKind(rawValue: media.kind), media.isRTP else {
            // Rejected by the offerer, or a data channel or other media Parley does not carry:
            // answered with port 0.
            return line
        }
        guard media.proto.hasSuffix("SAVPF") || media.proto.hasSuffix("SAVP") else {
            throw ConferenceError(
                .unsupportedOffer,
                "m-line \(mid) uses \(media.proto); Parley carries media only over DTLS-SRTP (UDP/TLS/RTP/SAVPF)."
            )
        }
        guard media.rtcpMux else {
            throw ConferenceError(
                .unsupportedOffer,
                "m-line \(mid) has no a=rtcp-mux; Parley needs RTP and RTCP on one port (rtcpMuxPolicy 'require')."
            )
        }
        line.kind = kind
        switch kind {
        case .audio:
            try Self.chooseAudio(media, into: &line)
        case .video:
            try Self.chooseVideo(media, into: &line)
        }
        var seen: Set<String> = []
        for map in media.extensions
        where Self.usedExtensions.contains(map.uri) && (1...14).contains(map.id) && seen.insert(map.uri).inserted {
            // One-byte IDs only: the answer does not accept extmap-allow-mixed.
            line.extensions.append(SDPExtensionMap(id: map.id, uri: map.uri))
        }

        if line.direction.sends {
            if let fid = media.ssrcGroups.first(where: { $0.semantics == SDPSSRCGroup.flowIdentification }),
                fid.ssrcs.count >= 2
            {
                line.sendSSRCs = (fid.ssrcs[0], fid.ssrcs[1])
            } else if let first = media.ssrcIDs.first {
                line.sendSSRCs = (first, nil)
            } else if !media.rids.isEmpty || media.simulcast != nil {
                line.simulcastOnly = true
            } else {
                throw ConferenceError(
                    .badOffer,
                    "m-line \(mid) sends media but has no a=ssrc; Parley needs the SSRC of every sent stream in the offer."
                )
            }
        }
        return line
    }

    private static func honoured(_ feedback: [SDPRTCPFeedback]) -> [SDPRTCPFeedback] {
        var result: [SDPRTCPFeedback] = []
        for item in feedback {
            let key = [item.type] + (item.subtype.map { [$0] } ?? [])
            let copy = SDPRTCPFeedback(payloadType: nil, type: item.type, subtype: item.subtype)
            if Self.honouredFeedback.contains(key), !result.contains(copy) {
                result.append(copy)
            }
        }
        return result
    }

    private static func chooseAudio(_ media: MediaDescription, into line: inout Line) throws(ConferenceError) {
        guard let opus = media.codecs.first(where: { $0.isNamed("opus") && $0.clockRate == 48_000 }) else {
            throw ConferenceError(
                .unsupportedOffer,
                "Audio m-line \(line.mid) offers no Opus (opus/48000/2); Parley carries audio only as Opus."
            )
        }
        var parameters = opus.formatParameters?.parameters ?? [SDPParameter(name: "minptime", value: "10")]
        if let index = parameters.firstIndex(where: { $0.name.lowercased() == "useinbandfec" }) {
            parameters[index].value = "1"
        } else {
            parameters.append(SDPParameter(name: "useinbandfec", value: "1"))
        }
        line.answerCodecs = [
            SDPCodec(
                payloadType: opus.payloadType,
                encodingName: opus.encodingName,
                clockRate: opus.clockRate,
                channels: opus.channels,
                formatParameters: SDPFormatParameters(payloadType: opus.payloadType, parameters: parameters),
                feedback: Self.honoured(opus.feedback)
            )
        ]
        line.negotiated = [NegotiatedCodec(name: .opus, payloadType: opus.payloadType)]
    }

    private static func chooseVideo(_ media: MediaDescription, into line: inout Line) throws(ConferenceError) {
        let codecs = media.codecs
        var chosen: [(NegotiatedCodec.Name, SDPCodec)] = []
        if let vp8 = codecs.first(where: { $0.isNamed("VP8") && $0.clockRate == 90_000 }) {
            chosen.append((.vp8, vp8))
        }
        let h264s = codecs.filter { $0.isNamed("H264") && $0.clockRate == 90_000 }
        if let h264 = h264s.first(where: { $0.parameter("packetization-mode") == "1" }) ?? h264s.first {
            chosen.append((.h264, h264))
        }
        guard !chosen.isEmpty else {
            throw ConferenceError(
                .unsupportedOffer,
                "Video m-line \(line.mid) offers neither VP8 nor H.264; Parley forwards video only in those codecs."
            )
        }
        for (name, codec) in chosen {
            var answer = codec
            answer.feedback = Self.honoured(codec.feedback)
            line.answerCodecs.append(answer)
            var negotiated = NegotiatedCodec(name: name, payloadType: codec.payloadType)
            if name == .h264 {
                negotiated.packetizationMode = codec.parameter("packetization-mode") ?? "0"
                let profile = (codec.parameter("profile-level-id") ?? "42").lowercased()
                negotiated.profile = String(profile.prefix(2))
            }
            if let rtx = codecs.first(where: { $0.isNamed("rtx") && $0.associatedPayloadType == codec.payloadType }) {
                line.answerCodecs.append(
                    SDPCodec(
                        payloadType: rtx.payloadType,
                        encodingName: rtx.encodingName,
                        clockRate: rtx.clockRate,
                        formatParameters: SDPFormatParameters(
                            payloadType: rtx.payloadType,
                            parameters: [SDPParameter(name: "apt", value: String(codec.payloadType))]
                        )
                    )
                )
                negotiated.rtxPayloadType = rtx.payloadType
            }
            line.negotiated.append(negotiated)
        }
    }
}
