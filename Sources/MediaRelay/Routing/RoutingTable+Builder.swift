// Building a RoutingTable: every rule the packet path relies on is checked here, on the control
// plane, so the packet path can index its arrays without checking again.

extension RoutingTable {
    /// Collects and validates a table's contents; the table then takes them as they are.
    struct Builder {
        var tracks: [Track] = []
        var deliveries: [Delivery] = []
        var publishedTracks: [PublishedTrack] = []
        var subscriptions: [TrackSubscription] = []
        var ssrcOwners: [UInt32: SSRCOwner] = [:]
        var outgoingStreams: [DeliveryKey: OutgoingStream] = [:]
        var trackIndexes: [RoutingTrackID: Int] = [:]
        var publisherPayloadTypes: [Bool] = []
        var payloadTypeMaps: [UInt8] = []
        var extensionMaps: [UInt8] = []

        /// An empty table.
        init() {}

        /// Validates and lays out tracks and subscriptions; see
        /// ``RoutingTable/init(tracks:subscriptions:)``.
        init(tracks: [PublishedTrack], subscriptions: [TrackSubscription]) throws(RoutingTableError) {
            self.publishedTracks = tracks
            self.publisherPayloadTypes = [Bool](repeating: false, count: tracks.count * RoutingTable.payloadTypeSlots)
            for (index, track) in tracks.enumerated() {
                try self.addTrack(track, at: index)
            }

            // Group subscriptions by track, keeping their order within a track.
            var byTrack = [[Int]](repeating: [], count: tracks.count)
            for (index, subscription) in subscriptions.enumerated() {
                guard let track = self.trackIndexes[subscription.track] else {
                    throw RoutingTableError(
                        .unknownTrack,
                        "\(subscription.subscriber) subscribes to \(subscription.track), which is not published"
                    )
                }
                byTrack[track].append(index)
            }
            self.payloadTypeMaps.reserveCapacity(subscriptions.count * RoutingTable.payloadTypeSlots)
            self.extensionMaps.reserveCapacity(subscriptions.count * RoutingTable.extensionSlots)
            for (trackIndex, track) in tracks.enumerated() {
                let start = self.deliveries.count
                var subscribers: Set<RoutingParticipantID> = []
                for subscriptionIndex in byTrack[trackIndex] {
                    let subscription = subscriptions[subscriptionIndex]
                    guard subscribers.insert(subscription.subscriber).inserted else {
                        throw RoutingTableError(
                            .duplicateSubscription,
                            "\(subscription.subscriber) subscribes to \(track.id) twice"
                        )
                    }
                    try self.addDelivery(subscription, of: track, at: trackIndex)
                }
                self.tracks.append(
                    Track(
                        id: track.id,
                        publisher: track.publisher,
                        kind: track.kind,
                        mediaSSRC: track.mediaSSRC,
                        rtxSSRC: track.rtxSSRC,
                        clockRate: track.clockRate,
                        generation: track.generation,
                        deliveries: start..<self.deliveries.count
                    )
                )
            }
        }

        private mutating func addTrack(_ track: PublishedTrack, at index: Int) throws(RoutingTableError) {
            guard self.trackIndexes.updateValue(index, forKey: track.id) == nil else {
                throw RoutingTableError(.duplicateTrackID, "\(track.id) is published twice")
            }
            guard track.clockRate > 0 else {
                throw RoutingTableError(.invalidClockRate, "\(track.id) of \(track.publisher) has clock rate 0")
            }
            var ssrcs: [(UInt32, Stream)] = [(track.mediaSSRC, .media)]
            if let rtx = track.rtxSSRC {
                ssrcs.append((rtx, .retransmission))
            }
            if let fec = track.fecSSRC {
                ssrcs.append((fec, .forwardErrorCorrection))
            }
            for (ssrc, stream) in ssrcs {
                if let existing = self.ssrcOwners[ssrc] {
                    if existing.publisher == track.publisher {
                        throw RoutingTableError(
                            .duplicateSSRC,
                            "\(track.publisher) lists SSRC \(RoutingTableError.hex(ssrc)) twice"
                        )
                    }
                    throw RoutingTableError(
                        .ssrcOwnedByAnotherParticipant,
                        "\(track.publisher) lists SSRC \(RoutingTableError.hex(ssrc)), which \(existing.publisher) owns"
                    )
                }
                self.ssrcOwners[ssrc] = SSRCOwner(
                    publisher: track.publisher,
                    route: Route(track: index, stream: stream)
                )
            }
            for payloadType in track.payloadTypes {
                guard payloadType < 128 else {
                    throw RoutingTableError(.invalidPayloadType, "\(track.id) lists payload type \(payloadType)")
                }
                self.publisherPayloadTypes[index * RoutingTable.payloadTypeSlots + Int(payloadType)] = true
            }
            for id in track.headerExtensionIDs where id == 0 {
                throw RoutingTableError(.invalidHeaderExtensionID, "\(track.id) lists header extension id \(id)")
            }
        }

