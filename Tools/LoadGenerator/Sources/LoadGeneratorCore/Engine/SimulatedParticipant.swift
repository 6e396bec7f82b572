import RTCAudio
import RTCSecurity
import RTCWire

/// One simulated participant's media stack on the engine thread: a controlling ICE agent
/// (authenticated Binding requests with USE-CANDIDATE to the answer's candidate, then consent
/// checks every ``consentInterval``), a DTLS client started once a Binding response
/// authenticated, SRTP in and out once it completed, the paced Opus sender and the receive
/// statistics.
///
/// Sans-I/O: the engine hands it datagrams and the time, and sends what it returns on the
/// participant's socket. Media is written straight into the engine's scratch buffer
/// (``writeMedia(frame:now:into:)``) to allocate nothing per packet. Not thread-safe: the engine
/// thread owns it.
final class SimulatedParticipant {
    /// Where the participant is in its connection.
    enum State: String, Sendable {
        case checking
        case handshaking
        case connected
        case failed
        case closed
    }

    static let checkInterval: UInt64 = 50_000_000
    static let consentInterval: UInt64 = 5_000_000_000
    static let connectTimeout: UInt64 = 10_000_000_000
    static let framePeriod: UInt64 = 20_000_000
    static let samplesPerFrame: UInt32 = 960

    let plan: ParticipantPlan
    let answer: AnswerParameters
    let audio: PreencodedAudio
    let descriptor: Int32
    let localPort: UInt16
    private let dtls: DTLSEndpoint
    private let authenticator: STUNAuthenticator
    private var inbound: SRTPSession?
    private var outbound: SRTPSession?
    private(set) var state: State = .checking
    private(set) var failure: FailureCause?

    private var transactionCounter: UInt64 = 0
    private var outstanding: [STUNTransactionID] = []
    private var nextCheck: UInt64
    private var stateDeadline: UInt64
    private var dtlsTimer: UInt64?
    private let startedAt: UInt64

    private var pacing: PacingSchedule?
    private var sequence: UInt16
    private let timestampBase: UInt32
    private(set) var sendStatistics = SendStreamStatistics()
    private(set) var streams: [UInt32: ReceiveStreamStatistics] = [:]
    private(set) var connectedAt: UInt64?
    private(set) var firstMediaAt: UInt64?
    private(set) var rtcpReceived: UInt64 = 0
    private(set) var unprotectFailures: UInt64 = 0
    private(set) var consentChecksAnswered: UInt64 = 0
    private let mixCheck: MixCheck?

    /// Makes the participant; nothing is sent until ``start(now:)``.
    init(
        plan: ParticipantPlan,
        answer: AnswerParameters,
        audio: PreencodedAudio,
        context: DTLSContext,
        descriptor: Int32,
        localPort: UInt16,
        now: UInt64
    ) throws {
        self.plan = plan
        self.answer = answer
        self.audio = audio
        self.descriptor = descriptor
        self.localPort = localPort
        self.dtls = try DTLSEndpoint(
            context: context,
            role: .client,
            peerAddress: [],
            expectedFingerprints: answer.fingerprints
        )
        self.authenticator = try STUNAuthenticator()
        self.nextCheck = now
        self.stateDeadline = now &+ Self.connectTimeout
        self.startedAt = now
        var generator = SystemRandomNumberGenerator()
        self.sequence = UInt16.random(in: 0...UInt16.max, using: &generator)
        self.timestampBase = UInt32.random(in: 0...UInt32.max, using: &generator)
        self.mixCheck =
            plan.checksMix
            ? try MixCheck(ownFrequency: plan.toneFrequency, otherFrequencies: plan.otherToneFrequencies) : nil
    }

    /// The earliest time ``fireTimers(now:)`` or ``takeFrame(now:)`` has work, or nil.
    var nextDeadline: UInt64? {
        switch self.state {
        case .checking:
            return min(self.nextCheck, self.stateDeadline)
        case .handshaking:
            return min(self.dtlsTimer ?? .max, self.stateDeadline)
        case .connected:
            return min(self.nextCheck, self.pacing?.nextDeadline ?? .max)
        case .failed, .closed:
            return nil
        }
    }

    /// Whether the participant is still trying or connected.
    var isActive: Bool {
        self.state == .checking || self.state == .handshaking || self.state == .connected
    }

    // MARK: - Timers

