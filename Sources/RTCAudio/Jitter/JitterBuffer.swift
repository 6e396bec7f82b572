public import RTCWire

/// A jitter buffer for one inbound Opus stream (48 kHz, 20 ms per packet): it reorders packets,
/// absorbs network jitter with an adaptive depth, and hands out exactly one 20 ms frame per tick,
/// decoded, rebuilt from FEC, concealed, or silent.
///
/// The buffer is sans-I/O and clock-free: the relay worker inserts packets with the arrival time it
/// read from its own clock, and calls ``advance()`` once per 20 ms mixer tick, then
/// ``decode(into:)`` for the frames it wants as PCM. Splitting the two lets the mixer choose its
/// speakers from RFC 6464 levels first and decode only them.
///
/// ## Playout
/// - Frames play in sequence-number order. A frame whose packet has not arrived when its turn
///   comes while a later one has is lost: it is rebuilt from the next packet's in-band FEC when that
///   packet is here and carries FEC, otherwise concealed by the decoder. A packet that arrives after
///   its turn is late and dropped.
/// - When nothing at all is buffered (an underrun), the buffer holds its place: it plays
///   concealment (then silence, past ``Configuration/concealmentLimit``) without moving on, so a
///   packet that is merely late plays when it comes. Each underrun deepens the buffer by 20 ms.
/// - DTX: a packet whose sequence number follows the last but whose timestamp jumps ends a pause.
///   The pause plays as silence (no concealment, no decoding), shortened when the buffer is deeper
///   than its target, lengthened by up to the target when it is shallower.
/// - The target depth is 20 ms plus ``Configuration/jitterMultiplier`` times the RFC 3550
///   interarrival jitter, at most ``Configuration/maximumDepthFrames``. When the depth stayed above
///   the target for a whole ``Configuration/shrinkWindowTicks`` window, one frame is dropped, a quiet
///   one (RFC 6464 level, or a DTX-sized payload) if one comes within the next window.
///
/// ## Bounded
/// Storage is a ring of `maximumDepthFrames + 4` slots of `maximumPayloadSize` bytes, allocated in
/// `init`; nothing is allocated per packet or per tick. Packets more than the ring ahead of the
/// playout point are dropped and counted; a run of
/// ``Configuration/resynchronizationThreshold`` consecutive ones means the sender restarted its
/// sequence numbers, and the buffer starts over from them.
///
/// ## Untrusted payloads
/// An empty payload is one lost 20 ms frame. A payload libopus rejects (`OPUS_INVALID_PACKET`), one
/// that is not 20 ms of Opus, or one larger than ``Configuration/maximumPayloadSize`` is counted in
/// ``Statistics/invalid`` and concealed. Nothing traps.
///
/// A buffer belongs to the worker that owns its stream: it is not thread-safe.
public final class JitterBuffer {
    /// A stored packet's description. `sequence` is the unwrapped sequence number.
    private struct Slot {
        enum Content: UInt8 {
            case free
            case audio
            case empty
            case invalid
        }

        var content: Content = .free
        var sequence: Int64 = 0
        var timestamp: UInt32 = 0
        var length: Int = 0
        var level: UInt8 = 0
        var hasLevel = false
        var voiceActivity = false
        var hasFEC = false
    }

    /// What ``advance()`` chose and ``decode(into:)`` will produce.
    private enum Current {
        case none
        case idle
        case silence
        case conceal
        case packet(slot: Int)
        case fec(slot: Int)
    }

    /// The configuration, with its values clamped to the ranges documented there.
    public let configuration: Configuration

    /// The counters since creation.
    public private(set) var statistics = Statistics()

    private let decoder: OpusDecoder
    private let capacity: Int
    private let slotSize: Int
    private var storage: [UInt8]
    private var slots: [Slot]

    // Playout state. `lastSequence` is the unwrapped sequence number of the last frame consumed
    // (played, concealed or skipped); the next frame to play is `lastSequence + 1`.
    private var hasBase = false
    private var playing = false
    private var lastSequence: Int64 = 0
    private var lastTimestamp: UInt32 = 0
    private var newestSequence: Int64 = 0
    // Bit i set: sequence number `lastSequence - i` was received (tells duplicates from late ones).
    private var receivedHistory: UInt64 = 0
    // Frames output since the last consumed one while there was nothing to play.
    private var fillers = 0
    // Ticks the head packet (after a DTX pause) has been held to rebuild depth.
    private var headHeld = 0
    private var concealStreak = 0
    private var lastOutputWasAudio = false
    private var current = Current.none
    private var currentRendered = true
    // False once a frame that needed the decoder was not given to it: the next packet resets the
    // decoder, and concealment until then is silence (there is nothing valid to extend).
    private var decoderInSync = true