        private mutating func addDelivery(
            _ subscription: TrackSubscription,
            of track: PublishedTrack,
            at trackIndex: Int
        ) throws(RoutingTableError) {
            let deliveryIndex = self.deliveries.count
            var outgoing: [(UInt32, Stream)] = [(subscription.mediaSSRC, .media)]
            if let rtx = subscription.rtxSSRC {
                outgoing.append((rtx, .retransmission))
            }
            for (ssrc, stream) in outgoing {
                // What a subscriber sees is never an SSRC a publisher chose (SECURITY.md).
                if let owner = self.ssrcOwners[ssrc] {
                    throw RoutingTableError(
                        .outgoingSSRCConflict,
                        "\(subscription.subscriber) would receive SSRC \(RoutingTableError.hex(ssrc)), "
                            + "which \(owner.publisher) chose"
                    )
                }
                let key = DeliveryKey(subscriber: subscription.subscriber, ssrc: ssrc)
                let value = OutgoingStream(delivery: deliveryIndex, stream: stream)
                guard self.outgoingStreams.updateValue(value, forKey: key) == nil else {
                    throw RoutingTableError(
                        .outgoingSSRCConflict,
                        "\(subscription.subscriber) would receive SSRC \(RoutingTableError.hex(ssrc)) twice"
                    )
                }
            }

            var payloadTypes = [UInt8](repeating: RoutingTable.noPayloadType, count: RoutingTable.payloadTypeSlots)
            var usedPayloadTypes: Set<UInt8> = []
            for from in subscription.payloadTypes.keys.sorted() {
                let to = subscription.payloadTypes[from] ?? RoutingTable.noPayloadType
                guard from < 128, self.publisherPayloadTypes[trackIndex * RoutingTable.payloadTypeSlots + Int(from)]
                else {
                    throw RoutingTableError(
                        .invalidPayloadType,
                        "\(subscription.subscriber) maps payload type \(from), which \(track.id) did not negotiate"
                    )
                }
                guard to < 128, usedPayloadTypes.insert(to).inserted else {
                    throw RoutingTableError(
                        .invalidPayloadType,
                        "\(subscription.subscriber) maps \(track.id)'s payload type \(from) to \(to), "
                            + "which is out of range or already used"
                    )
                }
                payloadTypes[Int(from)] = to
            }
            self.payloadTypeMaps.append(contentsOf: payloadTypes)

            var extensions = [UInt8](repeating: 0, count: RoutingTable.extensionSlots)
            var usedExtensions: Set<UInt8> = []
            for from in subscription.headerExtensions.keys.sorted() {
                let to = subscription.headerExtensions[from] ?? 0
                guard from != 0, track.headerExtensionIDs.contains(from) else {
                    throw RoutingTableError(
                        .invalidHeaderExtensionID,
                        "\(subscription.subscriber) maps header extension id \(from), which \(track.id) did not negotiate"
                    )
                }
                guard to != 0, usedExtensions.insert(to).inserted else {
                    throw RoutingTableError(
                        .invalidHeaderExtensionID,
                        "\(subscription.subscriber) maps \(track.id)'s header extension id \(from) to \(to), "
                            + "which is 0 or already used"
                    )
                }
                extensions[Int(from)] = to
            }
            self.extensionMaps.append(contentsOf: extensions)

            self.deliveries.append(
                Delivery(
                    subscriber: subscription.subscriber,
                    track: trackIndex,
                    mediaSSRC: subscription.mediaSSRC,
                    rtxSSRC: subscription.rtxSSRC,
                    isPaused: subscription.isPaused
                )
            )
            self.subscriptions.append(subscription)
        }
    }
}
