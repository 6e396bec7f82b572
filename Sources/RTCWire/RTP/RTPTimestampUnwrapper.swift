/// Turns a stream's 32-bit RTP timestamps into 64-bit values that keep increasing across wraps,
/// following the newest timestamp seen.
///
/// Each timestamp is placed within half the space (2^31 ticks) of the newest one so far: an older
/// one unwraps below it (negative if it predates the first timestamp), a newer one moves it
/// forward. Nothing traps or allocates.
public struct RTPTimestampUnwrapper: Hashable, Sendable {
    /// The newest unwrapped value so far, or `nil` before the first timestamp.
    @inlinable
    public var newest: Int64? {
        self.storedNewest
    }

    // Stored apart from the public getter so the inlinable methods may set it.
    @usableFromInline
    var storedNewest: Int64?

    /// An unwrapper that has seen nothing.
    @inlinable
    public init() {
        self.storedNewest = nil
    }

    /// The unwrapped value of `timestamp`; moves ``newest`` forward if it is newer.
    @inlinable
    public mutating func unwrap(_ timestamp: UInt32) -> Int64 {
        guard let newest = self.storedNewest else {
            self.storedNewest = Int64(timestamp)
            return Int64(timestamp)
        }
        let value = newest &+ RTPTimestamp.distance(from: UInt32(truncatingIfNeeded: newest), to: timestamp)
        if value > newest {
            self.storedNewest = value
        }
        return value
    }

    /// The unwrapped value `timestamp` would get, without recording it.
    @inlinable
    public func peek(_ timestamp: UInt32) -> Int64 {
        var copy = self
        return copy.unwrap(timestamp)
    }
}
