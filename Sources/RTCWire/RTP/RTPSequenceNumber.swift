/// Wrapping arithmetic on RTP's 16-bit sequence numbers (RFC 3550), using serial-number comparison
/// (RFC 1982): of two sequence numbers, the newer is the one less than half the space (32768) ahead.
///
/// Every function wraps and none traps, whatever the inputs. Use ``RTPSequenceNumberUnwrapper`` to
/// turn a stream of sequence numbers into ever-increasing 64-bit values.
public enum RTPSequenceNumber {
    /// Half the sequence number space: the largest distance serial comparison can order.
    public static let halfRange: UInt16 = 0x8000

    /// Whether `value` is newer than `other` (RFC 1982 serial-number "greater than").
    ///
    /// RFC 1982 leaves values exactly 32768 apart unordered; here the larger plain value is the
    /// newer one, so that of two different values exactly one is newer (as libwebrtc does).
    @inlinable
    public static func isNewer(_ value: UInt16, than other: UInt16) -> Bool {
        let difference = value &- other
        if difference == Self.halfRange {
            return value > other
        }
        return difference != 0 && difference < Self.halfRange
    }

    /// The signed number of steps from `start` forward to `end`: positive when `end` is newer,
    /// negative when it is older, in -32768...32768, consistent with ``isNewer(_:than:)``.
    @inlinable
    public static func distance(from start: UInt16, to end: UInt16) -> Int {
        let difference = end &- start
        if difference == Self.halfRange {
            return end > start ? 32768 : -32768
        }
        return Int(Int16(bitPattern: difference))
    }

    /// `value` moved by `steps`, wrapping around 65535/0 in either direction.
    @inlinable
    public static func advanced(_ value: UInt16, by steps: Int) -> UInt16 {
        value &+ UInt16(truncatingIfNeeded: steps)
    }

    /// The 48-bit packet index (`rolloverCounter * 65536 + sequenceNumber`) of a received sequence
    /// number, estimated as in RFC 3711 section 3.3.1 from the highest sequence number received so
    /// far and the rollover counter that goes with it.
    ///
    /// A number just below a wrap arriving after it belongs to the previous cycle, one just after a
    /// wrap to the next. At rollover counter 0, a packet from "before the start" wraps to counter
    /// `UInt32.max`; callers that care should treat such a packet as older than the stream.
    @inlinable
    public static func packetIndex(
        of sequenceNumber: UInt16,
        highest: UInt16,
        rolloverCounter: UInt32
    ) -> UInt64 {
        // Plain (not modular) differences, as RFC 3711 Appendix A writes them; Int holds them.
        let sequence = Int(sequenceNumber)
        let last = Int(highest)
        let counter: UInt32
        if last < 32768 {
            // A number far ahead of a low highest belongs to the previous cycle.
            counter = sequence - last > 32768 ? rolloverCounter &- 1 : rolloverCounter
        } else {
            // A number far behind a high highest belongs to the next cycle.
            counter = last - 32768 > sequence ? rolloverCounter &+ 1 : rolloverCounter
        }
        return UInt64(counter) &<< 16 | UInt64(sequenceNumber)
    }
}
