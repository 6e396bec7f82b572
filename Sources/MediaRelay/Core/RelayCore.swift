public import RTCSecurity
import RTCWire

/// The relay's packet path on one worker: the ``RelayDatagramHandler`` that glues the tuple
/// demultiplexer, the ICE-lite responder, each participant's ``Transport`` (ICE -> DTLS -> SRTP),
/// the SFU ``Forwarder`` and the ``RTCPPolicy`` together.
///
/// For each datagram (RFC 7983 classification by ``TransportDemux``):
///
/// - **STUN** goes to the ``ICELiteResponder`` whatever its source; its response (a signed
///   success, or a small rate-limited error never larger than the request) goes back to the
///   source. An authenticated request goes to the owning transport, which binds, switches or
///   refreshes consent; whatever it sends (DTLS flights) goes to its bound tuple.
/// - **DTLS** from a bound tuple goes to that tuple's transport.
/// - **RTP** from a bound tuple is unprotected in place by its transport (only when connected,
///   only from the bound tuple), parsed, and validated by ``Forwarder/ingest(_:from:now:)``
///   against the participant of that transport. Each delivery of the packet's track is written
///   by the forwarder straight into a ``SendBatch`` slot (rewritten SSRC, sequence number,
///   timestamp, payload type, header extensions), protected in that slot by the subscriber's
///   transport and sent to the subscriber's bound tuple. Subscribers that are not connected, or
///   have no consent, are skipped.
/// - **RTCP** is unprotected, parsed and given to the ``RTCPPolicy``; the feedback it forwards
///   upstream (PLI, FIR, NACK translated to the publisher's SSRC) is protected with the
///   publisher's transport and sent to it. Everything else is terminated. The relay sends its
///   own receiver and sender reports on a timer (RelayCore+Reports), and transport-cc feedback
///   to each publisher that negotiated the transport-wide sequence number: its RTP packets'
///   arrivals are recorded on the way in, and reported every 50 ms
///   (RelayCore+TransportFeedback, ``TransportWideFeedbackRecorder``).
/// - Anything else, and DTLS/RTP/RTCP from an unbound tuple, is dropped and counted.
///
/// **Participants and transports.** A ``RoutingParticipantID`` names a participant in the
/// routing table; on a worker, each participant has exactly one transport (BUNDLE with rtcp-mux
/// carries all of its media on one tuple), given with
/// ``Command/addTransport(id:credentials:fingerprints:participant:)``. The core keeps that
/// one-to-one map: RTP arriving on a transport is attributed to its participant (so a
/// participant can only publish the SSRCs the table gives it), and a delivery to a subscriber
/// goes to the subscriber's transport if it has one. A second transport for a participant that
/// still has one is refused: remove (or let close) the first.
///
/// **Timers.** ``nextDeadline`` is the earliest deadline of all transports (a scan);
/// ``timersFired(now:send:)`` runs the due ones. A transport that closes, for any reason, is
/// forgotten at once: its credentials leave the responder, its tuple leaves the demultiplexer,
/// and deliveries to its participant stop.
///
/// On the media path (RTP in, fan-out, protect, send), the core allocates nothing, takes no lock
/// and never awaits: the STUN response, the RTCP scratch and the timer list are reused arrays,
/// and per-delivery transports are looked up in an array rebuilt only by commands and closes.
/// Counters go to a shared ``RelayCoreCounters`` (relaxed atomics).
///
/// Not thread-safe: the worker owns it (it is handed over with `sending`).
public struct RelayCore: RelayDatagramHandler {
    /// One transport and the participant it carries.
    struct Entry {
        let transport: Transport
        let participant: RoutingParticipantID
        /// Its transport-cc recorder, when its participant negotiated the transport-wide sequence
        /// number (set by ``rebuildTransportFeedback()``).
        var feedback: PublisherFeedback? = nil
    }

    /// The settings the core was made with.
    public let configuration: RelayCoreConfiguration
    /// Where the core counts what it does (shared with whoever reads it).
    public let counters: RelayCoreCounters

    let dtlsContext: DTLSContext
    let responder: ICELiteResponder
    var demux: TransportDemux
    var entries: [TransportID: Entry]
    var transportOfParticipant: [RoutingParticipantID: TransportID]
    let forwarder: Forwarder
    let rtcpPolicy: RTCPPolicy
    /// One per delivery of the forwarder's table: the subscriber's transport, if it has one.
    var deliveryTransports: [Transport?] = []
    /// Reused for every STUN response.
    var stunResponse: [UInt8] = []
    /// Reused for every RTCP compound.
    var rtcpResult = RTCPPolicyResult()
    /// Reused for every RTCP packet the core sends.
    var rtcpBytes: [UInt8] = []
    /// Reused by the timer scan.
    var dueTransports: [TransportID] = []
    /// The rooms with a mixer, their clock and recordings (`RelayCore+Mixing.swift`).
    let mixing = RelayMixing()
    /// The relay's own RTCP reports: schedule and scratch (RelayCore+Reports).
    var reports: Reports
    /// When pending transport-cc feedback is next sent, or nil when none is pending
    /// (RelayCore+TransportFeedback).
    var transportFeedbackDeadline: RelayTime?

