/// The frequency tags that identify talkers in mixed rooms: talker `k` of a room sends a tone of
/// ``frequency(forTalker:)`` Hz, spaced 150 Hz apart (three bins of a 20 ms frame at 48 kHz) so
/// that a Goertzel filter tells them apart after Opus coding. Tags repeat after ``count`` talkers
/// per room (the mix check then cannot tell those talkers apart).
public enum ToneTag {
    /// Distinct tags.
    public static let count = 20

    /// The tag frequency of a room's talker number `talker` (0-based).
    public static func frequency(forTalker talker: Int) -> Double {
        300 + 150 * Double(((talker % Self.count) + Self.count) % Self.count)
    }
}