    /// Runs due control timers (ICE checks, consent, DTLS retransmission, timeouts) and returns
    /// the datagrams to send.
    func fireTimers(now: UInt64) -> [[UInt8]] {
        var output: [[UInt8]] = []
        switch self.state {
        case .checking:
            if now >= self.stateDeadline {
                self.fail(.iceTimeout)
                return []
            }
            if now >= self.nextCheck {
                // Back off from 50 ms to 200 ms after the first ten checks, as browsers pace.
                let interval = self.transactionCounter < 10 ? Self.checkInterval : 4 * Self.checkInterval
                self.nextCheck = now &+ interval
                if let request = self.bindingRequest() {
                    output.append(request)
                }
            }
        case .handshaking:
            if now >= self.stateDeadline {
                self.fail(.dtlsTimeout)
                return []
            }
            if let timer = self.dtlsTimer, now >= timer {
                let result = self.dtls.handleTimeout()
                output.append(contentsOf: result.datagrams)
                self.handle(events: result.events, now: now)
                self.armDTLSTimer(now: now)
            }
        case .connected:
            if now >= self.nextCheck {
                self.nextCheck = now &+ Self.consentInterval
                if let request = self.bindingRequest() {
                    output.append(request)
                }
            }
        case .failed, .closed:
            break
        }
        return output
    }

    /// The next frame due at `now`, if the participant is connected and one is due.
    func takeFrame(now: UInt64) -> PacingSchedule.Frame? {
        guard self.state == .connected, self.pacing != nil else { return nil }
        return self.pacing?.take(now: now, skipped: &self.sendStatistics.framesSkipped)
    }

    /// Writes the SRTP packet of `frame` into `buffer` and returns its length (0 if protection
    /// failed). The abs-send-time is `now` (the engine calls this right before sending).
    func writeMedia(frame: PacingSchedule.Frame, now: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let outbound = self.outbound else { return 0 }
        let slot = Int(frame.index % UInt64(self.audio.payloads.count))
        let payload = self.audio.payloads[slot]
        let level = self.audio.levels[slot]
        let timestamp = self.timestampBase &+ UInt32(truncatingIfNeeded: frame.index) &* Self.samplesPerFrame
        self.sequence &+= 1
        let bytes = buffer.bindMemory(to: UInt8.self)
        var offset = 0
        func put(_ value: UInt8) {
            bytes[offset] = value
            offset += 1
        }
        let audioLevelID = self.answer.audioLevelID.flatMap { (1...14).contains($0) ? $0 : nil }
        let absSendTimeID = self.answer.absSendTimeID.flatMap { (1...14).contains($0) ? $0 : nil }
        let hasExtension = audioLevelID != nil || absSendTimeID != nil
        put(hasExtension ? 0x90 : 0x80)
        put((frame.index == 0 ? 0x80 : 0) | (self.answer.payloadType & 0x7F))
        put(UInt8(self.sequence >> 8))
        put(UInt8(truncatingIfNeeded: self.sequence))
        for shift in stride(from: 24, through: 0, by: -8) {
            put(UInt8(truncatingIfNeeded: timestamp >> UInt32(shift)))
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            put(UInt8(truncatingIfNeeded: self.plan.ssrc >> UInt32(shift)))
        }
        if hasExtension {
            // RFC 8285 one-byte form: 0xBEDE, the length in 32-bit words, then the elements.
            let elementBytes = (audioLevelID == nil ? 0 : 2) + (absSendTimeID == nil ? 0 : 4)
            let words = (elementBytes + 3) / 4
            put(0xBE)
            put(0xDE)
            put(UInt8(words >> 8))
            put(UInt8(truncatingIfNeeded: words))
            let start = offset
            if let id = audioLevelID {
                put(id << 4)
                put(RTPAudioLevel(level: level, voiceActivity: self.audio.voiceActivity).byte)
            }
            if let id = absSendTimeID {
                let sendTime = RTPAbsSendTime(nanoseconds: now).rawValue
                put(id << 4 | 2)
                put(UInt8(truncatingIfNeeded: sendTime >> 16))
                put(UInt8(truncatingIfNeeded: sendTime >> 8))
                put(UInt8(truncatingIfNeeded: sendTime))
            }
            while offset - start < words * 4 {
                put(0)
            }
        }
        guard offset + payload.count + SRTPProfile.maximumRTPTrailerLength <= bytes.count else { return 0 }
        for byte in payload {
            put(byte)
        }
        var span = bytes.mutableSpan
        guard let length = try? outbound.protectRTP(&span, length: offset) else { return 0 }
        self.sendStatistics.lateness.record(microseconds: frame.lateness / 1000)
        return length
    }

    /// Counts a media packet the engine sent (or the impairment dropped).
    func countSent(bytes: Int, dropped: Bool, failed: Bool) {
        if dropped {
            self.sendStatistics.impairmentDropped += 1
        } else if failed {
            self.sendStatistics.sendErrors += 1
        } else {
            self.sendStatistics.packets += 1
            self.sendStatistics.bytes += UInt64(bytes)
        }
    }

