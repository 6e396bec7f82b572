import RTCSecurity
import RTCWire

extension Conference {
    /// Answers a participant's SDP offer (first negotiation or renegotiation) and updates its
    /// media in the room.
    ///
    /// The policy (protocol v1 in SERVER.md):
    /// - One BUNDLE group with every m-line and `a=rtcp-mux` on each are required
    ///   (``ConferenceError/Code/unsupportedOffer``); so are `a=mid`, ICE credentials and a
    ///   fingerprint (``ConferenceError/Code/badOffer``). Data channels and other non-RTP m-lines
    ///   are rejected in the answer (port 0), the rest of the offer is accepted.
    /// - The answer is ICE-lite with our ufrag/pwd, fingerprint, `a=setup:passive` and the room's
    ///   worker as the only (host) candidate, then `a=end-of-candidates`. Payload types and
    ///   header-extension IDs are the offer's: Opus for audio; VP8 then one H.264 (packetization
    ///   mode 1 preferred) for video, each with its RTX when offered; the feedback Parley honours
    ///   (nack, nack pli, ccm fir, transport-cc); the extensions it uses (audio level, mid,
    ///   abs-send-time, transport-wide CC, one-byte IDs).
    /// - An m-line the client sends on (sendrecv/sendonly) with `a=ssrc` (and `a=ssrc-group:FID`
    ///   for RTX) is a published track, answered `recvonly`. Sending needs the `publish` grant:
    ///   without it the offer is refused with ``ConferenceError/Code/forbidden`` (not silently
    ///   answered `inactive`, so a client learns at once why nobody hears it). Sending with RIDs
    ///   and no `a=ssrc` (simulcast) is not published: the m-line is answered without receiving.
    /// - Each `recvonly` m-line gets one remote track of its kind, in the room's track order,
    ///   skipping the participant's own tracks, tracks already on another of its m-lines and
    ///   tracks whose codecs it did not offer; it is answered `sendonly` with our SSRC (and RTX
    ///   SSRC), `a=msid:<participant> <track>`. Surplus ones are answered `inactive`. `recvonly`
    ///   m-lines need the `subscribe` grant (``ConferenceError/Code/forbidden`` otherwise).
    /// - In `mixed` and `both` rooms the first audio m-line, if it receives (sendrecv or
    ///   recvonly), carries the room's mix with an SSRC the server chose; in `mixed` rooms no
    ///   audio track goes to a recvonly m-line.
    /// - Renegotiation keeps, per mid, the published track's number, a subscription whose track
    ///   still exists, the SSRCs the server chose, and the ICE credentials unless the client
    ///   changed its ufrag (an ICE restart gets new ones). An m-line that stops sending
    ///   unpublishes its track.
    ///
    /// - Throws: ``ConferenceError/Code/participantNotFound``, ``ConferenceError/Code/badOffer``,
    ///   ``ConferenceError/Code/unsupportedOffer`` or ``ConferenceError/Code/forbidden``; the
    ///   conference is then unchanged.
    public mutating func negotiate(
        _ participant: ParticipantID,
        offer: String
    ) throws(ConferenceError) -> NegotiationResult {
        guard let state = self.participantStates[participant] else {
            throw Self.participantNotFound(participant)
        }
        let roomName = state.info.room
        guard let room = self.roomStates[roomName] else {
            throw ConferenceError(.internal, "The participant's room is gone; join again.")
        }
        let analysis = try OfferAnalysis(offer)
        let grants = state.info.grants
        let mode = room.settings.audioMode
        let previous = state.session
        let accepted = analysis.lines.filter { $0.kind != nil }

        for line in accepted {
            if line.direction.sends, !grants.contains(.publish) {
                throw ConferenceError(
                    .forbidden,
                    "m-line \(line.mid) sends media, but the token has no publish grant; make that transceiver "
                        + "recvonly, or ask for a token with the publish grant."
                )
            }
            if line.direction == .recvonly, !grants.contains(.subscribe) {
                throw ConferenceError(
                    .forbidden,
                    "m-line \(line.mid) is recvonly, but the token has no subscribe grant; remove that transceiver, "
                        + "or ask for a token with the subscribe grant."
                )
            }
            if let old = previous?.line(mid: line.mid), old.kind != line.kind {
                throw ConferenceError(
                    .badOffer,
                    "m-line \(line.mid) changed its kind since the last offer; a mid keeps its kind."
                )
            }
        }

        // SSRCs: the client's must not collide with any other participant's or any the server
        // chose (the relay's routing table demands unique owners), and ours avoid all of them.
        var reserved: Set<UInt32> = []
        for (id, other) in self.participantStates {
            guard let session = other.session else {
                continue
            }
            reserved.formUnion(session.chosenSSRCs)
            if id != participant {
                reserved.formUnion(session.publishedSSRCs)
            }
        }
        var offered: Set<UInt32> = []
        for line in accepted {
            guard let ssrcs = line.sendSSRCs else {
                continue
            }
            for ssrc in [ssrcs.media] + (ssrcs.rtx.map { [$0] } ?? []) {
                guard !reserved.contains(ssrc), offered.insert(ssrc).inserted else {
                    throw ConferenceError(
                        .badOffer,
                        "SSRC \(ssrc) of m-line \(line.mid) is already in use in this server; create a new "
                            + "transceiver (a new SSRC) and offer again."
                    )
                }
            }
        }
        reserved.formUnion(offered)

        let mixMID: String? =
            if mode.mixes, grants.contains(.subscribe),
                let firstAudio = accepted.first(where: { $0.kind == .audio }), firstAudio.direction.receives
            {
                firstAudio.mid
            } else {
                nil
            }
        let available = self.forwardableTracks(in: room, excluding: participant)

        // First pass: published tracks, the mix, and subscriptions kept from the last answer.
        var nextTrack = self.nextTrack
        var lines: [MediaLine] = []
        var assigned: Set<TrackID> = []
        for line in accepted {
            guard let kind = line.kind else {
                continue
            }
            var extensions: [String: UInt8] = [:]
            for map in line.extensions {
                extensions[map.uri] = UInt8(truncatingIfNeeded: map.id)
            }
            var media = MediaLine(mid: line.mid, kind: kind, codecs: line.negotiated, extensions: extensions)
            let old = previous?.line(mid: line.mid)
            if let ssrcs = line.sendSSRCs {
                let track: TrackID
                if let existing = old?.published?.track {
                    track = existing
                } else {
                    track = TrackID(rawValue: nextTrack)
                    nextTrack += 1
                }
                media.published = StreamSSRCs(
                    track: track,
                    publisher: participant,
                    mediaSSRC: ssrcs.media,
                    rtxSSRC: ssrcs.rtx
                )
            }
            if line.mid == mixMID {
                if let ssrc = old?.mixSSRC {
                    media.mixSSRC = ssrc
                } else {
                    media.mixSSRC = try self.allocateSSRC(avoiding: &reserved)
                }
            } else if line.direction == .recvonly, let kept = old?.subscription,
                let candidate = available.first(where: { $0.track == kept.track }),
                candidate.kind == kind, kind == .video || mode.forwardsAudio,
                Self.isCompatible(candidate.codecs, with: media.codecs)
            {
                media.subscription = kept
                assigned.insert(kept.track)
            }
            lines.append(media)
        }

        // Second pass: new tracks for the remaining recvonly m-lines, in m-line order.
        for (index, line) in accepted.enumerated()
        where line.direction == .recvonly && line.mid != mixMID && lines[index].subscription == nil {
            let kind = lines[index].kind
            guard kind == .video || mode.forwardsAudio else {
                continue
            }
            guard
                let candidate = available.first(where: {
                    $0.kind == kind && !assigned.contains($0.track)
                        && Self.isCompatible($0.codecs, with: lines[index].codecs)
                })
            else {
                continue
            }
            assigned.insert(candidate.track)
            let media = try self.allocateSSRC(avoiding: &reserved)
            let wantsRTX = candidate.hasRTX && lines[index].codecs.contains { $0.rtxPayloadType != nil }
            let rtx = wantsRTX ? try self.allocateSSRC(avoiding: &reserved) : nil
            lines[index].subscription = StreamSSRCs(
                track: candidate.track,
                publisher: candidate.publisher,
                mediaSSRC: media,
                rtxSSRC: rtx
            )
        }

        var session: MediaSession
        if let previous, previous.remoteUfrag == analysis.remoteUfrag {
            session = previous
            session.version &+= 1
        } else {
            let (ufrag, password) = try self.makeICECredentials()
            session = MediaSession(
                localUfrag: ufrag,
                localPassword: password,
                remoteUfrag: analysis.remoteUfrag,
                remoteFingerprints: [],
                sessionID: previous?.sessionID ?? (UInt64.random(in: 1...UInt64.max, using: &self.random) >> 2),
                version: (previous?.version ?? 0) &+ 1,
                lines: []
            )
        }
        session.remoteFingerprints = analysis.remoteFingerprints
        session.lines = lines
        session.rejectedMIDs = analysis.lines.filter { $0.kind == nil }.map(\.mid)

        let answer = AnswerWriter(
            endpoint: self.configuration.workers[room.worker],
            fingerprints: self.configuration.fingerprints
        ).answer(to: analysis, session: session)

        // Commit.
        let before = self.plans([roomName])
        let tracksBefore = state.tracks().map(\.id)
        self.participantStates[participant]?.session = session
        self.nextTrack = nextTrack
        let published = self.participantStates[participant]?.tracks() ?? []
        var effects = ConferenceEffects(changedPlans: self.changedPlans(before))
        if published.map(\.id) != tracksBefore {
            effects.events = self.tracksEvents(room: roomName)
        }
        return NegotiationResult(answer: answer, published: published, effects: effects)
    }

