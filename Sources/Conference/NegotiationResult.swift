/// What ``Conference/negotiate(_:offer:)`` returns.
public struct NegotiationResult: Sendable, Hashable {
    /// The SDP answer, CRLF-terminated lines.
    public var answer: String
    /// The participant's published tracks after this negotiation, in m-line order.
    public var published: [TrackInfo]
    /// `tracks` for everyone in the room when the published tracks changed; the room's plan.
    public var effects: ConferenceEffects

    /// Makes a result.
    public init(answer: String, published: [TrackInfo], effects: ConferenceEffects) {
        self.answer = answer
        self.published = published
        self.effects = effects
    }
}
