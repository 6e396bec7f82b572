import MediaRelay

extension RelayTestClient {
    /// Runs ICE and DTLS for `clients` against `core` in memory until all are connected (a bounded
    /// number of rounds): each client's Binding request (which binds its tuple first, so the
    /// ClientHello behind it is accepted) and DTLS flight go to the core; whatever the core sends
    /// goes to the client at its destination, and the client's answers go back. Shared by
    /// ``RelayCoreHarness`` and ``RelayRoomHarness``.
    ///
    /// - Throws: ``RelayCoreHarnessError`` when the core sends to an address that is no client, the
    ///   handshakes do not settle in 32 rounds, or not every client is connected at the end.
    static func connect(
        _ clients: [RelayTestClient],
        to core: inout RelayCore,
        counters: RelayCoreCounters,
        batch: inout SendBatch,
        now: RelayTime
    ) throws {
        var byAddress: [RelayAddress: RelayTestClient] = [:]
        for client in clients {
            byAddress[client.address] = client
        }
        var pending: [(RelayTestClient, [UInt8])] = []
        for client in clients {
            pending.append((client, try client.bindingRequest()))
            for datagram in client.startDTLS() {
                pending.append((client, datagram))
            }
        }
        var rounds = 0
        while !pending.isEmpty {
            rounds += 1
            guard rounds <= 32 else {
                throw RelayCoreHarnessError("the connections did not settle in 32 rounds")
            }
            var next: [(RelayTestClient, [UInt8])] = []
            for (client, datagram) in pending {
                var buffer = datagram
                var span = buffer.mutableSpan
                batch.removeAll()
                core.handle(datagram: &span, length: datagram.count, from: client.address, now: now, send: &batch)
                for index in 0..<batch.count {
                    let (bytes, destination) = batch.withDatagram(at: index) { bytes, destination in
                        var copy: [UInt8] = []
                        copy.reserveCapacity(bytes.count)
                        for offset in bytes.indices {
                            copy.append(bytes[offset])
                        }
                        return (copy, destination)
                    }
                    guard let target = byAddress[destination] else {
                        throw RelayCoreHarnessError("the core sent to \(destination), which is no client")
                    }
                    for answer in try target.receive(bytes) {
                        next.append((target, answer))
                    }
                }
            }
            pending = next
        }
        batch.removeAll()
        let expected = UInt64(clients.count)
        guard clients.allSatisfy(\.isConnected), counters[.transportsConnected] == expected else {
            throw RelayCoreHarnessError("only \(counters[.transportsConnected]) of \(expected) transports connected")
        }
    }
}
