import RTCWire

extension Conference {
    /// The room's media as the relay must carry it now, or nil for an unknown room.
    ///
    /// Call it for each room in ``ConferenceEffects/changedPlans``. Participants that have not
    /// negotiated yet are left out; a subscription whose track is gone (its publisher left or
    /// stopped sending) is left out until the subscriber renegotiates.
    public func mediaPlan(for name: RoomName) -> RoomMediaPlan? {
        guard let room = self.roomStates[name] else {
            return nil
        }
        var publishedLines: [TrackID: (line: MediaLine, stream: StreamSSRCs)] = [:]
        for id in room.participants {
            for line in self.participantStates[id]?.session?.lines ?? [] {
                if let published = line.published {
                    publishedLines[published.track] = (line, published)
                }
            }
        }
        var participants: [ParticipantMediaPlan] = []
        for id in room.participants {
            guard let session = self.participantStates[id]?.session else {
                continue
            }
            var plan = ParticipantMediaPlan(
                participant: id,
                localUfrag: session.localUfrag,
                localPassword: session.localPassword,
                remoteUfrag: session.remoteUfrag,
                remoteFingerprints: session.remoteFingerprints,
                published: [],
                subscriptions: [],
                mix: nil
            )
            for line in session.lines {
                if let published = line.published {
                    plan.published.append(Self.publishedPlan(published, line))
                }
                if let subscription = line.subscription, let source = publishedLines[subscription.track],
                    let subscriptionPlan = Self.subscriptionPlan(subscription, line, source: source)
                {
                    plan.subscriptions.append(subscriptionPlan)
                }
                if let ssrc = line.mixSSRC, let payloadType = line.opusPayloadType {
                    plan.mix = MixStreamPlan(
                        mid: line.mid,
                        ssrc: ssrc,
                        payloadType: payloadType,
                        audioLevelExtensionID: line.extensions[SDPExtensionMap.audioLevelURI],
                        midExtensionID: line.extensions[SDPExtensionMap.midURI]
                    )
                }
            }
            participants.append(plan)
        }
        return RoomMediaPlan(
            room: room.number,
            name: room.name,
            worker: room.worker,
            audioMode: room.settings.audioMode,
            speakers: room.settings.speakers,
            recording: room.recording,
            participants: participants
        )
    }

    private static func publishedPlan(_ stream: StreamSSRCs, _ line: MediaLine) -> PublishedTrackPlan {
        var payloadTypes: [UInt8] = []
        for codec in line.codecs {
            payloadTypes.append(codec.payloadType)
            if let rtx = codec.rtxPayloadType {
                payloadTypes.append(rtx)
            }
        }
        return PublishedTrackPlan(
            track: stream.track,
            mid: line.mid,
            kind: line.kind,
            mediaSSRC: stream.mediaSSRC,
            rtxSSRC: stream.rtxSSRC,
            payloadTypes: payloadTypes,
            clockRate: line.kind.clockRate,
            headerExtensions: line.extensions
        )
    }

    /// The subscription's maps from the publisher's numbering to the subscriber's; nil when no
    /// codec can be forwarded (the publisher renegotiated to codecs the subscriber lacks).
    private static func subscriptionPlan(
        _ subscription: StreamSSRCs,
        _ line: MediaLine,
        source: (line: MediaLine, stream: StreamSSRCs)
    ) -> SubscriptionPlan? {
        var payloadTypes: [UInt8: UInt8] = [:]
        var forwardsRTX = false
        for sent in source.line.codecs {
            guard let received = line.codecs.first(where: { sent.isCompatible(with: $0) }) else {
                continue
            }
            payloadTypes[sent.payloadType] = received.payloadType
            if let from = sent.rtxPayloadType, let to = received.rtxPayloadType, subscription.rtxSSRC != nil,
                source.stream.rtxSSRC != nil
            {
                payloadTypes[from] = to
                forwardsRTX = true
            }
        }
        guard !payloadTypes.isEmpty else {
            return nil
        }
        // mid and transport-wide CC describe one hop, so the relay rewrites or strips them itself.
        var extensions: [UInt8: UInt8] = [:]
        for (uri, from) in source.line.extensions
        where uri != SDPExtensionMap.midURI && uri != SDPExtensionMap.transportWideCCURI {
            if let to = line.extensions[uri] {
                extensions[from] = to
            }
        }
        return SubscriptionPlan(
            track: subscription.track,
            publisher: subscription.publisher,
            mid: line.mid,
            mediaSSRC: subscription.mediaSSRC,
            rtxSSRC: forwardsRTX ? subscription.rtxSSRC : nil,
            payloadTypes: payloadTypes,
            headerExtensions: extensions
        )
    }
}