    // RFC 3550 interarrival jitter, scaled by 16 as in its appendix A.8.
    private var jitterQ4: Int64 = 0
    private var hasPreviousArrival = false
    private var previousArrival: UInt64 = 0
    private var previousTimestamp: UInt32 = 0

    // Shrinking.
    private var windowTicks = 0
    private var windowMinimum = Int.max
    private var shrinkPending = false
    private var shrinkPendingTicks = 0

    // Resynchronisation.
    private var outOfWindowRun = 0
    private var lastOutOfWindow: UInt16 = 0

    /// The bytes of payload storage, fixed at creation: `(maximumDepthFrames + 4) *
    /// maximumPayloadSize`. Nothing a sender does changes it.
    public var storageBytes: Int {
        self.storage.count
    }

    /// Creates a buffer and its mono Opus decoder, and allocates all its storage.
    ///
    /// - Throws: ``OpusError`` if libopus cannot create the decoder.
    public init(configuration: Configuration = Configuration()) throws(OpusError) {
        var configuration = configuration
        configuration.maximumDepthFrames = min(max(configuration.maximumDepthFrames, 1), 250)
        configuration.maximumPayloadSize = min(max(configuration.maximumPayloadSize, 1), 65_536)
        configuration.concealmentLimit = max(configuration.concealmentLimit, 0)
        configuration.shrinkWindowTicks = max(configuration.shrinkWindowTicks, 1)
        configuration.resynchronizationThreshold = max(configuration.resynchronizationThreshold, 1)
        configuration.jitterMultiplier = min(max(configuration.jitterMultiplier, 0), 16)
        self.configuration = configuration
        self.decoder = try OpusDecoder(channels: 1)
        // Four spare slots: room for a burst to land before the depth cap trims it, and the slot
        // being decoded is never the one a new packet is written to (see `insert`).
        self.capacity = configuration.maximumDepthFrames + 4
        self.slotSize = configuration.maximumPayloadSize
        self.storage = [UInt8](repeating: 0, count: self.capacity * self.slotSize)
        self.slots = [Slot](repeating: Slot(), count: self.capacity)
    }

    /// The ring slot of an unwrapped sequence number (non-negative modulo).
    private func slotIndex(_ sequence: Int64) -> Int {
        let remainder = Int(sequence % Int64(self.capacity))
        return remainder < 0 ? remainder + self.capacity : remainder
    }

    // MARK: - Insert

