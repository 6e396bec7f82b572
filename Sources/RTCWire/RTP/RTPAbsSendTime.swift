/// The abs-send-time header extension (WebRTC, used by REMB bandwidth estimation): the time the
/// packet was sent, as 24-bit 6.18 fixed-point seconds that wrap every 64 seconds.
///
/// SDP name: ``RTPHeaderExtensionURI/absSendTime``. The 6 integer bits are seconds modulo 64; the
/// 18 fraction bits give a resolution of about 3.8 microseconds.
public struct RTPAbsSendTime: Hashable, Sendable {
    /// The 24-bit value (the top 8 bits are always zero).
    public let rawValue: UInt32

    /// The length of the value in bytes.
    public static let valueLength = 3

    /// Makes a send time from its 24-bit encoding; bits above the low 24 are ignored.
    @inlinable
    public init(rawValue: UInt32) {
        self.rawValue = rawValue & 0x00FF_FFFF
    }

    /// Makes a send time from a clock reading in nanoseconds (any epoch: only the time modulo 64
    /// seconds is kept), rounded to the nearest 1/262144 second.
    @inlinable
    public init(nanoseconds: UInt64) {
        // Below 64 s, so the shifted value stays under 2^54: no overflow.
        let withinWrap = nanoseconds % 64_000_000_000
        let scaled = ((withinWrap &<< 18) &+ 500_000_000) / 1_000_000_000
        self.init(rawValue: UInt32(truncatingIfNeeded: scaled))
    }

    /// Reads a send time from an element's value bytes (`bytes.extracting(element.valueRange)`).
    ///
    /// - Throws: ``WireError/Code/invalidLength`` unless the value is exactly three bytes.
    @inlinable
    public init(parsing value: Span<UInt8>) throws(WireError) {
        guard value.count == Self.valueLength else {
            throw WireError(.invalidLength, "RTP abs-send-time extension length", offset: value.count)
        }
        self.init(rawValue: value.uint24(at: 0))
    }

    /// The send time within its 64-second wrap, in nanoseconds (0 up to 64 s), rounded.
    @inlinable
    public var nanoseconds: UInt64 {
        // rawValue < 2^24, so the product stays under 2^54.
        (UInt64(self.rawValue) &* 1_000_000_000 &+ (1 &<< 17)) &>> 18
    }

    /// The three value bytes, most significant first.
    @inlinable
    public func append(to bytes: inout [UInt8]) {
        bytes.appendUInt24(self.rawValue)
    }
}
