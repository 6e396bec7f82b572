/// Turns a stream's 16-bit sequence numbers into 64-bit values that keep increasing across wraps
/// (65535 -> 0 -> ...), following the highest number seen.
///
/// Each number is placed within half the space (32768) of the highest one so far: a reordered older
/// packet unwraps to a value below the highest (negative if it predates the first packet), a newer
/// one moves the highest forward. Nothing traps or allocates; the value is `Sendable` and loop-bound
/// use needs no lock.
///
/// ```swift
/// var unwrapper = RTPSequenceNumberUnwrapper()
/// unwrapper.unwrap(65535)  // 65535
/// unwrapper.unwrap(0)      // 65536
/// unwrapper.unwrap(65534)  // 65534 (late)
/// ```
public struct RTPSequenceNumberUnwrapper: Hashable, Sendable {
    /// The highest unwrapped value so far, or `nil` before the first number.
    @inlinable
    public var highest: Int64? {
        self.storedHighest
    }

    // Stored apart from the public getter so the inlinable methods may set it.
    @usableFromInline
    var storedHighest: Int64?

    /// An unwrapper that has seen nothing.
    @inlinable
    public init() {
        self.storedHighest = nil
    }

    /// The unwrapped value of `sequenceNumber`; moves ``highest`` forward if it is newer.
    @inlinable
    public mutating func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        guard let highest = self.storedHighest else {
            self.storedHighest = Int64(sequenceNumber)
            return Int64(sequenceNumber)
        }
        let step = RTPSequenceNumber.distance(from: UInt16(truncatingIfNeeded: highest), to: sequenceNumber)
        let value = highest &+ Int64(step)
        if value > highest {
            self.storedHighest = value
        }
        return value
    }

    /// The unwrapped value `sequenceNumber` would get, without recording it.
    @inlinable
    public func peek(_ sequenceNumber: UInt16) -> Int64 {
        var copy = self
        return copy.unwrap(sequenceNumber)
    }

    /// The number of times the sequence number has wrapped up to ``highest`` (RFC 3550's cycle
    /// count), or 0 before the first number.
    @inlinable
    public var rolloverCount: UInt32 {
        UInt32(truncatingIfNeeded: (self.highest ?? 0) &>> 16)
    }

    /// RFC 3550's 32-bit "extended highest sequence number received" for receiver reports: the
    /// cycle count in the high 16 bits, the highest sequence number in the low 16 bits.
    @inlinable
    public var extendedHighest: UInt32 {
        UInt32(truncatingIfNeeded: self.highest ?? 0)
    }
}
