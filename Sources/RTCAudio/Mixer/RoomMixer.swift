public import RTCWire

/// Mixes one room's audio every 20 ms: picks the N loudest streams as speakers, sums them in a wide
/// type, limits, and encodes one mix-minus per speaker plus one shared full mix for everyone else
/// and the recorder. A room costs N + 1 encodes per tick whatever its size.
///
/// Sans-I/O and clock-free: the room's relay worker calls
/// ``receive(_:payload:sequenceNumber:timestamp:arrivalNanoseconds:audioLevel:)`` for each inbound
/// RTP packet (after SRTP and header parsing), ``tick()`` every 20 ms from its own timer, then sends
/// each participant the payload of ``stream(for:)`` and drains ``drainSpeakerEvents(_:)`` for the
/// control plane. The relay packetizes (RTP sequence numbers and timestamps per receiver).
///
/// Each tick:
/// 1. every participant's jitter buffer advances one frame. A stream whose packet carries an RFC
///    6464 level is measured by it, without decoding; a stream without levels is decoded to measure
///    its energy;
/// 2. levels are smoothed and the ``SpeakerSelector`` picks up to N speakers with hysteresis
///    (changes become ``SpeakerEvent``s);
/// 3. speakers not yet decoded this tick are decoded (non-speakers with levels never are);
/// 4. the speakers' PCM is summed in Int32; each speaker's mix-minus (the sum without it) and the
///    full mix go through their own ``Limiter`` and Opus encoder.
///
/// In ``MixingMode/both`` only the full mix is encoded; in ``MixingMode/forwarded`` nothing is
/// decoded beyond level measurement and nothing is encoded.
///
/// ## Allocation
/// `init` allocates the N + 1 encoders, their PCM and payload buffers (1275 bytes each), the sum
/// buffers and the participant tables for ``Configuration/maximumParticipants``;
/// ``addParticipant()`` allocates that participant's jitter buffer, decoder and PCM frame. ``tick()``,
/// ``receive(_:payload:sequenceNumber:timestamp:arrivalNanoseconds:audioLevel:)``, ``stream(for:)``,
/// ``withPayload(of:_:)`` and ``drainSpeakerEvents(_:)`` allocate nothing.
///
/// A mixer belongs to the worker that owns its room: it is not thread-safe.
public final class RoomMixer {
    /// The sizes and settings, as clamped at creation.
    public let configuration: Configuration

    /// Forwarded, mixed or both; the relay reads it to decide what to send, and may change it
    /// between ticks.
    public var mode: MixingMode

    /// Work counters.
    public private(set) var statistics = Statistics()

    private var inputs: [MixerInput?]
    private var generations: [UInt32]
    private var freeIndices: [Int]
    private var activeIndices: [Int]
    private var activePosition: [Int]
    private var levels: [Float]
    private var selector: SpeakerSelector
    private let channels: [MixChannel]
    private var sum: [Int32]
    private var scratch: [Int32]
    private var events: [SpeakerEvent]
    private let eventLimit: Int

    /// The number of speaker slots (N).
    public var speakerSlots: Int {
        self.selector.configuration.speakerCount
    }

    /// Participants in the room.
    public var participantCount: Int {
        self.activeIndices.count
    }

