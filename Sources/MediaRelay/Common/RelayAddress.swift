/// A UDP peer address (IPv4 or IPv6, and a port) as the relay keys its tables by: a small value,
/// hashable, built and compared without allocating.
///
/// The relay never learns an address from media: a `RelayAddress` becomes a transport's
/// destination only after an authenticated STUN Binding request came from it.
public struct RelayAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address family.
    public enum Family: UInt8, Hashable, Sendable {
        /// IPv4: the address is in the low 32 bits of ``low``.
        case ipv4 = 4
        /// IPv6.
        case ipv6 = 6
    }

    /// IPv4 or IPv6.
    public let family: Family
    /// IPv6: the first 8 bytes, big-endian. IPv4: zero.
    public let high: UInt64
    /// IPv6: the last 8 bytes, big-endian. IPv4: the address in the low 32 bits.
    public let low: UInt64
    /// The UDP port.
    public let port: UInt16

    /// An IPv4 address from its four bytes in network order, e.g. `RelayAddress(ipv4: 0x7F00_0001, port: 5000)`.
    public init(ipv4 address: UInt32, port: UInt16) {
        self.family = .ipv4
        self.high = 0
        self.low = UInt64(address)
        self.port = port
    }

    /// An IPv6 address from its 16 bytes as two big-endian halves.
    public init(ipv6High high: UInt64, low: UInt64, port: UInt16) {
        self.family = .ipv6
        self.high = high
        self.low = low
        self.port = port
    }

    /// The IPv4 address as a big-endian integer, or nil for IPv6.
    public var ipv4: UInt32? {
        self.family == .ipv4 ? UInt32(truncatingIfNeeded: self.low) : nil
    }

    /// `127.0.0.1:5000` or `[::1]:5000` (IPv6 written in full hex groups, without compression).
    public var description: String {
        switch self.family {
        case .ipv4:
            let a = UInt32(truncatingIfNeeded: self.low)
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF):\(self.port)"
        case .ipv6:
            var groups: [String] = []
            for half in [self.high, self.low] {
                for shift in stride(from: 48, through: 0, by: -16) {
                    groups.append(String((half >> UInt64(shift)) & 0xFFFF, radix: 16))
                }
            }
            return "[\(groups.joined(separator: ":"))]:\(self.port)"
        }
    }
}