    // MARK: - Receiving

    /// Handles one datagram from the socket; returns what to send back. `latencySink` gets each
    /// one-way latency sample (microseconds), for the engine's live window.
    func receive(
        _ datagram: inout MutableSpan<UInt8>,
        length: Int,
        now: UInt64,
        latencySink: (UInt64) -> Void
    ) -> [[UInt8]] {
        guard length > 0, length <= datagram.count else { return [] }
        let first = datagram[0]
        switch first {
        case 0...3:
            return self.receiveSTUN(datagram.span.extracting(0..<length), now: now)
        case 20...63:
            guard self.state == .handshaking || self.state == .connected else { return [] }
            let result = self.dtls.receive(datagram: datagram.span.extracting(0..<length))
            self.handle(events: result.events, now: now)
            self.armDTLSTimer(now: now)
            return result.datagrams
        case 128...191:
            guard self.state == .connected, length >= 2 else { return [] }
            let secondByte = datagram[1]
            if (192...223).contains(secondByte) {
                self.receiveRTCP(&datagram, length: length)
            } else {
                self.receiveRTP(&datagram, length: length, now: now, latencySink: latencySink)
            }
            return []
        default:
            return []
        }
    }

    private func receiveSTUN(_ bytes: Span<UInt8>, now: UInt64) -> [[UInt8]] {
        guard let message = try? STUNMessage(parsing: bytes),
            message.type == .bindingSuccessResponse,
            let index = self.outstanding.firstIndex(of: message.transactionID),
            self.authenticator.isAuthentic(message, in: bytes, password: self.answer.remotePassword)
        else { return [] }
        self.outstanding.remove(at: index)
        switch self.state {
        case .checking:
            // Nominated (USE-CANDIDATE was on the request): start DTLS as the client.
            self.state = .handshaking
            self.stateDeadline = now &+ Self.connectTimeout
            let output = self.dtls.start()
            self.handle(events: output.events, now: now)
            self.armDTLSTimer(now: now)
            return output.datagrams
        case .connected:
            self.consentChecksAnswered += 1
            return []
        default:
            return []
        }
    }

    private func receiveRTP(
        _ datagram: inout MutableSpan<UInt8>,
        length: Int,
        now: UInt64,
        latencySink: (UInt64) -> Void
    ) {
        guard let inbound = self.inbound,
            let encrypted = try? RTPHeader(parsing: datagram.span.extracting(0..<length))
        else {
            self.unprotectFailures += 1
            return
        }
        let ssrc = encrypted.ssrc
        let clearLength: Int
        do {
            clearLength = try inbound.unprotectRTP(&datagram, length: length)
        } catch {
            if error.code == .replayFail || error.code == .replayOld {
                self.streams[ssrc, default: ReceiveStreamStatistics(clockRate: 48_000)].recordDuplicate()
            } else {
                self.unprotectFailures += 1
            }
            return
        }
        guard let header = try? RTPHeader(parsing: datagram.span.extracting(0..<clearLength)) else {
            self.unprotectFailures += 1
            return
        }
        var latency: UInt64?
        if let id = self.answer.absSendTimeID,
            let element = header.extensionElement(id: id, in: datagram.span.extracting(0..<clearLength)),
            let sendTime = try? RTPAbsSendTime(
                parsing: datagram.span.extracting(0..<clearLength).extracting(element.valueRange)
            )
        {
            latency = Self.oneWayLatencyMicroseconds(sent: sendTime, received: now)
            if let latency {
                latencySink(latency)
            }
        }
        self.streams[ssrc, default: ReceiveStreamStatistics(clockRate: 48_000)].record(
            sequence: header.sequenceNumber,
            timestamp: header.timestamp,
            arrival: now,
            bytes: clearLength,
            latencyMicroseconds: latency
        )
        if self.firstMediaAt == nil {
            self.firstMediaAt = now
        }
        if let mixCheck = self.mixCheck {
            mixCheck.add(payload: datagram.span.extracting(0..<clearLength).extracting(header.payloadRange))
        }
    }

    /// The one-way latency of a packet sent at `sent` (abs-send-time of this process's monotonic
    /// clock) and received at `received` (the same clock): the difference modulo the 64 s wrap,
    /// in microseconds; nil when it is negative by more than rounding (a corrupted value).
    static func oneWayLatencyMicroseconds(sent: RTPAbsSendTime, received: UInt64) -> UInt64? {
        let wrap: UInt64 = 64_000_000_000
        let receivedInWrap = received % wrap
        let sentInWrap = sent.nanoseconds % wrap
        let difference = receivedInWrap >= sentInWrap ? receivedInWrap - sentInWrap : receivedInWrap + wrap - sentInWrap
        // abs-send-time rounds to 3.8 us: a packet received within that of its send time may
        // appear to arrive before it; anything above half the wrap is such a rounding, or garbage.
        if difference > wrap / 2 {
            return wrap - difference <= 4_000 ? 0 : nil
        }
        return difference / 1000
    }

