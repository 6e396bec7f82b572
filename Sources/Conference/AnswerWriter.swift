import RTCSecurity
import RTCWire

/// Writes the SDP answer for an analysed offer and the session the conference settled.
struct AnswerWriter {
    /// The cname of every stream the server sends.
    static let cname = "parley"
    /// The msid of the mix stream.
    static let mixMsid = SDPMsid(streamID: "parley-mix", trackID: "mix")
    /// The priority of our one host candidate (type preference 126, local preference 65535).
    static let candidatePriority: UInt32 = 2_130_706_431

    var endpoint: RelayEndpoint
    var fingerprints: [DTLSFingerprint]

    func answer(to analysis: OfferAnalysis, session: MediaSession) -> String {
        let addressType = self.endpoint.isIPv6 ? "IP6" : "IP4"
        var description = SessionDescription(
            origin: SDPOrigin(
                sessionID: session.sessionID,
                sessionVersion: session.version,
                addressType: addressType,
                address: self.endpoint.address
            ),
            connection: SDPConnection(addressType: addressType, address: self.endpoint.address),
            groups: [SDPGroup(semantics: SDPGroup.bundle, mids: session.lines.map(\.mid))],
            msidSemantic: SDPMsidSemantic(semantic: "WMS", identifiers: ["*"]),
            iceLite: true
        )
        for line in analysis.lines {
            if line.kind != nil, let media = session.line(mid: line.mid) {
                description.media.append(self.accepted(line, media, session: session))
            } else {
                description.media.append(Self.rejected(line))
            }
        }
        return description.text
    }

    /// An m-line Parley does not carry: port 0, the offer's formats, its mid.
    private static func rejected(_ line: OfferAnalysis.Line) -> MediaDescription {
        MediaDescription(
            kind: line.media.kind,
            port: 0,
            proto: line.media.proto,
            formats: line.media.formats,
            mid: line.mid,
            direction: line.media.isRTP ? .inactive : nil
        )
    }

    private func accepted(_ line: OfferAnalysis.Line, _ media: MediaLine, session: MediaSession) -> MediaDescription {
        let weReceive = media.published != nil
        let weSend = media.subscription != nil || media.mixSSRC != nil
        let direction: SDPDirection =
            switch (weReceive, weSend) {
            case (true, true): .sendrecv
            case (true, false): .recvonly
            case (false, true): .sendonly
            case (false, false): .inactive
            }
        var answer = MediaDescription(
            kind: line.media.kind,
            port: self.endpoint.port,
            proto: line.media.proto,
            connection: SDPConnection(
                addressType: self.endpoint.isIPv6 ? "IP6" : "IP4",
                address: self.endpoint.address
            ),
            candidates: [
                SDPCandidate(
                    foundation: "1",
                    component: 1,
                    transport: .udp,
                    priority: Self.candidatePriority,
                    address: self.endpoint.address,
                    port: self.endpoint.port,
                    type: .host
                )
            ],
            endOfCandidates: true,
            iceUfrag: session.localUfrag,
            icePwd: session.localPassword,
            fingerprints: self.fingerprints.map {
                SDPFingerprint(hashFunction: $0.algorithm.rawValue, value: $0.bytes)
            },
            setup: .passive,
            mid: line.mid,
            extensions: line.extensions,
            direction: direction,
            rtcpMux: true,
            rtcpReducedSize: line.media.rtcpReducedSize
        )
        for codec in line.answerCodecs {
            answer.appendCodec(codec)
        }
        if let subscription = media.subscription {
            // The stream is the publisher, so a client can group a participant's audio and video.
            let msid = SDPMsid(streamID: "\(subscription.publisher)", trackID: "\(subscription.track)")
            Self.addSendStream(subscription.mediaSSRC, rtx: subscription.rtxSSRC, msid: msid, to: &answer)
        } else if let mix = media.mixSSRC {
            Self.addSendStream(mix, rtx: nil, msid: Self.mixMsid, to: &answer)
        }
        return answer
    }

    private static func addSendStream(_ ssrc: UInt32, rtx: UInt32?, msid: SDPMsid, to media: inout MediaDescription) {
        media.msids = [msid]
        let msidValue = msid.trackID.map { "\(msid.streamID) \($0)" } ?? msid.streamID
        var ssrcs = [ssrc]
        if let rtx {
            ssrcs.append(rtx)
            media.ssrcGroups = [SDPSSRCGroup(semantics: SDPSSRCGroup.flowIdentification, ssrcs: ssrcs)]
        }
        for value in ssrcs {
            media.ssrcs.append(SDPSSRCAttribute(ssrc: value, attribute: "cname", value: Self.cname))
            media.ssrcs.append(SDPSSRCAttribute(ssrc: value, attribute: "msid", value: msidValue))
        }
    }
}
