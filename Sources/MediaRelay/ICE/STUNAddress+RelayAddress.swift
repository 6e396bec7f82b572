public import RTCWire

extension STUNAddress {
    /// The STUN form of a relay address, for XOR-MAPPED-ADDRESS.
    public init(_ address: RelayAddress) {
        switch address.family {
        case .ipv4:
            self.init(ipv4: UInt32(truncatingIfNeeded: address.low), port: address.port)
        case .ipv6:
            self.init(ipv6High: address.high, low: address.low, port: address.port)
        }
    }
}
