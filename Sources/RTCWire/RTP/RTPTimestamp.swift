/// Wrapping arithmetic on RTP's 32-bit media timestamps (RFC 3550), using serial-number comparison
/// (RFC 1982): of two timestamps, the newer is the one less than half the space (2^31) ahead.
///
/// Every function wraps and none traps, whatever the inputs. Use ``RTPTimestampUnwrapper`` to turn
/// a stream of timestamps into ever-increasing 64-bit values.
public enum RTPTimestamp {
    /// Half the timestamp space: the largest distance serial comparison can order.
    public static let halfRange: UInt32 = 0x8000_0000

    /// Whether `value` is newer than `other` (RFC 1982 serial-number "greater than"); values exactly
    /// 2^31 apart are ordered by their plain value, so that of two different values exactly one is
    /// newer.
    @inlinable
    public static func isNewer(_ value: UInt32, than other: UInt32) -> Bool {
        let difference = value &- other
        if difference == Self.halfRange {
            return value > other
        }
        return difference != 0 && difference < Self.halfRange
    }

    /// The signed number of ticks from `start` forward to `end`: positive when `end` is newer,
    /// negative when it is older, in -2^31...2^31, consistent with ``isNewer(_:than:)``.
    @inlinable
    public static func distance(from start: UInt32, to end: UInt32) -> Int64 {
        let difference = end &- start
        if difference == Self.halfRange {
            return end > start ? 0x8000_0000 : -0x8000_0000
        }
        return Int64(Int32(bitPattern: difference))
    }

    /// `value` moved by `ticks`, wrapping around in either direction.
    @inlinable
    public static func advanced(_ value: UInt32, by ticks: Int64) -> UInt32 {
        value &+ UInt32(truncatingIfNeeded: ticks)
    }
}
