internal import CRelaySocket
internal import Glibc

// Conversions between RelayAddress and the kernel's sockaddr_storage, done in place in the
// batches' message arrays: no allocation, no text form.
extension RelayAddress {
    /// Reads a kernel socket address; nil for a family other than IPv4 and IPv6 (a UDP socket
    /// never reports one). IPv4-mapped IPv6 addresses come back as IPv4.
    init?(socketAddress: UnsafePointer<sockaddr_storage>, length: socklen_t) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var port: UInt16 = 0
        switch crelay_address_decode(socketAddress, length, &high, &low, &port) {
        case 4:
            self.init(ipv4: UInt32(truncatingIfNeeded: low), port: port)
        case 6:
            self.init(ipv6High: high, low: low, port: port)
        default:
            return nil
        }
    }

    /// Writes this address as a socket of `socketFamily` (`AF_INET` or `AF_INET6`) sends to it:
    /// IPv4 on an `AF_INET6` socket becomes the IPv4-mapped address. False when the socket's
    /// family cannot carry it (IPv6 on an `AF_INET` socket).
    func write(
        to socketAddress: UnsafeMutablePointer<sockaddr_storage>,
        length: UnsafeMutablePointer<socklen_t>,
        socketFamily: Int32
    ) -> Bool {
        crelay_address_encode(
            self.family == .ipv6 ? 1 : 0,
            self.high,
            self.low,
            self.port,
            socketFamily,
            socketAddress,
            length
        ) == 0
    }

    /// `AF_INET` or `AF_INET6`.
    var socketFamily: Int32 {
        self.family == .ipv4 ? AF_INET : AF_INET6
    }
}

extension RelayAddress {
    /// The source of a received batch message; nil for a family other than IPv4 and IPv6.
    init?(source message: UnsafePointer<crelay_message>) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var port: UInt16 = 0
        switch crelay_message_source(message, &high, &low, &port) {
        case 4:
            self.init(ipv4: UInt32(truncatingIfNeeded: low), port: port)
        case 6:
            self.init(ipv6High: high, low: low, port: port)
        default:
            return nil
        }
    }

    /// Writes this address as the destination of a batch message for a socket of
    /// `socketFamily`; false when that socket cannot carry it.
    func write(destinationOf message: UnsafeMutablePointer<crelay_message>, socketFamily: Int32) -> Bool {
        crelay_message_set_destination(
            message,
            self.family == .ipv6 ? 1 : 0,
            self.high,
            self.low,
            self.port,
            socketFamily
        ) == 0
    }
}