    /// Stores one received packet's Opus payload (copied into preallocated storage).
    ///
    /// - Parameters:
    ///   - payload: the RTP payload (untrusted). Empty means one lost 20 ms frame.
    ///   - sequenceNumber: the RTP sequence number; wraps 65535 -> 0.
    ///   - timestamp: the RTP timestamp (48 kHz); wraps.
    ///   - arrivalNanoseconds: when the packet arrived, on the caller's monotonic clock.
    ///   - audioLevel: the RFC 6464 level from the packet's header extension, if it had one.
    /// - Returns: whether it was stored, and why not.
    @discardableResult
    public func insert(
        _ payload: Span<UInt8>,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        arrivalNanoseconds: UInt64,
        audioLevel: RTPAudioLevel? = nil
    ) -> InsertResult {
        self.statistics.received &+= 1
        if !self.hasBase {
            self.establishBase(sequenceNumber: sequenceNumber, timestamp: timestamp)
        }
        let step = RTPSequenceNumber.distance(
            from: UInt16(truncatingIfNeeded: self.lastSequence),
            to: sequenceNumber
        )
        let sequence = self.lastSequence &+ Int64(step)
        var result = InsertResult.stored
        if step <= 0 {
            if !self.playing && self.newestSequence - sequence < Int64(self.capacity - 1) {
                // Not playing yet: an earlier packet (reordered at the very start) moves the start
                // back instead of being late.
                self.lastSequence = sequence - 1
                self.lastTimestamp = timestamp &- UInt32(Opus.samplesPer20ms)
            } else if step > -4 * self.capacity {
                self.outOfWindowRun = 0
                let back = -step
                if back < 64 && (self.receivedHistory >> UInt64(back)) & 1 == 1 {
                    self.statistics.duplicates &+= 1
                    return .duplicate
                }
                self.statistics.late &+= 1
                return .late
            } else {
                // Far behind: either very late or a sender that restarted lower.
                if self.noteOutOfWindow(sequenceNumber) {
                    self.resynchronize(sequenceNumber: sequenceNumber, timestamp: timestamp)
                    result = .resynchronized
                } else {
                    self.statistics.late &+= 1
                    return .late
                }
            }
        } else if step >= self.capacity {
            if self.noteOutOfWindow(sequenceNumber) {
                self.resynchronize(sequenceNumber: sequenceNumber, timestamp: timestamp)
                result = .resynchronized
            } else {
                self.statistics.tooFarAhead &+= 1
                return .tooFarAhead
            }
        } else {
            self.outOfWindowRun = 0
        }
        // Recompute after a possible resynchronisation.
        let stored =
            self.lastSequence
            &+ Int64(
                RTPSequenceNumber.distance(from: UInt16(truncatingIfNeeded: self.lastSequence), to: sequenceNumber)
            )
        let index = self.slotIndex(stored)
        if self.slots[index].content != .free && self.slots[index].sequence == stored {
            self.statistics.duplicates &+= 1
            return .duplicate
        }
        self.store(payload, at: index, sequence: stored, timestamp: timestamp, audioLevel: audioLevel)
        if stored > self.newestSequence {
            self.newestSequence = stored
        }
        self.updateJitter(arrivalNanoseconds: arrivalNanoseconds, timestamp: timestamp)
        return result
    }

    /// Stores a payload given as an array (tests and tools).
    @discardableResult
    public func insert(
        _ payload: [UInt8],
        sequenceNumber: UInt16,
        timestamp: UInt32,
        arrivalNanoseconds: UInt64,
        audioLevel: RTPAudioLevel? = nil
    ) -> InsertResult {
        self.insert(
            payload.span,
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            arrivalNanoseconds: arrivalNanoseconds,
            audioLevel: audioLevel
        )
    }

    private func establishBase(sequenceNumber: UInt16, timestamp: UInt32) {
        self.hasBase = true
        self.playing = false
        self.lastSequence = Int64(sequenceNumber) - 1
        self.newestSequence = self.lastSequence
        self.lastTimestamp = timestamp &- UInt32(Opus.samplesPer20ms)
        self.receivedHistory = 0
        self.fillers = 0
        self.headHeld = 0
        self.concealStreak = 0
        self.outOfWindowRun = 0
    }

    /// Counts an out-of-window packet; true when enough consecutive ones call for starting over.
    private func noteOutOfWindow(_ sequenceNumber: UInt16) -> Bool {
        if self.outOfWindowRun > 0 && sequenceNumber == self.lastOutOfWindow &+ 1 {
            self.outOfWindowRun += 1
        } else {
            self.outOfWindowRun = 1
        }
        self.lastOutOfWindow = sequenceNumber
        return self.outOfWindowRun >= self.configuration.resynchronizationThreshold
    }

    private func resynchronize(sequenceNumber: UInt16, timestamp: UInt32) {
        self.statistics.resynchronizations &+= 1
        for index in 0..<self.capacity {
            self.slots[index].content = .free
        }
        self.hasPreviousArrival = false
        self.establishBase(sequenceNumber: sequenceNumber, timestamp: timestamp)
    }

    private func store(
        _ payload: Span<UInt8>,
        at index: Int,
        sequence: Int64,
        timestamp: UInt32,
        audioLevel: RTPAudioLevel?
    ) {
        var slot = Slot()
        slot.sequence = sequence
        slot.timestamp = timestamp
        if let audioLevel {
            slot.hasLevel = true
            slot.level = audioLevel.level
            slot.voiceActivity = audioLevel.voiceActivity
        }
        if payload.isEmpty {
            slot.content = .empty
        } else if payload.count > self.slotSize
            || (try? Opus.sampleCount(ofPacket: payload)) != Opus.samplesPer20ms
        {
            // Too large to store, malformed framing, or not 20 ms: played as concealment.
            slot.content = .invalid
            self.statistics.invalid &+= 1
        } else {
            slot.content = .audio
            slot.length = payload.count
            slot.hasFEC = OpusPacketInspector.hasLBRR(payload)
            let offset = index * self.slotSize
            self.storage.withUnsafeMutableBufferPointer { destination in
                payload.withUnsafeBufferPointer { source in
                    // The length was checked against the slot size above and the slot lies inside
                    // `storage` (capacity * slotSize bytes), so the copy stays in bounds.
                    guard let target = destination.baseAddress, let bytes = source.baseAddress else { return }
                    (target + offset).update(from: bytes, count: source.count)
                }
            }
        }
        self.slots[index] = slot
    }

