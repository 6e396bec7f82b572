internal import Glibc

extension RelayAddress {
    /// The address written as text: dotted IPv4 (`127.0.0.1`) or IPv6 (`::1`, with or without
    /// brackets), with `port`; nil for anything else (a host name, say: the relay binds and
    /// advertises addresses, never names).
    public init?(parsing text: String, port: UInt16) {
        var trimmed = Substring(text)
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
            trimmed = trimmed.dropFirst().dropLast()
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        let family = trimmed.contains(":") ? AF_INET6 : AF_INET
        let converted = bytes.withUnsafeMutableBytes { buffer in
            String(trimmed).withCString { inet_pton(family, $0, buffer.baseAddress) }
        }
        guard converted == 1 else { return nil }
        func bigEndian(_ range: Range<Int>) -> UInt64 {
            bytes[range].reduce(0) { $0 << 8 | UInt64($1) }
        }
        if family == AF_INET {
            self.init(ipv4: UInt32(truncatingIfNeeded: bigEndian(0..<4)), port: port)
        } else {
            self.init(ipv6High: bigEndian(0..<8), low: bigEndian(8..<16), port: port)
        }
    }
}