    /// A core with no transports and an empty routing table.
    ///
    /// - Parameters:
    ///   - dtlsContext: the relay's DTLS context (its certificate and SRTP profiles), shared by
    ///     every transport.
    ///   - configuration: limits and policies.
    ///   - counters: where to count; keep a reference to read them while the worker runs.
    /// - Throws: ``STUNIntegrityError`` if OpenSSL cannot provide HMAC-SHA1 for ICE.
    public init(
        dtlsContext: DTLSContext,
        configuration: RelayCoreConfiguration = RelayCoreConfiguration(),
        counters: RelayCoreCounters = RelayCoreCounters()
    ) throws(STUNIntegrityError) {
        self.configuration = configuration
        self.counters = counters
        self.dtlsContext = dtlsContext
        self.responder = try ICELiteResponder(configuration: configuration.responder)
        self.demux = TransportDemux(capacity: configuration.maximumTransports, limits: configuration.limits)
        self.entries = Dictionary(minimumCapacity: configuration.maximumTransports)
        self.transportOfParticipant = Dictionary(minimumCapacity: configuration.maximumTransports)
        self.forwarder = Forwarder()
        self.rtcpPolicy = RTCPPolicy(configuration: configuration.rtcpPolicy)
        self.stunResponse.reserveCapacity(configuration.limits.maximumDatagramSize)
        self.rtcpBytes.reserveCapacity(configuration.limits.maximumDatagramSize)
        self.dueTransports.reserveCapacity(configuration.maximumTransports)
        self.reports = Reports(configuration: configuration)
    }

    /// How many transports are open.
    public var transportCount: Int {
        self.entries.count
    }

    /// The open transport with this id, if any (for inspection in tests and tools).
    public func transport(_ id: TransportID) -> Transport? {
        self.entries[id]?.transport
    }

    /// The routing table in use.
    public var routingTable: RoutingTable {
        self.forwarder.table
    }

    /// Routes one datagram; see the type's description.
    public mutating func handle(
        datagram: inout MutableSpan<UInt8>,
        length: Int,
        from source: RelayAddress,
        now: RelayTime,
        send: inout SendBatch
    ) {
        guard length > 0, length <= datagram.count else {
            self.counters.add(.droppedByDemux)
            return
        }
        switch self.demux.route(datagram.span.extracting(0..<length), from: source) {
        case .stun:
            self.handleSTUN(datagram.span.extracting(0..<length), from: source, now: now, send: &send)
        case .dtls(let id):
            guard let entry = self.entries[id] else {
                self.counters.add(.droppedByTransport)
                return
            }
            let output = entry.transport.handleDTLS(datagram.span.extracting(0..<length), from: source, now: now)
            self.process(output, of: id, now: now, send: &send)
        case .rtp(let id):
            self.handleRTP(&datagram, length: length, transport: id, from: source, now: now, send: &send)
        case .rtcp(let id):
            self.handleRTCP(&datagram, length: length, transport: id, from: source, now: now, send: &send)
        case .drop:
            self.counters.add(.droppedByDemux)
        }
    }

    // MARK: - STUN and transport outputs

    /// Answers a STUN message and hands an authenticated request to its transport.
    mutating func handleSTUN(_ message: Span<UInt8>, from source: RelayAddress, now: RelayTime, send: inout SendBatch) {
        let responder = self.responder
        let outcome = responder.handle(request: message, from: source, now: now, response: &self.stunResponse)
        if !self.stunResponse.isEmpty {
            send.append(to: source, copying: self.stunResponse.span)
            self.counters.add(.stunResponsesSent)
        }
        switch outcome {
        case .authenticated(let request):
            self.counters.add(.stunAuthenticated)
            guard let entry = self.entries[request.transport] else { return }
            self.process(
                entry.transport.handleBindingRequest(request, now: now),
                of: request.transport,
                now: now,
                send: &send
            )
        case .roleConflict, .rejected:
            self.counters.add(.stunRejected)
        }
    }

    /// Acts on what a transport returned: keeps the demultiplexer in step, sends its datagrams
    /// to its bound tuple, counts its events and forgets it when it closed.
    mutating func process(_ output: TransportOutput, of id: TransportID, now: RelayTime, send: inout SendBatch) {
        guard !output.isEmpty else { return }
        let bound = self.demux.apply(output, for: id)
        if let destination = output.destination {
            for datagram in output.datagrams {
                send.append(to: destination, copying: datagram.span)
                self.counters.add(.dtlsSent)
            }
        }
        for event in output.events {
            switch event {
            case .connected:
                self.counters.add(.transportsConnected)
                self.reports.schedule.add(id, now: now)
                self.configuration.events.deliver(.transportConnected(id))
            case .closed(let reason):
                self.forget(id)
                self.configuration.events.deliver(.transportClosed(id, reason))
            case .bound, .switched, .consentExpired:
                break
            }
        }
        // The tuple table is full: close the transport rather than leave it unreachable (a
        // closed transport's output is its last, so this recursion is one level deep).
        if !bound, let entry = self.entries[id] {
            self.process(entry.transport.close(now: now), of: id, now: now, send: &send)
        }
    }

    /// Removes every trace of a closed (or removed) transport.
    mutating func forget(_ id: TransportID) {
        guard let entry = self.entries.removeValue(forKey: id) else { return }
        self.responder.removeCredentials(for: id)
        self.reports.schedule.remove(id)
        self.demux.unbindAll(id)
        if self.transportOfParticipant[entry.participant] == id {
            self.transportOfParticipant[entry.participant] = nil
        }
        self.counters.add(.transportsClosed)
        self.rebuildDeliveryTransports()
    }

    /// Maps each delivery of the forwarder's table to its subscriber's transport, and gives
    /// publishing transports their transport-cc recorders. Runs on commands and closes, never
    /// per packet.
    mutating func rebuildDeliveryTransports() {
        let deliveries = self.forwarder.table.deliveries
        self.deliveryTransports.removeAll(keepingCapacity: true)
        self.deliveryTransports.reserveCapacity(deliveries.count)
        for delivery in deliveries {
            let transport = self.transportOfParticipant[delivery.subscriber].flatMap { self.entries[$0]?.transport }
            self.deliveryTransports.append(transport)
        }
        self.rebuildTransportFeedback()
    }
}

@available(*, unavailable)
extension RelayCore: Sendable {}
