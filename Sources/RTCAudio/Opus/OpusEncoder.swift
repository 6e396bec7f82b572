internal import COpus

/// An Opus encoder at 48 kHz: owns one libopus `OpusEncoder` and frees it on `deinit`.
///
/// An encoder is stateful and not thread-safe: it belongs to one relay worker (one room's mixer)
/// or one load-generator thread. Encoding writes into the caller's buffer and allocates nothing.
public final class OpusEncoder {
    /// What the encoder is tuned for (`OPUS_APPLICATION_*`).
    public enum Application: Sendable {
        /// Speech, with voice-optimised processing (`OPUS_APPLICATION_VOIP`).
        case voip
        /// Music and mixed content, faithful to the input (`OPUS_APPLICATION_AUDIO`).
        case audio
        /// Lowest delay, no speech-optimised modes (`OPUS_APPLICATION_RESTRICTED_LOWDELAY`).
        case restrictedLowDelay
    }

    /// A hint about the input (`OPUS_SET_SIGNAL`).
    public enum Signal: Sendable {
        /// Let libopus decide.
        case auto
        /// Mostly speech.
        case voice
        /// Mostly music.
        case music
    }

    /// The settings an encoder starts with.
    public struct Configuration: Sendable, Hashable {
        /// 1 (mono) or 2 (stereo).
        public var channels: Int
        /// What the encoder is tuned for.
        public var application: Application
        /// Target bitrate in bits per second (500 to 512 000).
        public var bitrate: Int
        /// 0 (cheapest) to 10 (best); 5 costs about 15 % less CPU than 10 for speech.
        public var complexity: Int
        /// In-band forward error correction, which lets a receiver rebuild a lost frame from the next.
        public var inbandFEC: Bool
        /// Discontinuous transmission: near-silence is sent as rare 1-3 byte packets.
        public var dtx: Bool
        /// The loss rate, in percent, the encoder should protect against with FEC.
        public var expectedLossPercent: Int
        /// A hint about the input.
        public var signal: Signal

        /// Speech at 32 kbit/s, mono, complexity 5, no FEC, no DTX: the defaults of Parley's mixer.
        public init(
            channels: Int = 1,
            application: Application = .voip,
            bitrate: Int = 32_000,
            complexity: Int = 5,
            inbandFEC: Bool = false,
            dtx: Bool = false,
            expectedLossPercent: Int = 0,
            signal: Signal = .auto
        ) {
            self.channels = channels
            self.application = application
            self.bitrate = bitrate
            self.complexity = complexity
            self.inbandFEC = inbandFEC
            self.dtx = dtx
            self.expectedLossPercent = expectedLossPercent
            self.signal = signal
        }
    }

    // Owned: created in init, destroyed in deinit, never shared outside this object.
    private let state: OpaquePointer

    /// The configuration the encoder was created with.
    public let configuration: Configuration

    /// Creates an encoder at 48 kHz.
    ///
    /// - Throws: ``OpusError`` with ``OpusError/Code/badArgument`` when a setting is out of range
    ///   (channels other than 1 or 2, a bitrate libopus refuses, complexity outside 0-10).
    public init(configuration: Configuration = Configuration()) throws(OpusError) {
        guard configuration.channels == 1 || configuration.channels == 2 else {
            throw OpusError.from(OPUS_BAD_ARG, operation: "opus_encoder_create")
        }
        let application: Int32
        switch configuration.application {
        case .voip: application = OPUS_APPLICATION_VOIP
        case .audio: application = OPUS_APPLICATION_AUDIO
        case .restrictedLowDelay: application = OPUS_APPLICATION_RESTRICTED_LOWDELAY
        }
        var status: Int32 = OPUS_OK
        guard
            let state = opus_encoder_create(
                opus_int32(Opus.sampleRate),
                Int32(configuration.channels),
                application,
                &status
            ), status == OPUS_OK
        else {
            throw OpusError.from(status == OPUS_OK ? OPUS_ALLOC_FAIL : status, operation: "opus_encoder_create")
        }
        self.state = state
        self.configuration = configuration
        // From here on a failure must not leak the state: deinit frees it once self exists.
        try self.apply(configuration)
    }

    deinit {
        opus_encoder_destroy(self.state)
    }