    /// Creates a mixer and allocates everything its ticks need.
    ///
    /// - Throws: ``OpusError`` when libopus refuses the encoder configuration (stereo is refused
    ///   as ``OpusError/Code/badArgument``: the mixer works in mono).
    public init(configuration: Configuration = Configuration()) throws(OpusError) {
        var configuration = configuration
        configuration.maximumParticipants = min(max(configuration.maximumParticipants, 1), 100_000)
        guard configuration.encoder.channels == 1 else {
            throw OpusError(code: .badArgument, operation: "RoomMixer.init", message: "the mixer encodes mono")
        }
        let selector = SpeakerSelector(
            configuration: configuration.selection,
            capacity: configuration.maximumParticipants
        )
        configuration.selection = selector.configuration
        self.configuration = configuration
        self.mode = configuration.mode
        self.selector = selector
        let capacity = configuration.maximumParticipants
        self.inputs = [MixerInput?](repeating: nil, count: capacity)
        self.generations = [UInt32](repeating: 0, count: capacity)
        // Hand out low indices first: pop from the end of a descending stack.
        self.freeIndices = Array((0..<capacity).reversed())
        self.activeIndices = []
        self.activeIndices.reserveCapacity(capacity)
        self.activePosition = [Int](repeating: -1, count: capacity)
        self.levels = [Float](repeating: -127, count: capacity)
        var channels: [MixChannel] = []
        for _ in 0...selector.configuration.speakerCount {
            channels.append(try MixChannel(encoder: configuration.encoder, limiter: configuration.limiter))
        }
        self.channels = channels
        self.sum = [Int32](repeating: 0, count: Opus.samplesPer20ms)
        self.scratch = [Int32](repeating: 0, count: Opus.samplesPer20ms)
        self.eventLimit = 8 * selector.configuration.speakerCount + 64
        self.events = []
        self.events.reserveCapacity(self.eventLimit)
    }

    // MARK: - Participants

    /// Adds a participant (its jitter buffer and decoder are allocated here).
    ///
    /// - Returns: its handle, or nil when the room already holds
    ///   ``Configuration/maximumParticipants``.
    /// - Throws: ``OpusError`` if libopus cannot create its decoder.
    public func addParticipant() throws(OpusError) -> Participant? {
        guard let index = self.freeIndices.last else { return nil }
        let input = try MixerInput(
            jitterBuffer: self.configuration.jitterBuffer,
            smoothing: self.configuration.smoothing
        )
        self.freeIndices.removeLast()
        self.inputs[index] = input
        self.levels[index] = -127
        self.activePosition[index] = self.activeIndices.count
        self.activeIndices.append(index)
        return Participant(index: index, generation: self.generations[index])
    }

    /// Removes a participant; if it was a speaker, a stop event is queued. Stale or unknown handles
    /// are ignored.
    public func removeParticipant(_ participant: Participant) {
        guard self.isCurrent(participant) else { return }
        let index = participant.index
        self.selector.remove(index)
        self.collectSpeakerChanges()
        self.inputs[index] = nil
        self.levels[index] = -127
        self.generations[index] &+= 1
        // Swap-remove from the active list.
        let position = self.activePosition[index]
        let last = self.activeIndices.removeLast()
        if last != index {
            self.activeIndices[position] = last
            self.activePosition[last] = position
        }
        self.activePosition[index] = -1
        self.freeIndices.append(index)
    }

    private func isCurrent(_ participant: Participant) -> Bool {
        participant.index >= 0 && participant.index < self.inputs.count
            && self.inputs[participant.index] != nil
            && self.generations[participant.index] == participant.generation
    }

    /// Gives a participant's received packet to its jitter buffer (see
    /// ``JitterBuffer/insert(_:sequenceNumber:timestamp:arrivalNanoseconds:audioLevel:)``).
    ///
    /// - Returns: what the jitter buffer did with it, or nil for a stale or unknown handle.
    @discardableResult
    public func receive(
        _ participant: Participant,
        payload: Span<UInt8>,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        arrivalNanoseconds: UInt64,
        audioLevel: RTPAudioLevel?
    ) -> JitterBuffer.InsertResult? {
        guard self.isCurrent(participant), let input = self.inputs[participant.index] else { return nil }
        return input.jitterBuffer.insert(
            payload,
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            arrivalNanoseconds: arrivalNanoseconds,
            audioLevel: audioLevel
        )
    }

    /// A participant's jitter buffer statistics, or nil for a stale or unknown handle.
    public func jitterStatistics(of participant: Participant) -> JitterBuffer.Statistics? {
        guard self.isCurrent(participant), let input = self.inputs[participant.index] else { return nil }
        return input.jitterBuffer.statistics
    }

