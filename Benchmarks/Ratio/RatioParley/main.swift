// RatioParley: the Parley side of Tools/ratio.sh. Loopback only; ends after a bounded time.
//
//   RatioParley --relay-port P --base B [--subscribers K] [--kind audio|video] [--seconds S]
//               [--cpu N]
//
// Starts the real relay, a RelayWorker<RelayCore> (default configuration: 64-datagram batches,
// 4 MiB receive buffer) on 127.0.0.1:P with its thread pinned to CPU N (default 0), and
// connects 1 publisher (127.0.0.1:B) and K subscribers (127.0.0.1:B+1 ... B+K, default 9) to
// it as a browser would, over loopback: the core is given each client's ICE credentials and
// certificate fingerprint (addTransport), then each client sends a signed Binding request with
// USE-CANDIDATE and runs a DTLS client handshake (Parley's own STUN and DTLS code, RatioClient);
// AEAD_AES_128_GCM is negotiated. Then a routing table is installed: the publisher's track
// (SSRC 0x5EED0001, payload type 111 for audio, 96 for video) to every subscriber, subscriber n
// seeing SSRC 0x5EED1000 + n. The clients' sockets are closed so that RatioC's load can bind
// the same ports, and the driver prints
//     ready <publisher's master key and salt, hex>
// and keeps the relay running for S seconds (default 6), then prints the worker's and the
// core's counters and stops the worker.
import Glibc
import MediaRelay
import RTCSecurity

/// The command line.
struct RatioOptions {
    var relayPort: UInt16 = 0
    var basePort: UInt16 = 0
    var subscribers = 9
    var isVideo = false
    var seconds = 6.0
    var cpu = 0

