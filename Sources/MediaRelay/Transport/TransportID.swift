/// The identity of one participant transport on a worker: the key that ties ICE credentials, the
/// tuple table and the transport itself together.
///
/// The control plane allocates it when it adds a participant (any scheme that never reuses an id
/// on one worker while an old transport with it may still exist); the relay only compares it.
public struct TransportID: Hashable, Sendable, CustomStringConvertible {
    /// The number the control plane chose.
    public let rawValue: UInt64

    /// Wraps the control plane's number.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `transport#42`.
    public var description: String {
        "transport#\(self.rawValue)"
    }
}
