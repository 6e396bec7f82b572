public import RTCSecurity
import RTCWire

/// One participant's transport on the relay: the state machine that takes a 5-tuple from ICE
/// through DTLS to SRTP media. Sans-I/O and clock-free: it is fed authenticated Binding requests,
/// DTLS datagrams, media and the time, and returns what to send and what changed.
///
/// ```
/// waitingForICE --authenticated Binding--> dtls --handshake + fingerprint--> connected
///       \                                    \                                  \
///        +-----------------------------------+----------------------------------+--> closed(reason)
/// ```
///
/// - **ICE** (RFC 8445 lite): the first authenticated Binding request binds its tuple. Later, an
///   authenticated nomination (USE-CANDIDATE) from another tuple switches to it, unless its
///   transaction ID was seen before (a replay from a new address). Checks from other tuples are
///   answered by the responder but change nothing here.
/// - **DTLS**: a ``DTLSEndpoint`` in the server role, fed only datagrams from the bound tuple;
///   its retransmission timer is part of ``nextDeadline``. The handshake fails, and no keys are
///   ever installed, when the peer's certificate matches none of the signalled fingerprints.
/// - **SRTP**: on completion, an inbound (unprotect) and an outbound (protect) ``SRTPSession`` are
///   created from the exported keys. Media is accepted only when connected and only from the
///   bound tuple (see `Transport+Media.swift`); everything else is dropped and counted.
/// - **Consent** (RFC 7675): without an authenticated Binding request from the bound tuple for
///   ``RelayLimits/consentTimeoutSeconds``, ``canSend`` turns false and the transport closes.
/// - **Connect timeout**: not connected within ``RelayLimits/connectTimeoutSeconds`` of creation
///   closes it with ``TransportCloseReason/connectTimeout``.
///
/// Everything it sends goes to its bound tuple (``TransportOutput/destination``), and only while
/// ``canSend``. A closed transport releases its DTLS endpoint and SRTP sessions at once.
///
/// Not thread-safe: it belongs to the worker that owns its room.
public final class Transport {
    /// How many recent authenticated transaction IDs are remembered to refuse replayed
    /// nominations.
    static let rememberedTransactions = 32

    /// The transport's identity, as in its ICE credentials.
    public let id: TransportID
    /// What signaling and the relay's settings asked for.
    public let configuration: TransportConfiguration
    /// When the transport was created; the connect timeout counts from here.
    public let createdAt: RelayTime

    /// Where the transport is in its life.
    public private(set) var state: TransportState = .waitingForICE
    /// The validated tuple everything is sent to and the only one anything is accepted from;
    /// `nil` until the first authenticated Binding request. Kept after close, for reports.
    public private(set) var boundAddress: RelayAddress?
    /// Whether the bound tuple was nominated (USE-CANDIDATE) by the controlling agent.
    public private(set) var isNominated = false
    /// When the last authenticated Binding request from the bound tuple arrived.
    public private(set) var lastConsent: RelayTime?
    /// Whether the relay may send to the bound tuple: true from binding until consent expires or
    /// the transport closes. Check it before sending media.
    public private(set) var canSend = false
    /// The session that unprotects what the peer sends; `nil` unless connected.
    public private(set) var inboundSession: SRTPSession?
    /// The session that protects what the relay sends to the peer; `nil` unless connected.
    public private(set) var outboundSession: SRTPSession?
    /// The SRTP profile negotiated in DTLS, once connected.
    public private(set) var srtpProfile: SRTPProfile?
    /// What was accepted and dropped.
    public internal(set) var counters = TransportCounters()

    /// The DTLS endpoint, from binding until connected or closed.
    private var endpoint: DTLSEndpoint?
    /// When the DTLS endpoint wants ``DTLSEndpoint/handleTimeout()``.
    private var dtlsDeadline: RelayTime?
    /// Recent authenticated transaction IDs (a ring), to refuse a replayed nomination.
    private var seenTransactions: [STUNTransactionID?]
    private var nextTransactionSlot = 0

    /// Creates a transport waiting for ICE; the connect timeout starts now.
    public init(id: TransportID, configuration: TransportConfiguration, now: RelayTime) {
        self.id = id
        self.configuration = configuration
        self.createdAt = now
        self.seenTransactions = [STUNTransactionID?](repeating: nil, count: Self.rememberedTransactions)
    }

    /// The DTLS endpoint's state, or `nil` when there is none (before binding, after close).
    public var dtlsState: DTLSEndpoint.State? {
        self.endpoint?.state
    }

    /// Whether the transport is closed.
    public var isClosed: Bool {
        if case .closed = self.state { return true }
        return false
    }

    /// When the transport next needs ``handleTimer(now:)``: the earliest of the connect timeout
    /// (until connected), the consent expiry (once bound) and the DTLS retransmission timer.
    /// `nil` once closed.
    public var nextDeadline: RelayTime? {
        if self.isClosed { return nil }
        var deadline: RelayTime? = nil
        if self.state != .connected {
            deadline = self.connectDeadline
        }
        if let consent = self.consentDeadline {
            deadline = min(deadline ?? consent, consent)
        }
        if let dtls = self.dtlsDeadline {
            deadline = min(deadline ?? dtls, dtls)
        }
        return deadline
    }