    init(arguments: [String]) throws(RatioError) {
        var index = 1
        while index + 1 < arguments.count {
            let name = arguments[index]
            let value = arguments[index + 1]
            switch name {
            case "--relay-port": self.relayPort = UInt16(value) ?? 0
            case "--base": self.basePort = UInt16(value) ?? 0
            case "--subscribers": self.subscribers = Int(value) ?? 0
            case "--kind": self.isVideo = value == "video"
            case "--seconds": self.seconds = Double(value) ?? 0
            case "--cpu": self.cpu = Int(value) ?? 0
            default: throw RatioError("unknown option \(name)")
            }
            index += 2
        }
        guard self.relayPort != 0, self.basePort != 0, self.basePort < 65_000, (1...63).contains(self.subscribers),
            self.seconds > 0, self.seconds <= 120
        else {
            throw RatioError(
                "usage: RatioParley --relay-port P --base B [--subscribers 1...63] [--kind audio|video] "
                    + "[--seconds 0<S<=120] [--cpu N]"
            )
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func sleepSeconds(_ seconds: Double) {
    guard seconds > 0 else { return }
    var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    _ = nanosleep(&pause, nil)
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return text
}

func say(_ line: String) {
    print(line)
    // nil flushes every stream (naming `stdout` is a global var Swift 6 refuses).
    fflush(nil)
}

func run() throws(RatioError) {
    let options = try RatioOptions(arguments: CommandLine.arguments)
    let publisherSSRC: UInt32 = 0x5EED_0001
    let payloadType: UInt8 = options.isVideo ? 96 : 111

    let relayIdentity: DTLSIdentity
    let clientIdentity: DTLSIdentity
    let relayContext: DTLSContext
    let clientContext: DTLSContext
    let core: RelayCore
    let counters = RelayCoreCounters()
    let socket: RelaySocket
    do {
        relayIdentity = try DTLSIdentity.generate(commonName: "relay")
        clientIdentity = try DTLSIdentity.generate(commonName: "client")
        relayContext = try DTLSContext(identity: relayIdentity)
        clientContext = try DTLSContext(identity: clientIdentity)
        core = try RelayCore(dtlsContext: relayContext, counters: counters)
        socket = try RelaySocket(bindingTo: RelayAddress(ipv4: 0x7F00_0001, port: options.relayPort))
    } catch {
        throw RatioError("setting up the relay: \(error)")
    }
    let worker: RelayWorker<RelayCore>
    do {
        worker = try RelayWorker(
            sockets: [socket],
            handler: core,
            configuration: RelayWorkerConfiguration(name: "parley-ratio", cpu: options.cpu)
        )
    } catch {
        throw RatioError("starting the worker: \(error)")
    }
    defer { worker.stop() }

    var clients: [RatioClient] = []
    for index in 0...options.subscribers {
        let client = try RatioClient(
            id: UInt64(index + 1),
            port: options.basePort + UInt16(index),
            relayPort: options.relayPort,
            context: clientContext,
            relayFingerprint: relayIdentity.fingerprint
        )
        clients.append(client)
        worker.submit(
            .addTransport(
                id: client.id,
                credentials: client.credentials,
                fingerprints: [clientIdentity.fingerprint],
                participant: client.participant
            )
        )
    }
    // The worker applies commands before its next read batch; the eventfd it was woken with
    // precedes the clients' first datagrams, but a little time costs nothing here.
    sleepSeconds(0.05)

    let connectStart = monotonicSeconds()
    for client in clients {
        try client.start()
    }
    var pollDescriptors = clients.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
    while !clients.allSatisfy(\.isConnected) {
        guard monotonicSeconds() - connectStart < 15 else {
            let connected = clients.filter(\.isConnected).count
            throw RatioError("only \(connected) of \(clients.count) clients connected in 15 s")
        }
        _ = poll(&pollDescriptors, nfds_t(pollDescriptors.count), 10)
        for client in clients {
            try client.readAvailable()
            try client.handleTimeout()
        }
    }
    let connectSeconds = monotonicSeconds() - connectStart

    guard let publisherKeys = clients[0].keys, publisherKeys.profile == .aeadAES128GCM else {
        throw RatioError("the publisher did not negotiate AEAD_AES_128_GCM: \(String(describing: clients[0].keys))")
    }
    let publisher = clients[0]
    let subscribers = clients.dropFirst()
    let table: RoutingTable
    do {
        table = try RoutingTable(
            tracks: [
                PublishedTrack(
                    id: 1,
                    publisher: publisher.participant,
                    kind: options.isVideo ? .video : .audio,
                    mediaSSRC: publisherSSRC,
                    payloadTypes: [payloadType]
                )
            ],
            subscriptions: subscribers.map {
                TrackSubscription(
                    subscriber: $0.participant,
                    track: 1,
                    mediaSSRC: 0x5EED_1000 &+ UInt32(truncatingIfNeeded: $0.participant.rawValue),
                    payloadTypes: [payloadType: payloadType]
                )
            }
        )
    } catch {
        throw RatioError("building the routing table: \(error)")
    }
    worker.submit(.installRouting(table))

    // The relay's side of every handshake completed before the client's (it sends the last
    // flight), but wait for its count, bounded, to be sure.
    let expected = UInt64(clients.count)
    let waitStart = monotonicSeconds()
    while counters[.transportsConnected] < expected {
        guard monotonicSeconds() - waitStart < 5 else {
            throw RatioError("the relay counts \(counters[.transportsConnected]) of \(expected) transports connected")
        }
        sleepSeconds(0.01)
    }
    sleepSeconds(0.05)
    for client in clients {
        client.close()
    }
    let connectMilliseconds = Int(connectSeconds * 1000)
    say(
        "connected \(clients.count) transports through ICE + DTLS over loopback in \(connectMilliseconds) ms, "
            + "profile \(publisherKeys.profile)"
    )
    say("ready \(hex(publisherKeys.local.masterKey + publisherKeys.local.masterSalt))")

    sleepSeconds(options.seconds)

    let statistics = worker.statistics
    say(
        "parley worker received \(statistics.received) sent \(statistics.sent) "
            + "send_dropped_would_block \(statistics.sendDroppedWouldBlock) send_errors \(statistics.sendErrors) "
            + "receive_errors \(statistics.receiveErrors)"
    )
    var line = "parley core"
    for counter in RelayCoreCounters.Counter.allCases where counters[counter] != 0 {
        line += " \(counter) \(counters[counter])"
    }
    say(line)
}

do {
    try run()
} catch {
    let message = Array("RatioParley: \(error)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}
