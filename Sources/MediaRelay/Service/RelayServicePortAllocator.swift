/// Binds the workers' sockets one after another, as ``RelayService/PortChoice`` says: an
/// ephemeral port each, or the next free port of a range.
struct RelayServicePortAllocator {
    let choice: RelayService.PortChoice
    /// The next port of the range to try.
    private var next: UInt32

    init(choice: RelayService.PortChoice) {
        self.choice = choice
        switch choice {
        case .ephemeral:
            self.next = 0
        case .range(let range):
            self.next = UInt32(range.lowerBound)
        }
    }

    /// Binds a socket on `address` with the next port.
    ///
    /// - Throws: ``RelayServiceError/Code/noFreePort`` when the range is used up,
    ///   ``RelayServiceError/Code/startFailed`` for any other bind failure.
    mutating func bindNext(
        _ address: RelayAddress,
        options: RelaySocket.Options
    ) throws(RelayServiceError)
        -> RelaySocket
    {
        switch self.choice {
        case .ephemeral:
            do throws(RelayIOError) {
                return try RelaySocket(bindingTo: address.withPort(0), options: options)
            } catch {
                throw RelayServiceError(code: .startFailed, message: "could not bind \(address.withPort(0)): \(error)")
            }
        case .range(let range):
            while self.next <= UInt32(range.upperBound) {
                let port = UInt16(truncatingIfNeeded: self.next)
                self.next += 1
                do throws(RelayIOError) {
                    return try RelaySocket(bindingTo: address.withPort(port), options: options)
                } catch  where error.code == .addressInUse {
                    continue
                } catch {
                    throw RelayServiceError(
                        code: .startFailed,
                        message: "could not bind \(address.withPort(port)): \(error)"
                    )
                }
            }
            throw RelayServiceError(
                code: .noFreePort,
                message:
                    "no free port left in \(range.lowerBound)...\(range.upperBound) on \(address.withPort(0)): widen the range or free ports"
            )
        }
    }
}

extension RelayAddress {
    /// The same address with another port.
    func withPort(_ port: UInt16) -> RelayAddress {
        switch self.family {
        case .ipv4:
            return RelayAddress(ipv4: UInt32(truncatingIfNeeded: self.low), port: port)
        case .ipv6:
            return RelayAddress(ipv6High: self.high, low: self.low, port: port)
        }
    }
}