    /// When the connect timeout fires if the transport is not connected by then.
    public var connectDeadline: RelayTime {
        self.createdAt.adding(
            nanoseconds: RelayTime.nanoseconds(seconds: self.configuration.limits.connectTimeoutSeconds)
        )
    }

    /// When consent expires unless another authenticated Binding request arrives; `nil` before
    /// binding.
    public var consentDeadline: RelayTime? {
        self.lastConsent.map {
            $0.adding(nanoseconds: RelayTime.nanoseconds(seconds: self.configuration.limits.consentTimeoutSeconds))
        }
    }

    // MARK: - ICE

    /// Applies an authenticated Binding request (from ``ICELiteResponder``) for this transport.
    ///
    /// The first one binds its tuple and starts DTLS; one from the bound tuple refreshes consent;
    /// a nomination from another tuple switches to it (unless its transaction ID was seen before);
    /// anything else changes nothing. The responder has already answered the request.
    public func handleBindingRequest(_ request: ICEBindingRequest, now: RelayTime) -> TransportOutput {
        var output = TransportOutput()
        guard request.transport == self.id else {
            self.counters.count(.misroutedBindingRequest)
            return output
        }
        let replayed = self.hasSeen(request.transactionID)
        self.remember(request.transactionID)
        switch self.state {
        case .closed:
            self.counters.count(.closed)
        case .waitingForICE:
            self.boundAddress = request.source
            self.isNominated = request.useCandidate
            self.lastConsent = now
            self.canSend = true
            self.state = .dtls
            output.events.append(.bound(request.source))
            self.startDTLS(with: request.source, &output)
        case .dtls, .connected:
            guard let bound = self.boundAddress else { return output }
            if request.source == bound {
                self.lastConsent = now
                if request.useCandidate { self.isNominated = true }
            } else if request.useCandidate && !replayed {
                self.boundAddress = request.source
                self.isNominated = true
                self.lastConsent = now
                output.events.append(.switched(from: bound, to: request.source))
                // The HelloVerifyRequest cookie is bound to the peer's address: an endpoint that
                // has not started its handshake yet is remade for the new tuple.
                if self.state == .dtls, self.endpoint?.state == .idle {
                    self.startDTLS(with: request.source, &output)
                }
            }
        }
        return output
    }

    // MARK: - DTLS

    /// Feeds one DTLS datagram (first byte 20-63) from `source`.
    ///
    /// Accepted only from the bound tuple while in ``TransportState/dtls`` or
    /// ``TransportState/connected`` (a retransmitted final flight or a `close_notify` may come
    /// after completion); anything else is dropped and counted, and the endpoint never sees it.
    public func handleDTLS(_ datagram: Span<UInt8>, from source: RelayAddress, now: RelayTime) -> TransportOutput {
        var output = TransportOutput()
        switch self.state {
        case .closed:
            self.counters.count(.closed)
        case .waitingForICE:
            self.counters.count(.dtlsBeforeICE)
        case .dtls, .connected:
            guard source == self.boundAddress, let endpoint = self.endpoint else {
                self.counters.count(.dtlsFromUnboundTuple)
                return output
            }
            self.counters.dtlsReceived &+= 1
            self.process(endpoint.receive(datagram: datagram), now: now, &output)
        }
        return output
    }

    /// Convenience for tests and tools: ``handleDTLS(_:from:now:)`` over an array.
    public func handleDTLS(_ datagram: [UInt8], from source: RelayAddress, now: RelayTime) -> TransportOutput {
        self.handleDTLS(datagram.span, from: source, now: now)
    }

    // MARK: - Time

    /// Fires whatever is due at `now`: the connect timeout, consent expiry, DTLS retransmission.
    /// Calling it early, or more often than ``nextDeadline`` asks, is harmless.
    public func handleTimer(now: RelayTime) -> TransportOutput {
        var output = TransportOutput()
        guard !self.isClosed else { return output }
        if self.state != .connected, now >= self.connectDeadline {
            self.close(.connectTimeout, &output)
            return output
        }
        if let consent = self.consentDeadline, now >= consent {
            // RFC 7675 section 5.1: stop sending at once; there is nothing to say to a peer that
            // no longer consents, so the close sends nothing either.
            self.canSend = false
            output.events.append(.consentExpired)
            self.close(.consentExpired, &output)
            return output
        }
        if let deadline = self.dtlsDeadline, now >= deadline, let endpoint = self.endpoint {
            self.process(endpoint.handleTimeout(), now: now, &output)
        }
        return output
    }

    // MARK: - Closing

