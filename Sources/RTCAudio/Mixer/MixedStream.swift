/// One of the encoded streams a ``RoomMixer`` produces each tick.
public enum MixedStream: Sendable, Hashable {
    /// The shared full mix of all speakers: for every listener and for the recorder.
    case fullMix
    /// The mix of all speakers but the one in this speaker slot (`0..<speakerCount`): for that
    /// speaker, so that it does not hear itself.
    case mixMinus(slot: Int)
}