    /// A participant's smoothed level (dBov, -127 silence), or nil for a stale or unknown handle.
    public func level(of participant: Participant) -> Float? {
        guard self.isCurrent(participant) else { return nil }
        return self.levels[participant.index]
    }

    // MARK: - Tick

    /// Runs one 20 ms mixing step (see the type's documentation). Allocates nothing.
    public func tick() {
        self.statistics.ticks &+= 1
        var decodes = 0
        var encodes = 0

        // 1. Advance every stream and measure its level.
        for position in 0..<self.activeIndices.count {
            let index = self.activeIndices[position]
            guard let input = self.inputs[index] else { continue }
            let frame = input.advance()
            var measured: UInt8?
            switch frame.kind {
            case .idle, .silence:
                measured = AudioLevel.silence
            case .packet:
                if let level = frame.audioLevel {
                    input.carriesLevels = true
                    measured = level.level
                } else {
                    input.carriesLevels = false
                    if input.decode() { decodes += 1 }
                    measured = AudioLevel.level(of: input.pcm.span)
                }
            case .recovered, .concealed:
                // A stream with levels keeps its last one through a lost frame; one without is
                // decoded anyway (it must be, every tick, to be measured).
                if !input.carriesLevels {
                    if input.decode() { decodes += 1 }
                    measured = AudioLevel.level(of: input.pcm.span)
                }
            }
            if let measured {
                input.lastLevel = measured
            }
            self.levels[index] = input.smoother.update(level: input.lastLevel)
        }

        // 2. Choose the speakers.
        let levels = self.levels
        self.selector.update(levels: levels.span)
        self.collectSpeakerChanges()

        defer {
            self.statistics.decodes &+= UInt64(decodes)
            self.statistics.encodes &+= UInt64(encodes)
            self.statistics.lastTickDecodes = decodes
            self.statistics.lastTickEncodes = encodes
        }
        guard self.mode != .forwarded else {
            for channel in self.channels {
                channel.payloadLength = 0
            }
            return
        }

        // 3. Decode the speakers and sum them.
        self.sum.withMutableSpan { sum in
            for sample in sum.indices {
                sum[sample] = 0
            }
        }
        let slots = self.selector.configuration.speakerCount
        for slot in 0..<slots {
            guard let index = self.selector.speaker(inSlot: slot), let input = self.inputs[index] else { continue }
            if input.decode() { decodes += 1 }
            let pcm = input.pcm
            self.sum.withMutableSpan { sum in
                // Int32 holds the sum of 65 536 full-scale inputs: no overflow for 64 speakers.
                for sample in 0..<min(sum.count, pcm.count) {
                    sum[sample] &+= Int32(pcm[sample])
                }
            }
        }

        // 4. One mix-minus per speaker (mixed mode), then the full mix.
        if self.mode == .mixed {
            for slot in 0..<slots {
                let channel = self.channels[slot]
                guard let index = self.selector.speaker(inSlot: slot), let input = self.inputs[index] else {
                    channel.payloadLength = 0
                    continue
                }
                let pcm = input.pcm
                let sum = self.sum
                self.scratch.withMutableSpan { scratch in
                    for sample in 0..<min(scratch.count, pcm.count) {
                        scratch[sample] = sum[sample] &- Int32(pcm[sample])
                    }
                }
                encodes += 1
                if !channel.encode(self.scratch.span) {
                    self.statistics.encodeFailures &+= 1
                }
            }
        } else {
            for slot in 0..<slots {
                self.channels[slot].payloadLength = 0
            }
        }
        encodes += 1
        if !self.channels[slots].encode(self.sum.span) {
            self.statistics.encodeFailures &+= 1
        }
    }

