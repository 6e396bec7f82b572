/// How a room carries audio: chosen per room, read by the relay.
///
/// - ``forwarded``: an SFU room. Clients receive every sender's stream as it came; the mixer only
///   selects speakers (for active-speaker events) and encodes nothing.
/// - ``mixed``: clients receive one mixed stream from the mixer (each speaker its mix-minus, everyone
///   else the shared full mix); the full mix also feeds the recorder.
/// - ``both``: clients receive forwarded streams, and the mixer produces only the full mix, for
///   the recorder.
public enum MixingMode: Sendable, Hashable {
    /// Forwarded streams only (SFU); speaker selection still runs.
    case forwarded
    /// Mixed audio for clients and the recorder.
    case mixed
    /// Forwarded streams for clients; the full mix for the recorder only.
    case both
}
