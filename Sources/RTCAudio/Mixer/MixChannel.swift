/// One encoded output of a room mixer: a mix-minus for one speaker slot, or the full mix. Owns its
/// encoder, its limiter (whose gain carries over between ticks) and preallocated buffers.
final class MixChannel {
    let encoder: OpusEncoder
    var limiter: Limiter
    var pcm: [Int16]
    var payload: [UInt8]
    var payloadLength = 0
    /// The RFC 6464 level (-dBov) of the last encoded frame, after the limiter.
    var level = AudioLevel.silence

    init(encoder: OpusEncoder.Configuration, limiter: Limiter.Configuration) throws(OpusError) {
        self.encoder = try OpusEncoder(configuration: encoder)
        self.limiter = Limiter(configuration: limiter)
        self.pcm = [Int16](repeating: 0, count: Opus.samplesPer20ms)
        self.payload = [UInt8](repeating: 0, count: Opus.maxPacketSize)
    }

    /// Limits `mix` to 16 bits and encodes it; false (and an empty payload) if libopus refused.
    func encode(_ mix: Span<Int32>) -> Bool {
        self.pcm.withMutableSpan { pcm in
            self.limiter.process(mix, into: &pcm)
        }
        let pcm = self.pcm
        self.level = AudioLevel.level(of: pcm.span)
        let encoded: Int? = self.payload.withMutableSpan { payload in
            try? self.encoder.encode(pcm.span, into: &payload)
        }
        self.payloadLength = encoded ?? 0
        return encoded != nil
    }

    /// A new speaker takes this slot: its listener hears a new stream, so start the encoder and the
    /// limiter afresh rather than carrying on another speaker's history.
    func reset() {
        self.encoder.reset()
        self.limiter.reset()
        self.payloadLength = 0
        self.level = AudioLevel.silence
    }
}

@available(*, unavailable)
extension MixChannel: Sendable {}
