/// One participant's inbound audio in a room mixer: its jitter buffer (and decoder), the PCM of the
/// current tick, and its level.
final class MixerInput {
    let jitterBuffer: JitterBuffer
    var pcm: [Int16]
    var smoother: AudioLevelSmoother
    /// The last measured (unsmoothed) level, -dBov: held through frames with no level of their own.
    var lastLevel: UInt8 = AudioLevel.silence
    /// Whether the stream's packets carry RFC 6464 levels (then it is decoded only as a speaker).
    var carriesLevels = false
    /// Whether `pcm` holds this tick's frame.
    var decodedThisTick = false
    /// What the jitter buffer chose for this tick.
    var frameKind = JitterBuffer.FrameKind.idle

    init(jitterBuffer: JitterBuffer.Configuration, smoothing: AudioLevelSmoother.Configuration) throws(OpusError) {
        self.jitterBuffer = try JitterBuffer(configuration: jitterBuffer)
        self.pcm = [Int16](repeating: 0, count: Opus.samplesPer20ms)
        self.smoother = AudioLevelSmoother(configuration: smoothing)
    }

    /// Chooses this tick's frame.
    func advance() -> JitterBuffer.Frame {
        let frame = self.jitterBuffer.advance()
        self.frameKind = frame.kind
        self.decodedThisTick = false
        return frame
    }

    /// Writes this tick's frame into `pcm` (once per tick); true if that needed the decoder.
    @discardableResult
    func decode() -> Bool {
        guard !self.decodedThisTick else { return false }
        self.decodedThisTick = true
        self.pcm.withMutableSpan { pcm in
            _ = self.jitterBuffer.decode(into: &pcm)
        }
        return self.frameKind.needsDecoder
    }
}

@available(*, unavailable)
extension MixerInput: Sendable {}