    /// Turns the selector's changes into events with participant handles; a speaker slot that
    /// changed hands restarts its encoder.
    private func collectSpeakerChanges() {
        for change in self.selector.changes {
            if change.started {
                self.channels[change.slot].reset()
            }
            let event = SpeakerEvent(
                participant: Participant(index: change.index, generation: self.generations[change.index]),
                slot: change.slot,
                started: change.started
            )
            if self.events.count < self.eventLimit {
                self.events.append(event)
            } else {
                self.statistics.droppedSpeakerEvents &+= 1
            }
        }
        self.selector.removeAllChanges()
    }

    // MARK: - Output

    /// The current speakers, by slot (nil for a free slot).
    public func speaker(inSlot slot: Int) -> Participant? {
        guard let index = self.selector.speaker(inSlot: slot) else { return nil }
        return Participant(index: index, generation: self.generations[index])
    }

    /// Whether a participant is one of the current speakers.
    public func isSpeaker(_ participant: Participant) -> Bool {
        self.isCurrent(participant) && self.selector.slot(of: participant.index) != nil
    }

    /// The stream a participant should receive after the last tick: its mix-minus if it is a
    /// speaker, else the full mix. Nil for a stale handle, and in ``MixingMode/forwarded`` and
    /// ``MixingMode/both`` (clients get forwarded streams there).
    public func stream(for participant: Participant) -> MixedStream? {
        guard self.mode == .mixed, self.isCurrent(participant) else { return nil }
        if let slot = self.selector.slot(of: participant.index) {
            return .mixMinus(slot: slot)
        }
        return .fullMix
    }

    /// Calls `body` with the last tick's encoded payload of `stream` (one Opus packet, 20 ms).
    ///
    /// The span is empty when that stream was not encoded in the last tick (a free speaker slot,
    /// mix-minus outside ``MixingMode/mixed``, anything in ``MixingMode/forwarded``, an encoder
    /// failure, or an out-of-range slot). The recorder takes ``MixedStream/fullMix``.
    public func withPayload<Result>(of stream: MixedStream, _ body: (Span<UInt8>) -> Result) -> Result {
        let channel: MixChannel?
        switch stream {
        case .fullMix:
            channel = self.channels[self.channels.count - 1]
        case .mixMinus(let slot):
            channel = slot >= 0 && slot < self.channels.count - 1 ? self.channels[slot] : nil
        }
        guard let channel else {
            let empty: [UInt8] = []
            return body(empty.span)
        }
        let payload = channel.payload
        return body(payload.span.extracting(0..<channel.payloadLength))
    }

    /// The RFC 6464 level (-dBov, 127 silence) of the last tick's encoded frame of `stream`,
    /// measured on the limited PCM: what a relay writes in the audio-level header extension of
    /// the packet it sends. Silence for a stream not encoded in the last tick or an out-of-range
    /// slot.
    public func audioLevel(of stream: MixedStream) -> UInt8 {
        switch stream {
        case .fullMix:
            let channel = self.channels[self.channels.count - 1]
            return channel.payloadLength > 0 ? channel.level : AudioLevel.silence
        case .mixMinus(let slot):
            guard slot >= 0 && slot < self.channels.count - 1, self.channels[slot].payloadLength > 0 else {
                return AudioLevel.silence
            }
            return self.channels[slot].level
        }
    }

    /// The lookahead, in 48 kHz samples, of the full mix's encoder (``OpusEncoder/lookahead``):
    /// the pre-skip a recording of ``MixedStream/fullMix`` declares in its OpusHead.
    public var fullMixLookahead: Int {
        self.channels[self.channels.count - 1].encoder.lookahead
    }

    /// Hands every pending speaker event to `body`, oldest first, and forgets them. Call after
    /// each tick; at most `8 * speakerCount + 64` wait, further ones are dropped and counted in
    /// ``Statistics/droppedSpeakerEvents`` (``speaker(inSlot:)`` always tells the current set).
    public func drainSpeakerEvents(_ body: (SpeakerEvent) -> Void) {
        for event in self.events {
            body(event)
        }
        self.events.removeAll(keepingCapacity: true)
    }
}

@available(*, unavailable)
extension RoomMixer: Sendable {}