    /// A track another participant publishes, with what matching a subscriber's m-line needs.
    struct ForwardableTrack {
        var track: TrackID
        var publisher: ParticipantID
        var kind: TrackKind
        var codecs: [NegotiatedCodec]
        var hasRTX: Bool
    }

    /// The room's tracks in publication order, without `participant`'s own.
    func forwardableTracks(in room: RoomState, excluding participant: ParticipantID) -> [ForwardableTrack] {
        var result: [ForwardableTrack] = []
        for id in room.participants where id != participant {
            guard let session = self.participantStates[id]?.session else {
                continue
            }
            for line in session.lines {
                if let published = line.published {
                    result.append(
                        ForwardableTrack(
                            track: published.track,
                            publisher: id,
                            kind: line.kind,
                            codecs: line.codecs,
                            hasRTX: published.rtxSSRC != nil
                        )
                    )
                }
            }
        }
        return result.sorted { $0.track < $1.track }
    }

    /// Whether some codec a publisher sends can be forwarded to a receiver's m-line.
    static func isCompatible(_ publisher: [NegotiatedCodec], with subscriber: [NegotiatedCodec]) -> Bool {
        publisher.contains { sent in subscriber.contains { sent.isCompatible(with: $0) } }
    }

    /// A random nonzero SSRC not in `reserved`, which it is added to.
    mutating func allocateSSRC(avoiding reserved: inout Set<UInt32>) throws(ConferenceError) -> UInt32 {
        // Bounded: with at most a few hundred thousand SSRCs in use, 64 draws all colliding has
        // a probability far below 2^-500.
        for _ in 0..<64 {
            let ssrc = UInt32.random(in: 1...UInt32.max, using: &self.random)
            if reserved.insert(ssrc).inserted {
                return ssrc
            }
        }
        throw ConferenceError(.internal, "No free SSRC was found; the random source may be broken.")
    }

    /// A fresh ICE ufrag (8 characters, unique among sessions) and password (24 characters).
    mutating func makeICECredentials() throws(ConferenceError) -> (ufrag: String, password: String) {
        var inUse: Set<String> = []
        for state in self.participantStates.values {
            if let ufrag = state.session?.localUfrag {
                inUse.insert(ufrag)
            }
        }
        for _ in 0..<64 {
            let ufrag = self.randomICEString(length: 8)
            if !inUse.contains(ufrag) {
                return (ufrag, self.randomICEString(length: 24))
            }
        }
        throw ConferenceError(.internal, "No free ICE ufrag was found; the random source may be broken.")
    }

    private mutating func randomICEString(length: Int) -> String {
        // Letters and digits only: valid ICE characters that need no escaping anywhere.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &self.random)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
