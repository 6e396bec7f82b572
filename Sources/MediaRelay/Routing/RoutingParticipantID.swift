/// The identity of one participant (one transport) in a ``RoutingTable``: a small number the
/// control plane assigns, so comparing two of them on the packet path is one integer comparison.
///
/// The control plane maps its own participant identifiers (strings, UUIDs) to these numbers when it
/// builds a table; the worker keeps the number beside each transport and passes it to
/// ``Forwarder/ingest(_:from:now:)`` with every packet that transport receives. Two participants
/// must never share a number within one table; numbers may be reused once a participant has left.
public struct RoutingParticipantID: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The number.
    public let rawValue: UInt64

    /// An identifier from its number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// An identifier from an integer literal, for tests: `let alice: RoutingParticipantID = 1`.
    public init(integerLiteral value: UInt64) {
        self.rawValue = value
    }

    /// `participant 7`.
    public var description: String {
        "participant \(self.rawValue)"
    }
}