    private func apply(_ configuration: Configuration) throws(OpusError) {
        let signal: Int32
        switch configuration.signal {
        case .auto: signal = OPUS_AUTO
        case .voice: signal = OPUS_SIGNAL_VOICE
        case .music: signal = OPUS_SIGNAL_MUSIC
        }
        try Self.check(
            COpus_encoder_set_bitrate(self.state, opus_int32(clamping: configuration.bitrate)),
            "OPUS_SET_BITRATE"
        )
        try Self.check(
            COpus_encoder_set_complexity(self.state, opus_int32(clamping: configuration.complexity)),
            "OPUS_SET_COMPLEXITY"
        )
        try Self.check(COpus_encoder_set_inband_fec(self.state, configuration.inbandFEC ? 1 : 0), "OPUS_SET_INBAND_FEC")
        try Self.check(COpus_encoder_set_dtx(self.state, configuration.dtx ? 1 : 0), "OPUS_SET_DTX")
        try Self.check(
            COpus_encoder_set_packet_loss_perc(self.state, opus_int32(clamping: configuration.expectedLossPercent)),
            "OPUS_SET_PACKET_LOSS_PERC"
        )
        try Self.check(COpus_encoder_set_signal(self.state, signal), "OPUS_SET_SIGNAL")
    }

    private static func check(_ status: Int32, _ operation: StaticString) throws(OpusError) {
        guard status == OPUS_OK else {
            throw OpusError.from(status, operation: operation)
        }
    }

    /// Samples per channel the encoder delays its output by; an Ogg Opus file's pre-skip.
    public var lookahead: Int {
        var samples: opus_int32 = 0
        _ = COpus_encoder_get_lookahead(self.state, &samples)
        return Int(samples)
    }

    /// Whether the last frame was sent as DTX (silence, 1-3 bytes).
    public var isInDTX: Bool {
        var value: opus_int32 = 0
        _ = COpus_encoder_get_in_dtx(self.state, &value)
        return value != 0
    }

    /// Encodes one frame of interleaved 16-bit PCM into `packet`.
    ///
    /// - Parameters:
    ///   - pcm: `frameSize * channels` samples; the frame size must be 2.5, 5, 10, 20, 40 or 60 ms
    ///     at 48 kHz (120 to 2880 samples per channel).
    ///   - packet: where the packet is written, from its start; 1275 bytes always suffice.
    /// - Returns: the packet's length in bytes.
    /// - Throws: ``OpusError`` (``OpusError/Code/badArgument`` for a bad frame size,
    ///   ``OpusError/Code/bufferTooSmall`` when `packet` is too small).
    public func encode(_ pcm: Span<Int16>, into packet: inout MutableSpan<UInt8>) throws(OpusError) -> Int {
        let channels = self.configuration.channels
        guard pcm.count % channels == 0 else {
            throw OpusError.from(OPUS_BAD_ARG, operation: "opus_encode")
        }
        let frameSize = Int32(pcm.count / channels)
        let state = self.state
        let result = pcm.withUnsafeBufferPointer { samples in
            packet.withUnsafeMutableBufferPointer { output in
                // Empty spans have no base address; libopus declares both pointers non-null.
                guard let input = samples.baseAddress, let bytes = output.baseAddress else {
                    return output.isEmpty ? OPUS_BUFFER_TOO_SMALL : OPUS_BAD_ARG
                }
                return opus_encode(state, input, frameSize, bytes, opus_int32(clamping: output.count))
            }
        }
        guard result >= 0 else {
            throw OpusError.from(result, operation: "opus_encode")
        }
        return Int(result)
    }

    /// Encodes one frame into a new array: for set-up work (pre-encoded payloads, tests), not the
    /// packet path.
    public func encode(_ pcm: [Int16]) throws(OpusError) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: Opus.maxPacketSize)
        var span = packet.mutableSpan
        let count = try self.encode(pcm.span, into: &span)
        packet.removeSubrange(count...)
        return packet
    }

    /// Forgets all history, as at creation (`OPUS_RESET_STATE`).
    public func reset() {
        _ = COpus_encoder_reset_state(self.state)
    }
}

@available(*, unavailable)
extension OpusEncoder: Sendable {}