    /// RFC 3550 section 6.4.1: J += (|D| - J) / 16, with D the difference of relative transit times.
    private func updateJitter(arrivalNanoseconds: UInt64, timestamp: UInt32) {
        defer {
            self.hasPreviousArrival = true
            self.previousArrival = arrivalNanoseconds
            self.previousTimestamp = timestamp
        }
        guard self.hasPreviousArrival else { return }
        // The caller's clock is monotonic, but nothing traps if it is not: clamp to +-10 s.
        let elapsed = max(
            min(Int64(bitPattern: arrivalNanoseconds &- self.previousArrival), 10_000_000_000),
            -10_000_000_000
        )
        let elapsedTicks = elapsed * 48 / 1_000_000
        let sent = RTPTimestamp.distance(from: self.previousTimestamp, to: timestamp)
        // One wild timestamp must not ruin the estimate for seconds: cap |D| at one second.
        let difference = min(abs(elapsedTicks &- sent), 48_000)
        self.jitterQ4 += difference - ((self.jitterQ4 + 8) >> 4)
        self.statistics.jitter = Int(self.jitterQ4 >> 4)
    }

    // MARK: - Playout

    /// Chooses the frame for this tick and moves the playout point; call once per 20 ms tick, then
    /// ``decode(into:)`` if the frame is wanted as PCM.
    ///
    /// The frame chosen by the previous call is released: a caller that did not decode it simply
    /// skipped it (the next decoded packet starts the decoder afresh).
    public func advance() -> Frame {
        if !self.currentRendered && self.needsDecoder(self.current) {
            self.decoderInSync = false
        }
        self.currentRendered = false
        self.updateTarget()
        guard self.hasBase else {
            self.current = .idle
            return Frame(kind: .idle)
        }
        var depth = Int(self.newestSequence - self.lastSequence)
        if !self.playing {
            guard depth >= self.statistics.targetDepthFrames else {
                self.current = .idle
                return Frame(kind: .idle)
            }
            self.playing = true
        }
        // Beyond the maximum depth, the oldest frames go (a burst after a long stall).
        while depth > self.configuration.maximumDepthFrames {
            self.consume(received: false)
            self.statistics.discarded &+= 1
            depth -= 1
        }
        self.statistics.depthFrames = depth
        self.statistics.maximumDepthFramesSeen = max(self.statistics.maximumDepthFramesSeen, depth)
        self.observeDepth(depth)
        // Each pass consumes one frame or returns; the depth bounds the passes.
        for _ in 0...self.capacity {
            guard depth > 0 else {
                return self.underrun()
            }
            let next = self.lastSequence + 1
            let index = self.slotIndex(next)
            let slot = self.slots[index]
            guard slot.content != .free && slot.sequence == next else {
                if self.fillers > 0 {
                    // An underrun already filled this frame's time: it is lost, with nothing more
                    // to play for it.
                    let remaining = self.fillers - 1
                    self.statistics.lost &+= 1
                    self.consume(received: false)
                    self.fillers = remaining
                    depth -= 1
                    continue
                }
                return self.lose()
            }
            switch slot.content {
            case .free:
                return self.lose()
            case .empty:
                self.slots[index].content = .free
                return self.lose()
            case .invalid:
                self.slots[index].content = .free
                self.consume(received: true, timestamp: slot.timestamp)
                return self.conceal()
            case .audio:
                let gap = RTPTimestamp.distance(from: self.lastTimestamp, to: slot.timestamp)
                let frame = Int64(Opus.samplesPer20ms)
                let target = self.statistics.targetDepthFrames
                if gap > frame {
                    // DTX pause: play it out as silence while the buffer is not deeper than its
                    // target, then hold the head up to the target to rebuild depth.
                    let pauseFrames = Int(min(gap / frame - 1, Int64(Int.max / 2)))
                    if self.fillers < pauseFrames && depth <= target {
                        self.fillers += 1
                        return self.silence()
                    }
                    if depth < target && self.headHeld < target - 1 {
                        self.headHeld += 1
                        self.fillers += 1
                        return self.silence()
                    }
                }
                if self.shrinkPending && depth > target
                    && (self.isQuiet(slot) || self.shrinkPendingTicks >= self.configuration.shrinkWindowTicks)
                {
                    self.shrinkPending = false
                    self.slots[index].content = .free
                    self.consume(received: true, timestamp: slot.timestamp)
                    self.statistics.discarded &+= 1
                    depth -= 1
                    continue
                }
                self.consume(received: true, timestamp: slot.timestamp)
                self.current = .packet(slot: index)
                let level = slot.hasLevel ? RTPAudioLevel(level: slot.level, voiceActivity: slot.voiceActivity) : nil
                return Frame(kind: .packet, audioLevel: level)
            }
        }
        // Unreachable in practice (the depth is at most the capacity); play silence if it happens.
        return self.silence()
    }

