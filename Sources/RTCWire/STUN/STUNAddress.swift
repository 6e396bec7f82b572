/// A transport address (IP address and UDP port) as STUN carries it in XOR-MAPPED-ADDRESS.
///
/// A small value with no heap storage: the address is held in two 64-bit integers in network order
/// (``high`` and ``low``; an IPv4 address is the low 32 bits of ``low``, with ``high`` zero), so
/// parsing, comparing and hashing an address allocate nothing.
public struct STUNAddress: Hashable, Sendable {
    /// The address family, with the values STUN's family field uses.
    public enum Family: UInt8, Hashable, Sendable {
        /// IPv4: a 4-byte address.
        case ipv4 = 0x01
        /// IPv6: a 16-byte address.
        case ipv6 = 0x02

        /// 4 or 16.
        public var addressByteCount: Int {
            self == .ipv4 ? 4 : 16
        }
    }

    /// IPv4 or IPv6.
    public let family: Family
    /// The UDP port.
    public let port: UInt16
    /// Bytes 0-7 of an IPv6 address, big-endian; zero for IPv4.
    public let high: UInt64
    /// Bytes 8-15 of an IPv6 address, or the IPv4 address in the low 32 bits, big-endian.
    public let low: UInt64

    /// An IPv4 address, such as `0xC000_0201` for 192.0.2.1.
    public init(ipv4 address: UInt32, port: UInt16) {
        self.family = .ipv4
        self.port = port
        self.high = 0
        self.low = UInt64(address)
    }

    /// An IPv4 address from its four dotted-quad parts.
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        self.init(ipv4: UInt32(a) &<< 24 | UInt32(b) &<< 16 | UInt32(c) &<< 8 | UInt32(d), port: port)
    }

    /// An IPv6 address from its two 64-bit halves, big-endian.
    public init(ipv6High high: UInt64, low: UInt64, port: UInt16) {
        self.family = .ipv6
        self.port = port
        self.high = high
        self.low = low
    }

    /// An address from its bytes in network order: 4 bytes make IPv4, 16 make IPv6.
    ///
    /// - Returns: `nil` for any other count.
    public init?(addressBytes: some Collection<UInt8>, port: UInt16) {
        let count = addressBytes.count
        guard count == 4 || count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in addressBytes.enumerated() {
            if index < 8 && count == 16 {
                high = high &<< 8 | UInt64(byte)
            } else {
                low = low &<< 8 | UInt64(byte)
            }
        }
        if count == 4 {
            self.init(ipv4: UInt32(truncatingIfNeeded: low), port: port)
        } else {
            self.init(ipv6High: high, low: low, port: port)
        }
    }

    /// The IPv4 address, or `nil` for IPv6.
    public var ipv4: UInt32? {
        self.family == .ipv4 ? UInt32(truncatingIfNeeded: self.low) : nil
    }

    /// Appends the 4 or 16 address bytes in network order.
    public func appendAddressBytes(to bytes: inout [UInt8]) {
        switch self.family {
        case .ipv4:
            bytes.appendUInt32(UInt32(truncatingIfNeeded: self.low))
        case .ipv6:
            bytes.appendUInt64(self.high)
            bytes.appendUInt64(self.low)
        }
    }

    /// The 4 or 16 address bytes in network order (allocates; for tests and tools).
    public var addressBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.family.addressByteCount)
        self.appendAddressBytes(to: &bytes)
        return bytes
    }
}
