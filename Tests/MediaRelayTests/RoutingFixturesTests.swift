import MediaRelay
import RTCWire

/// Packets, tables and a fan-out driver shared by the Routing and RTCPPolicy suites. (The file
/// name ends in `Tests` only to sit among the suites it serves.)
enum RoutingFixtures {
    /// One subscriber's copy of a fanned-out packet.
    struct Delivered {
        var delivery: Int
        var subscriber: RoutingParticipantID
        var output: Forwarder.Output
        /// The bytes written (empty when dropped).
        var bytes: [UInt8]
        /// The bytes after the packet, which must be untouched (trailer room).
        var rest: [UInt8]

        var header: RTPHeader? {
            self.bytes.isEmpty ? nil : try? RTPHeader(parsing: self.bytes.span)
        }
    }

    /// The byte the destination is filled with before writing, to see what was written.
    static let fill: UInt8 = 0xEE

    /// An RTP packet built with RTCWire's serializer.
    static func packet(
        ssrc: UInt32,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        payloadType: UInt8 = 111,
        marker: Bool = false,
        extensions: [(UInt8, [UInt8])] = [],
        payload: [UInt8] = [0xF8, 0xFF, 0xFE, 0x01]
    ) throws -> [UInt8] {
        var packet = RTPPacket(
            payloadType: payloadType,
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            ssrc: ssrc,
            marker: marker,
            payload: payload
        )
        for (id, value) in extensions {
            try packet.setExtension(id: id, value: value)
        }
        return try packet.serialized()
    }

    /// Writes one delivery's copy of a packet into a fresh destination of `capacity` bytes.
    static func write(
        _ packet: [UInt8],
        header: RTPHeader,
        route: RoutingTable.Route,
        delivery: Int,
        forwarder: Forwarder,
        now: RelayTime,
        capacity: Int = 1500,
        trailerLength: Int = 16
    ) -> Delivered {
        var slot = [UInt8](repeating: Self.fill, count: capacity)
        let output: Forwarder.Output
        do {
            var span = slot.mutableSpan
            output = forwarder.forward(
                packet.span,
                header: header,
                route: route,
                delivery: delivery,
                into: &span,
                trailerLength: trailerLength,
                now: now
            )
        }
        var written = 0
        if case .written(let length) = output {
            written = length
        }
        return Delivered(
            delivery: delivery,
            subscriber: forwarder.table.deliveries[delivery].subscriber,
            output: output,
            bytes: Array(slot[0..<written]),
            rest: Array(slot[written...])
        )
    }

    /// The worker's packet path for one datagram: ingest, then fan out to every delivery.
    static func send(
        _ packet: [UInt8],
        from participant: RoutingParticipantID,
        to forwarder: Forwarder,
        now: RelayTime,
        capacity: Int = 1500,
        trailerLength: Int = 16
    ) throws -> (ingress: Forwarder.Ingress, delivered: [Delivered]) {
        let header = try RTPHeader(parsing: packet.span)
        let ingress = forwarder.ingest(header, from: participant, now: now)
        guard case .forward(let route) = ingress else {
            return (ingress, [])
        }
        var delivered: [Delivered] = []
        for delivery in forwarder.deliveries(for: route) {
            delivered.append(
                Self.write(
                    packet,
                    header: header,
                    route: route,
                    delivery: delivery,
                    forwarder: forwarder,
                    now: now,
                    capacity: capacity,
                    trailerLength: trailerLength
                )
            )
        }
        return (ingress, delivered)
    }

    /// Sends `count` packets of one stream, one every `intervalMilliseconds` from
    /// `startMilliseconds`: sequence numbers step by 1 from `firstSequenceNumber`, timestamps by
    /// `timestampStep` from `firstTimestamp`. What the forwarder does with them is not returned.
    static func sendRun(
        count: Int,
        ssrc: UInt32,
        firstSequenceNumber: UInt16,
        firstTimestamp: UInt32 = 0,
        timestampStep: UInt32,
        payloadType: UInt8 = 111,
        from participant: RoutingParticipantID,
        to forwarder: Forwarder,
        startMilliseconds: UInt64 = 0,
        intervalMilliseconds: UInt64
    ) throws {
        for i in 0..<count {
            let packet = try Self.packet(
                ssrc: ssrc,
                sequenceNumber: firstSequenceNumber &+ UInt16(truncatingIfNeeded: i),
                timestamp: firstTimestamp &+ timestampStep &* UInt32(truncatingIfNeeded: i),
                payloadType: payloadType
            )
            _ = try Self.send(
                packet,
                from: participant,
                to: forwarder,
                now: Self.at(startMilliseconds + intervalMilliseconds * UInt64(i))
            )
        }
    }

    /// Sends a packet and returns the one subscriber copy there must be.
    static func sendToOne(
        _ packet: [UInt8],
        from participant: RoutingParticipantID,
        to forwarder: Forwarder,
        now: RelayTime
    ) throws -> Delivered? {
        let (_, delivered) = try Self.send(packet, from: participant, to: forwarder, now: now)
        return delivered.count == 1 ? delivered[0] : nil
    }

    /// An audio track with Opus (111) and the given extension ids.
    static func audioTrack(
        id: RoutingTrackID,
        publisher: RoutingParticipantID,
        ssrc: UInt32,
        rtxSSRC: UInt32? = nil,
        payloadTypes: [UInt8] = [111],
        extensionIDs: [UInt8] = [],
        generation: UInt32 = 0
    ) -> PublishedTrack {
        PublishedTrack(
            id: id,
            publisher: publisher,
            kind: .audio,
            mediaSSRC: ssrc,
            rtxSSRC: rtxSSRC,
            payloadTypes: payloadTypes,
            headerExtensionIDs: extensionIDs,
            generation: generation
        )
    }

    /// A subscription mapping Opus 111 to 111 and nothing else.
    static func plainSubscription(
        _ subscriber: RoutingParticipantID,
        to track: RoutingTrackID,
        ssrc: UInt32,
        rtxSSRC: UInt32? = nil,
        payloadTypes: [UInt8: UInt8] = [111: 111],
        isPaused: Bool = false
    ) -> TrackSubscription {
        TrackSubscription(
            subscriber: subscriber,
            track: track,
            mediaSSRC: ssrc,
            rtxSSRC: rtxSSRC,
            payloadTypes: payloadTypes,
            isPaused: isPaused
        )
    }

    /// `start` plus `milliseconds`.
    static func at(_ milliseconds: UInt64) -> RelayTime {
        RelayTime.milliseconds(1_000_000 + milliseconds)
    }
}
