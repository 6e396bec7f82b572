/// The 96-bit transaction ID of a STUN message: matches a response to its request.
///
/// Stored as two integers (no heap storage): ``high`` holds the first 4 bytes on the wire and
/// ``low`` the last 8, both in network order. Requests must use an ID from a cryptographically
/// random source (``random()``), since it is the only thing tying a response to its request.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0-3 of the ID, big-endian.
    public let high: UInt32
    /// Bytes 4-11 of the ID, big-endian.
    public let low: UInt64

    /// Creates an ID from its two halves.
    public init(high: UInt32, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an ID from exactly 12 bytes in wire order.
    ///
    /// - Returns: `nil` unless `bytes` holds exactly 12 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt32 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 4 {
                high = high &<< 8 | UInt32(byte)
            } else {
                low = low &<< 8 | UInt64(byte)
            }
        }
        self.high = high
        self.low = low
    }

    /// Reads the ID from a STUN header (bytes 8-19). The caller has checked `bytes.count >= 20`.
    init(header bytes: Span<UInt8>) {
        self.high = bytes.uint32(at: 8)
        self.low = bytes.uint64(at: 12)
    }

    /// A new ID from `generator`; use a cryptographically secure one for requests.
    public static func random(using generator: inout some RandomNumberGenerator) -> STUNTransactionID {
        STUNTransactionID(high: generator.next(), low: generator.next())
    }

    /// A new ID from the system's cryptographically secure generator.
    public static func random() -> STUNTransactionID {
        var generator = SystemRandomNumberGenerator()
        return self.random(using: &generator)
    }

    /// Appends the 12 bytes in wire order.
    public func append(to bytes: inout [UInt8]) {
        bytes.appendUInt32(self.high)
        bytes.appendUInt64(self.low)
    }

    /// The 12 bytes in wire order (allocates; for tests and tools).
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12)
        self.append(to: &bytes)
        return bytes
    }

    /// 24 lowercase hex digits.
    public var description: String {
        let high = String(self.high, radix: 16)
        let low = String(self.low, radix: 16)
        return String(repeating: "0", count: 8 - high.utf8.count) + high
            + String(repeating: "0", count: 16 - low.utf8.count) + low
    }
}
