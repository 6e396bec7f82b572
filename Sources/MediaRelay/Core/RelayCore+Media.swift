import RTCSecurity
import RTCWire

extension RelayCore {
    // MARK: - RTP

    /// Unprotects an RTP packet in place, validates it and fans it out, each copy written,
    /// rewritten and protected directly in a send slot.
    mutating func handleRTP(
        _ datagram: inout MutableSpan<UInt8>,
        length: Int,
        transport id: TransportID,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        guard let entry = self.entries[id] else {
            self.counters.add(.droppedByTransport)
            return
        }
        guard case .accepted(let plainLength) = entry.transport.unprotectRTP(&datagram, length: length, from: source)
        else {
            self.counters.add(.droppedByTransport)
            return
        }
        let header: RTPHeader
        do {
            header = try RTPHeader(parsing: datagram.span.extracting(0..<plainLength))
        } catch {
            self.counters.add(.droppedMalformed)
            return
        }
        // Every authenticated packet counts for the sender's bandwidth estimate, routed or not.
        if let feedback = entry.feedback {
            self.recordTransportSequence(
                header,
                packet: datagram.span.extracting(0..<plainLength),
                into: feedback,
                now: now
            )
        }
        // The audio of a participant in a room with a mixer also goes to that mixer.
        let mixed = self.ingestMixedAudio(
            header,
            packet: datagram.span.extracting(0..<plainLength),
            from: entry.participant,
            now: now
        )
        let forwarder = self.forwarder
        guard case .forward(let route) = forwarder.ingest(header, from: entry.participant, now: now) else {
            self.counters.add(mixed ? .rtpReceived : .droppedByRouting)
            return
        }
        self.counters.add(.rtpReceived)
        let counters = self.counters
        for delivery in forwarder.deliveries(for: route) {
            guard delivery < self.deliveryTransports.count,
                let subscriber = self.deliveryTransports[delivery],
                subscriber.canSend,
                let destination = subscriber.boundAddress,
                let profile = subscriber.srtpProfile
            else {
                counters.add(.deliveriesSkipped)
                continue
            }
            let trailerLength = profile.rtpTrailerLength
            send.append(to: destination) { slot in
                let output = forwarder.forward(
                    datagram.span.extracting(0..<plainLength),
                    header: header,
                    route: route,
                    delivery: delivery,
                    into: &slot,
                    trailerLength: trailerLength,
                    now: now
                )
                guard case .written(let written) = output else {
                    counters.add(.deliveriesSkipped)
                    return 0
                }
                do {
                    guard case .accepted(let protected) = try subscriber.protectRTP(&slot, length: written) else {
                        counters.add(.deliveriesSkipped)
                        return 0
                    }
                    counters.add(.rtpForwarded)
                    return protected
                } catch {
                    counters.add(.protectFailed)
                    return 0
                }
            }
        }
    }

    // MARK: - RTCP

    /// Unprotects an RTCP compound, applies the policy and sends the feedback it forwards to
    /// the publishers concerned.
    mutating func handleRTCP(
        _ datagram: inout MutableSpan<UInt8>,
        length: Int,
        transport id: TransportID,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        guard let entry = self.entries[id] else {
            self.counters.add(.droppedByTransport)
            return
        }
        guard case .accepted(let plainLength) = entry.transport.unprotectRTCP(&datagram, length: length, from: source)
        else {
            self.counters.add(.droppedByTransport)
            return
        }
        self.counters.add(.rtcpReceived)
        // RTCP is not the hot path: parsing the compound and the policy's result allocate a
        // little (RTCPPolicy says so).
        let compound: RTCPCompound
        do {
            compound = try RTCPCompound(parsing: datagram.span.extracting(0..<plainLength))
        } catch {
            self.counters.add(.droppedMalformed)
            return
        }
        self.rtcpResult.removeAll()
        let policy = self.rtcpPolicy
        policy.handle(compound, from: entry.participant, forwarder: self.forwarder, now: now, into: &self.rtcpResult)
        for index in self.rtcpResult.upstream.indices {
            let item = self.rtcpResult.upstream[index]
            guard let publisherID = self.transportOfParticipant[item.publisher],
                let publisher = self.entries[publisherID]?.transport
            else {
                self.counters.add(.deliveriesSkipped)
                continue
            }
            self.rtcpBytes.removeAll(keepingCapacity: true)
            do {
                try RTCPCompound(packets: [item.packet]).serialize(into: &self.rtcpBytes)
            } catch {
                self.counters.add(.droppedMalformed)
                continue
            }
            self.sendRTCP(self.rtcpBytes, through: publisher, send: &send)
        }
    }

    /// Protects a plain RTCP compound with a transport's session, in a send slot, and queues it
    /// for the transport's bound tuple; skipped when the transport may not send.
    func sendRTCP(_ compound: [UInt8], through transport: Transport, send: inout SendBatch) {
        guard transport.canSend, let destination = transport.boundAddress, let profile = transport.srtpProfile else {
            self.counters.add(.deliveriesSkipped)
            return
        }
        let counters = self.counters
        let length = compound.count
        let needed = length &+ profile.rtcpTrailerLength
        send.append(to: destination) { slot in
            guard slot.count >= needed else {
                counters.add(.protectFailed)
                return 0
            }
            for index in 0..<length {
                slot[index] = compound[index]
            }
            do {
                guard case .accepted(let protected) = try transport.protectRTCP(&slot, length: length) else {
                    counters.add(.deliveriesSkipped)
                    return 0
                }
                counters.add(.rtcpSent)
                return protected
            } catch {
                counters.add(.protectFailed)
                return 0
            }
        }
    }
}