    private func needsDecoder(_ current: Current) -> Bool {
        switch current {
        case .packet, .fec, .conceal: return true
        case .none, .idle, .silence: return false
        }
    }

    /// Moves the playout point one frame on.
    ///
    /// The consumed frame's slot is not cleared: it stays readable for ``decode(into:)`` until the
    /// next `advance`, and no packet can overwrite it meanwhile (it is `lastSequence`'s slot, and
    /// `insert` accepts only sequence numbers less than the capacity ahead of `lastSequence`). A
    /// stale slot never matches a lookup, which compares its sequence number.
    private func consume(received: Bool, timestamp: UInt32? = nil) {
        self.lastSequence += 1
        self.lastTimestamp = timestamp ?? self.lastTimestamp &+ UInt32(Opus.samplesPer20ms)
        self.receivedHistory = self.receivedHistory << 1 | (received ? 1 : 0)
        self.fillers = 0
        self.headHeld = 0
        if self.newestSequence < self.lastSequence {
            self.newestSequence = self.lastSequence
        }
    }

    private func underrun() -> Frame {
        self.statistics.underruns &+= 1
        self.fillers += 1
        if self.lastOutputWasAudio && self.concealStreak < self.configuration.concealmentLimit {
            self.current = .conceal
            return Frame(kind: .concealed)
        }
        return self.silence()
    }

    private func silence() -> Frame {
        self.current = .silence
        self.statistics.silence &+= 1
        self.lastOutputWasAudio = false
        return Frame(kind: .silence)
    }

    private func conceal() -> Frame {
        if self.concealStreak < self.configuration.concealmentLimit {
            self.current = .conceal
            return Frame(kind: .concealed)
        }
        return self.silence()
    }

    /// The next frame is lost: recover it from the following packet's FEC if possible.
    private func lose() -> Frame {
        self.statistics.lost &+= 1
        self.consume(received: false)
        let nextIndex = self.slotIndex(self.lastSequence + 1)
        let next = self.slots[nextIndex]
        if next.content == .audio && next.sequence == self.lastSequence + 1 && next.hasFEC
            && RTPTimestamp.distance(from: self.lastTimestamp, to: next.timestamp) == Int64(Opus.samplesPer20ms)
        {
            self.current = .fec(slot: nextIndex)
            return Frame(kind: .recovered)
        }
        return self.conceal()
    }

    private func isQuiet(_ slot: Slot) -> Bool {
        // Quieter than -40 dBov, or a DTX-sized payload.
        (slot.hasLevel && slot.level >= 40) || slot.length <= 3
    }

    private func updateTarget() {
        let jitter = self.jitterQ4 >> 4
        let frame = Int64(Opus.samplesPer20ms)
        // One frame, plus the jitter allowance rounded to the nearest frame from a quarter up.
        let extra = (Int64(self.configuration.jitterMultiplier) * jitter + frame / 4) / frame
        let target = 1 + Int(min(extra, Int64(self.configuration.maximumDepthFrames)))
        self.statistics.targetDepthFrames = min(target, self.configuration.maximumDepthFrames)
    }

