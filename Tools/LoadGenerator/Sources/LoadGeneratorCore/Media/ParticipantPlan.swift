/// Everything about one simulated participant that is decided before it joins: who it is, its
/// ICE credentials and SSRC, and what it sends. A value, so the control plane (signaling) and
/// the engine thread can both hold it.
public struct ParticipantPlan: Sendable, Hashable {
    /// A number unique in the run (also the engine's handle).
    public var number: Int
    /// The room's index in the scenario.
    public var room: Int
    /// The identity (`sub` claim).
    public var identity: String
    /// Our `a=ice-ufrag` (4+ ice-chars).
    public var iceUfrag: String
    /// Our `a=ice-pwd` (22+ ice-chars).
    public var icePassword: String
    /// The SSRC of the audio we send.
    public var ssrc: UInt32
    /// Whether this participant talks (sends its tone at speech level) or stays quiet (low noise).
    public var isTalker: Bool
    /// The talker's frequency tag (nil for quiet participants).
    public var toneFrequency: Double?
    /// The frequency tags of the room's other talkers (for the mix check).
    public var otherToneFrequencies: [Double]
    /// Whether to decode what arrives and check the frequency tags (mixed rooms; costs CPU).
    public var checksMix: Bool
    /// Whether it publishes audio (true), or only listens: its audio m-line is `recvonly`, it
    /// sends no media and publishes no track (large audiences; `parley-load --listeners`).
    public var sends: Bool = true
    /// When signaling for it started (monotonic nanoseconds): join time runs from here to the
    /// first media packet received.
    public var joinStartedAt: UInt64

    /// A plan with credentials derived from a random source.
    public init(
        number: Int,
        room: Int,
        identity: String,
        isTalker: Bool,
        toneFrequency: Double?,
        otherToneFrequencies: [Double] = [],
        checksMix: Bool = false,
        joinStartedAt: UInt64 = 0,
        using generator: inout some RandomNumberGenerator
    ) {
        self.number = number
        self.room = room
        self.identity = identity
        self.iceUfrag = Self.iceString(length: 8, using: &generator)
        self.icePassword = Self.iceString(length: 24, using: &generator)
        self.ssrc = UInt32.random(in: 1...UInt32.max, using: &generator)
        self.isTalker = isTalker
        self.toneFrequency = toneFrequency
        self.otherToneFrequencies = otherToneFrequencies
        self.checksMix = checksMix
        self.joinStartedAt = joinStartedAt
    }

    /// A random string of ice-chars (`A-Z a-z 0-9`; `+` and `/` left out so it needs no escaping).
    static func iceString(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
