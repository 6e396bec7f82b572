internal import COpus

/// An Opus decoder at 48 kHz: owns one libopus `OpusDecoder` and frees it on `deinit`.
///
/// One decoder per inbound stream; it belongs to the worker that owns the stream. Decoding writes
/// into the caller's buffer and allocates nothing.
public final class OpusDecoder {
    // Owned: created in init, destroyed in deinit, never shared outside this object.
    private let state: OpaquePointer

    /// 1 (mono) or 2 (stereo) output channels.
    public let channels: Int

    /// Creates a decoder at 48 kHz.
    ///
    /// - Throws: ``OpusError`` with ``OpusError/Code/badArgument`` for channels other than 1 or 2.
    public init(channels: Int = 1) throws(OpusError) {
        guard channels == 1 || channels == 2 else {
            throw OpusError.from(OPUS_BAD_ARG, operation: "opus_decoder_create")
        }
        var status: Int32 = OPUS_OK
        guard let state = opus_decoder_create(opus_int32(Opus.sampleRate), Int32(channels), &status),
            status == OPUS_OK
        else {
            throw OpusError.from(status == OPUS_OK ? OPUS_ALLOC_FAIL : status, operation: "opus_decoder_create")
        }
        self.state = state
        self.channels = channels
    }

    deinit {
        opus_decoder_destroy(self.state)
    }

    /// Decodes one packet into interleaved 16-bit PCM.
    ///
    /// An empty packet is treated as one lost 20 ms frame and concealed: libopus would otherwise
    /// conceal as much audio as `pcm` can hold (up to 120 ms), which is not what a lost packet means.
    ///
    /// - Parameters:
    ///   - packet: the Opus payload of one RTP packet (untrusted).
    ///   - pcm: room for the decoded samples; 5760 samples per channel fit any packet (120 ms).
    ///   - fec: decode the in-band FEC data of `packet` (which rebuilds the frame *before* it)
    ///     instead of its own audio. With FEC, `pcm` must hold exactly the lost frame's duration.
    /// - Returns: samples per channel written.
    /// - Throws: ``OpusError``; ``OpusError/Code/invalidPacket`` for a malformed packet, after which
    ///   the caller conceals the frame and carries on.
    public func decode(
        _ packet: Span<UInt8>,
        into pcm: inout MutableSpan<Int16>,
        fec: Bool = false
    ) throws(OpusError) -> Int {
        guard !packet.isEmpty else {
            return try self.conceal(into: &pcm, samplesPerChannel: Opus.samplesPer20ms)
        }
        let channels = self.channels
        let state = self.state
        let result = packet.withUnsafeBufferPointer { bytes in
            pcm.withUnsafeMutableBufferPointer { output in
                guard let samples = output.baseAddress else { return OPUS_BUFFER_TOO_SMALL }
                return opus_decode(
                    state,
                    bytes.baseAddress,
                    opus_int32(clamping: bytes.count),
                    samples,
                    Int32(output.count / channels),
                    fec ? 1 : 0
                )
            }
        }
        guard result >= 0 else {
            throw OpusError.from(result, operation: "opus_decode")
        }
        return Int(result)
    }

    /// Fills `pcm` with the decoder's packet-loss concealment for one lost frame.
    ///
    /// - Parameter samplesPerChannel: the lost frame's duration at 48 kHz, a multiple of 2.5 ms
    ///   (120 samples); `pcm` must hold that many samples per channel.
    /// - Returns: samples per channel written.
    public func conceal(into pcm: inout MutableSpan<Int16>, samplesPerChannel: Int) throws(OpusError) -> Int {
        let channels = self.channels
        guard samplesPerChannel > 0, samplesPerChannel % 120 == 0, samplesPerChannel * channels <= pcm.count else {
            throw OpusError.from(OPUS_BAD_ARG, operation: "opus_decode (concealment)")
        }
        let state = self.state
        let result = pcm.withUnsafeMutableBufferPointer { output in
            guard let samples = output.baseAddress else { return OPUS_BUFFER_TOO_SMALL }
            return opus_decode(state, nil, 0, samples, Int32(samplesPerChannel), 0)
        }
        guard result >= 0 else {
            throw OpusError.from(result, operation: "opus_decode (concealment)")
        }
        return Int(result)
    }

    /// Samples per channel of the last packet decoded or concealed.
    public var lastPacketDuration: Int {
        var samples: opus_int32 = 0
        _ = COpus_decoder_get_last_packet_duration(self.state, &samples)
        return Int(samples)
    }

    /// Forgets all history, as at creation (`OPUS_RESET_STATE`).
    public func reset() {
        _ = COpus_decoder_reset_state(self.state)
    }
}

@available(*, unavailable)
extension OpusDecoder: Sendable {}