    private func receiveRTCP(_ datagram: inout MutableSpan<UInt8>, length: Int) {
        guard let inbound = self.inbound, (try? inbound.unprotectRTCP(&datagram, length: length)) != nil else {
            self.unprotectFailures += 1
            return
        }
        self.rtcpReceived += 1
    }

    // MARK: - Connection

    private func bindingRequest() -> [UInt8]? {
        self.transactionCounter += 1
        let id = STUNTransactionID(
            high: UInt32(truncatingIfNeeded: self.plan.number),
            low: self.transactionCounter ^ (UInt64(self.plan.ssrc) << 32)
        )
        var bytes: [UInt8] = []
        do {
            let writer = try STUNMessageWriter.bindingRequest(
                transactionID: id,
                username: "\(self.answer.remoteUfrag):\(self.plan.iceUfrag)",
                priority: 0x6E00_01FF,
                role: .controlling(tieBreaker: UInt64(self.plan.ssrc) << 32 | UInt64(self.plan.number & 0xFFFF_FFFF)),
                useCandidate: true,
                appendingTo: &bytes
            )
            try self.authenticator.appendIntegrityAndFingerprint(
                to: &bytes,
                writer: writer,
                password: self.answer.remotePassword
            )
        } catch {
            return nil
        }
        self.outstanding.append(id)
        if self.outstanding.count > 16 {
            self.outstanding.removeFirst()
        }
        return bytes
    }

    private func armDTLSTimer(now: UInt64) {
        guard let timeout = self.dtls.nextTimeout else {
            self.dtlsTimer = nil
            return
        }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = UInt64(max(seconds, 0)) &* 1_000_000_000 &+ UInt64(max(attoseconds, 0) / 1_000_000_000)
        self.dtlsTimer = now &+ max(nanoseconds, 1_000_000)
    }

    private func handle(events: [DTLSEndpoint.Event], now: UInt64) {
        for event in events {
            switch event {
            case .handshakeCompleted(let keys):
                do {
                    self.inbound = try SRTPSession(direction: .inbound, keyingMaterial: keys.remote)
                    self.outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
                } catch {
                    self.fail(.srtp)
                    return
                }
                self.state = .connected
                self.connectedAt = now
                self.nextCheck = now &+ Self.consentInterval
                // Spread the participants' sends over the 20 ms period, so that a thousand of
                // them do not all fire at once (a Fibonacci-hash phase of the number).
                let phase = (UInt64(truncatingIfNeeded: self.plan.number) &* 0x9E37_79B9) % Self.framePeriod
                if self.plan.sends {
                    self.pacing = PacingSchedule(start: now &+ phase, period: Self.framePeriod)
                }
            case .failed:
                self.fail(.dtlsFailed)
            case .closed:
                if self.state == .connected {
                    self.fail(.dtlsClosed)
                }
            }
        }
    }

    private func fail(_ cause: FailureCause) {
        guard self.isActive else { return }
        self.state = .failed
        self.failure = cause
        self.pacing = nil
    }

    /// Leaves: sends DTLS close_notify if connected (returned) and stops everything.
    func close() -> [[UInt8]] {
        guard self.isActive else { return [] }
        let output = self.dtls.close()
        self.state = .closed
        self.pacing = nil
        return output.datagrams
    }

    /// Everything measured, as a report.
    func report(leftAt: UInt64?) -> ParticipantReport {
        ParticipantReport(
            number: self.plan.number,
            room: self.plan.room,
            identity: self.plan.identity,
            isTalker: self.plan.isTalker,
            state: self.state.rawValue,
            failure: self.failure,
            joinMilliseconds: self.firstMediaAt.map { Double($0 &- self.plan.joinStartedAt) / 1_000_000 },
            connectMilliseconds: self.connectedAt.map { Double($0 &- self.startedAt) / 1_000_000 },
            sent: self.sendStatistics,
            streams: self.streams.sorted { $0.key < $1.key }.map { StreamReport(ssrc: $0.key, statistics: $0.value) },
            rtcpReceived: self.rtcpReceived,
            unprotectFailures: self.unprotectFailures,
            mixCheck: self.mixCheck?.report
        )
    }
}

@available(*, unavailable)
extension SimulatedParticipant: Sendable {}
