/// Dotted-quad IPv4 addresses as host-order integers (the engine binds and connects IPv4 only).
public enum IPv4Address {
    /// `127.0.0.1`.
    public static let loopback: UInt32 = 0x7F00_0001

    /// Parses `a.b.c.d` (each 0...255), or returns nil.
    public static func parse(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// `a.b.c.d`.
    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF)"
    }
}
