import RTCSecurity

/// The conference's record of one participant.
struct ParticipantState: Sendable {
    var info: ParticipantInfo
    var mutedAudio = false
    var mutedVideo = false
    /// Nil until the first offer was answered.
    var session: MediaSession?

    func isMuted(_ kind: TrackKind) -> Bool {
        kind == .audio ? self.mutedAudio : self.mutedVideo
    }

    /// The participant's published tracks, in m-line order.
    func tracks() -> [TrackInfo] {
        guard let session = self.session else {
            return []
        }
        return session.lines.compactMap { line in
            line.published.map {
                TrackInfo(id: $0.track, participant: self.info.id, kind: line.kind, muted: self.isMuted(line.kind))
            }
        }
    }
}

/// What one offer/answer exchange settled for a participant; replaced by each renegotiation.
struct MediaSession: Sendable {
    var localUfrag: String
    var localPassword: String
    var remoteUfrag: String
    var remoteFingerprints: [DTLSFingerprint]
    var sessionID: UInt64
    var version: UInt64
    /// The accepted audio and video m-lines, in m-line order (rejected ones are not kept).
    var lines: [MediaLine]
    /// The mids of the m-lines the answer rejected (port 0).
    var rejectedMIDs: [String] = []

    func line(mid: String) -> MediaLine? {
        self.lines.first { $0.mid == mid }
    }

    /// Every SSRC the server chose for this participant.
    var chosenSSRCs: [UInt32] {
        var result: [UInt32] = []
        for line in self.lines {
            if let subscription = line.subscription {
                result.append(subscription.mediaSSRC)
                if let rtx = subscription.rtxSSRC {
                    result.append(rtx)
                }
            }
            if let mix = line.mixSSRC {
                result.append(mix)
            }
        }
        return result
    }

    /// Every SSRC the client announced for its published tracks.
    var publishedSSRCs: [UInt32] {
        var result: [UInt32] = []
        for line in self.lines {
            if let published = line.published {
                result.append(published.mediaSSRC)
                if let rtx = published.rtxSSRC {
                    result.append(rtx)
                }
            }
        }
        return result
    }
}

/// One accepted m-line of a participant's session.
struct MediaLine: Sendable, Hashable {
    var mid: String
    var kind: TrackKind
    /// The codecs the answer accepted, in answer order.
    var codecs: [NegotiatedCodec]
    /// The header extensions the answer accepted: URI to ID.
    var extensions: [String: UInt8]
    /// The track the client sends on this m-line.
    var published: StreamSSRCs?
    /// The remote track the server sends on this m-line.
    var subscription: StreamSSRCs?
    /// The SSRC of the room's mix, when the server sends it on this m-line.
    var mixSSRC: UInt32?

    /// The Opus payload type, for audio lines.
    var opusPayloadType: UInt8? {
        self.codecs.first { $0.name == .opus }?.payloadType
    }
}

/// A track and its SSRCs (the client's for a published track, the server's for a subscription).
struct StreamSSRCs: Sendable, Hashable {
    var track: TrackID
    var publisher: ParticipantID
    var mediaSSRC: UInt32
    var rtxSSRC: UInt32?
}