    /// Closes the transport at the control plane's request (the participant left or the room
    /// closed): sends DTLS `close_notify` to the bound tuple if connected and allowed to send,
    /// then releases everything. Calling it again returns an empty output.
    public func close(now: RelayTime) -> TransportOutput {
        var output = TransportOutput()
        guard !self.isClosed else { return output }
        if let endpoint = self.endpoint {
            self.send(endpoint.close().datagrams, &output)
        }
        self.close(.removed, &output)
        return output
    }

    // MARK: - Internals

    /// Creates the server endpoint for `address`, replacing any earlier one.
    private func startDTLS(with address: RelayAddress, _ output: inout TransportOutput) {
        self.endpoint = nil
        self.dtlsDeadline = nil
        do {
            self.endpoint = try DTLSEndpoint(
                context: self.configuration.dtlsContext,
                role: .server,
                peerAddress: Self.cookieBytes(address),
                expectedFingerprints: self.configuration.expectedFingerprints
            )
        } catch {
            self.close(.dtlsFailed(error), &output)
        }
    }

    /// Acts on what the DTLS endpoint returned: sends its datagrams, installs keys, closes on
    /// failure, and re-arms the retransmission timer.
    private func process(_ result: DTLSEndpoint.Output, now: RelayTime, _ output: inout TransportOutput) {
        self.send(result.datagrams, &output)
        // Application data has no use here (DTLS-SRTP carries no data channel in Parley).
        for event in result.events {
            guard !self.isClosed else { break }
            switch event {
            case .handshakeCompleted(let keys):
                self.installSRTP(keys, &output)
            case .failed(let error):
                self.close(.dtlsFailed(error), &output)
            case .closed:
                self.close(.dtlsClosedByPeer, &output)
            }
        }
        if !self.isClosed, let timeout = self.endpoint?.nextTimeout {
            let nanoseconds = RelayTime.nanoseconds(timeout)
            // At least 1 ms ahead: a deadline at `now` would have the worker call the timer again
            // at once (OpenSSL reports under 15 ms left as zero).
            self.dtlsDeadline = now.adding(nanoseconds: max(nanoseconds, 1_000_000))
        } else {
            self.dtlsDeadline = nil
        }
    }

    /// Creates both SRTP sessions from the handshake's keys and moves to connected: the peer's
    /// write key (the DTLS client's) unprotects what it sends, ours protects what we send.
    private func installSRTP(_ keys: DTLSSRTPKeyingMaterial, _ output: inout TransportOutput) {
        do {
            let inbound = try SRTPSession(
                direction: .inbound,
                keyingMaterial: keys.remote,
                replayWindow: self.configuration.replayWindow,
                streams: self.configuration.inboundStreams
            )
            let outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
            self.inboundSession = inbound
            self.outboundSession = outbound
            self.srtpProfile = keys.profile
            self.state = .connected
            output.events.append(.connected(keys.profile))
        } catch {
            self.close(.srtpFailed(error), &output)
        }
    }

    /// Queues datagrams for the bound tuple, or drops them when the transport may not send.
    private func send(_ datagrams: [[UInt8]], _ output: inout TransportOutput) {
        guard !datagrams.isEmpty else { return }
        guard self.canSend, let destination = self.boundAddress else {
            for _ in datagrams { self.counters.count(.sendWithoutConsent) }
            return
        }
        output.destination = destination
        output.datagrams.append(contentsOf: datagrams)
        self.counters.dtlsSent &+= UInt64(datagrams.count)
    }

    /// Moves to closed and releases the endpoint and the sessions (their keys are wiped by
    /// their deinit).
    private func close(_ reason: TransportCloseReason, _ output: inout TransportOutput) {
        self.state = .closed(reason)
        self.canSend = false
        self.endpoint = nil
        self.dtlsDeadline = nil
        self.inboundSession = nil
        self.outboundSession = nil
        output.events.append(.closed(reason))
    }

    private func hasSeen(_ transactionID: STUNTransactionID) -> Bool {
        self.seenTransactions.contains(transactionID)
    }

    private func remember(_ transactionID: STUNTransactionID) {
        self.seenTransactions[self.nextTransactionSlot] = transactionID
        self.nextTransactionSlot = (self.nextTransactionSlot &+ 1) % Self.rememberedTransactions
    }

    /// The bytes a DTLS cookie is bound to: family, address, port.
    static func cookieBytes(_ address: RelayAddress) -> [UInt8] {
        var bytes: [UInt8] = [address.family.rawValue]
        bytes.reserveCapacity(19)
        let words = address.family == .ipv4 ? [address.low & 0xFFFF_FFFF] : [address.high, address.low]
        let width = address.family == .ipv4 ? 4 : 8
        for word in words {
            for index in stride(from: width - 1, through: 0, by: -1) {
                bytes.append(UInt8(truncatingIfNeeded: word &>> UInt64(index * 8)))
            }
        }
        bytes.append(UInt8(truncatingIfNeeded: address.port &>> 8))
        bytes.append(UInt8(truncatingIfNeeded: address.port))
        return bytes
    }
}

@available(*, unavailable)
extension Transport: Sendable {}