    /// Tracks the shallowest depth of the window; a window spent above the target asks for a shrink.
    private func observeDepth(_ depth: Int) {
        if self.shrinkPending {
            self.shrinkPendingTicks += 1
        }
        self.windowMinimum = min(self.windowMinimum, depth)
        self.windowTicks += 1
        guard self.windowTicks >= self.configuration.shrinkWindowTicks else { return }
        if self.windowMinimum > self.statistics.targetDepthFrames && !self.shrinkPending {
            self.shrinkPending = true
            self.shrinkPendingTicks = 0
        }
        self.windowTicks = 0
        self.windowMinimum = Int.max
    }

    // MARK: - Decode

    /// Writes the frame chosen by the last ``advance()`` into `pcm` as 960 mono samples.
    ///
    /// Decodes the packet, rebuilds a lost frame from FEC, runs the decoder's concealment, or writes
    /// silence. A packet libopus rejects is counted in ``Statistics/invalid`` and concealed. Call it
    /// at most once per ``advance()``; a second call writes silence.
    ///
    /// - Parameter pcm: exactly 960 samples (20 ms at 48 kHz). Any other size is filled with zeros
    ///   and ``FrameKind/silence`` is returned.
    /// - Returns: what was written.
    @discardableResult
    public func decode(into pcm: inout MutableSpan<Int16>) -> FrameKind {
        let current = self.current
        let alreadyRendered = self.currentRendered
        self.currentRendered = true
        guard pcm.count == Opus.samplesPer20ms, !alreadyRendered else {
            Self.zero(&pcm)
            return .silence
        }
        switch current {
        case .none, .idle:
            Self.zero(&pcm)
            return .idle
        case .silence:
            Self.zero(&pcm)
            return .silence
        case .conceal:
            return self.renderConcealment(into: &pcm)
        case .packet(let index):
            if !self.decoderInSync {
                self.decoder.reset()
                self.decoderInSync = true
            }
            if self.decodeSlot(index, into: &pcm, fec: false) {
                self.statistics.decoded &+= 1
                self.concealStreak = 0
                self.lastOutputWasAudio = true
                return .packet
            }
            self.statistics.invalid &+= 1
            return self.renderConcealment(into: &pcm)
        case .fec(let index):
            if !self.decoderInSync {
                self.decoder.reset()
                self.decoderInSync = true
            }
            if self.decodeSlot(index, into: &pcm, fec: true) {
                self.statistics.recovered &+= 1
                self.concealStreak = 0
                self.lastOutputWasAudio = true
                return .recovered
            }
            return self.renderConcealment(into: &pcm)
        }
    }

    /// Decodes a stored payload; false if libopus rejected it.
    private func decodeSlot(_ index: Int, into pcm: inout MutableSpan<Int16>, fec: Bool) -> Bool {
        let offset = index * self.slotSize
        let length = self.slots[index].length
        // A local reference: the span borrows it, not `self.storage` (a class property).
        let storage = self.storage
        do {
            let samples = try self.decoder.decode(
                storage.span.extracting(offset..<(offset + length)),
                into: &pcm,
                fec: fec
            )
            return samples == Opus.samplesPer20ms
        } catch {
            return false
        }
    }

    private func renderConcealment(into pcm: inout MutableSpan<Int16>) -> FrameKind {
        guard self.decoderInSync, self.concealStreak < self.configuration.concealmentLimit else {
            Self.zero(&pcm)
            self.statistics.silence &+= 1
            self.lastOutputWasAudio = false
            return .silence
        }
        do {
            _ = try self.decoder.conceal(into: &pcm, samplesPerChannel: Opus.samplesPer20ms)
        } catch {
            Self.zero(&pcm)
            return .silence
        }
        self.statistics.concealed &+= 1
        self.concealStreak += 1
        self.lastOutputWasAudio = true
        return .concealed
    }

    private static func zero(_ pcm: inout MutableSpan<Int16>) {
        for index in pcm.indices {
            pcm[index] = 0
        }
    }

    /// Advances and decodes in one call: the frame for this tick, written into `pcm` (960 samples).
    @discardableResult
    public func pop(into pcm: inout MutableSpan<Int16>) -> FrameKind {
        _ = self.advance()
        return self.decode(into: &pcm)
    }
}

@available(*, unavailable)
extension JitterBuffer: Sendable {}
