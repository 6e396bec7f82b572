import MediaRelay
import RTCSecurity
import RTCWire
import Testing

@Suite("Transport demux: RFC 7983 classes to the responder or the bound transport")
struct TransportDemuxTests {
    static let bound = RelayAddress(ipv4: 0x7F00_0001, port: 40_000)
    static let stranger = RelayAddress(ipv6High: 0xFE80_0000_0000_0000, low: 1, port: 40_000)
    static let id = TransportID(3)

    @Test("STUN goes to the responder from anywhere; DTLS, RTP and RTCP only from a bound tuple")
    func routes() {
        var demux = TransportDemux(capacity: 4)
        #expect(demux.bind(Self.bound, to: Self.id) == true)
        let stun: [UInt8] = [0x00, 0x01, 0x00, 0x00]
        let dtls: [UInt8] = [22, 0xFE, 0xFD]
        let rtp: [UInt8] = [0x80, 111, 0, 1]
        let rtcp: [UInt8] = [0x80, 200, 0, 6]
        #expect(demux.route(stun, from: Self.stranger) == .stun)
        #expect(demux.route(stun, from: Self.bound) == .stun)
        #expect(demux.route(dtls, from: Self.bound) == .dtls(Self.id))
        #expect(demux.route(rtp, from: Self.bound) == .rtp(Self.id))
        #expect(demux.route(rtcp, from: Self.bound) == .rtcp(Self.id))
        for datagram in [dtls, rtp, rtcp] {
            #expect(demux.route(datagram, from: Self.stranger) == .drop(.unboundTuple))
        }
        // The same IP on another port is another tuple.
        let otherPort = RelayAddress(ipv4: 0x7F00_0001, port: 40_001)
        #expect(demux.route(rtp, from: otherPort) == .drop(.unboundTuple))
        #expect(demux.drops(.unboundTuple) == 4)
        // Unknown first bytes, empty, and oversize datagrams.
        for datagram: [UInt8] in [[], [4], [16], [64], [79], [127], [192], [255], [0x80]] {
            #expect(demux.route(datagram, from: Self.bound) == .drop(.unknownClass))
        }
        #expect(demux.route([UInt8](repeating: 0, count: 1_501), from: Self.bound) == .drop(.tooLarge))
        #expect(demux.route([UInt8](repeating: 0, count: 1_500), from: Self.bound) == .stun)
        #expect(demux.drops(.unknownClass) == 9)
        #expect(demux.drops(.tooLarge) == 1)
    }

    @Test("the table never holds more than its capacity")
    func capacity() {
        var demux = TransportDemux(capacity: 3)
        for index in 0..<3 {
            #expect(demux.bind(RelayAddress(ipv4: UInt32(index), port: 1), to: TransportID(UInt64(index))) == true)
        }
        #expect(demux.bind(RelayAddress(ipv4: 99, port: 1), to: TransportID(99)) == false)
        #expect(demux.count == 3)
        // Rebinding a tuple already in the table is allowed.
        #expect(demux.bind(RelayAddress(ipv4: 0, port: 1), to: TransportID(5)) == true)
        #expect(demux.transport(for: RelayAddress(ipv4: 0, port: 1)) == TransportID(5))
        // Unbinding checks the owner.
        demux.unbind(RelayAddress(ipv4: 1, port: 1), from: TransportID(7))
        #expect(demux.count == 3)
        demux.unbind(RelayAddress(ipv4: 1, port: 1), from: TransportID(1))
        #expect(demux.count == 2)
        #expect(demux.bind(RelayAddress(ipv4: 99, port: 1), to: TransportID(99)) == true)
        #expect(demux.count == 3)
        #expect(TransportDemux(capacity: 0).capacity == 1)
    }

    @Test("transport events keep the table in step")
    func applyEvents() {
        var demux = TransportDemux(capacity: 2)
        let other = RelayAddress(ipv4: 0x0A00_0001, port: 5)
        func output(_ events: [TransportEvent]) -> TransportOutput {
            var output = TransportOutput()
            output.events = events
            return output
        }
        #expect(demux.apply(output([.bound(Self.bound)]), for: Self.id) == true)
        #expect(demux.transport(for: Self.bound) == Self.id)
        #expect(
            demux.apply(output([.switched(from: Self.bound, to: other), .connected(.aeadAES128GCM)]), for: Self.id)
                == true
        )
        #expect(demux.transport(for: Self.bound) == nil)
        #expect(demux.transport(for: other) == Self.id)
        #expect(demux.apply(output([.bound(Self.stranger)]), for: TransportID(4)) == true)
        // Full: a third tuple cannot be bound and the caller is told.
        #expect(demux.apply(output([.bound(RelayAddress(ipv4: 1, port: 1))]), for: TransportID(5)) == false)
        #expect(demux.apply(output([.consentExpired, .closed(.consentExpired)]), for: Self.id) == true)
        #expect(demux.transport(for: other) == nil)
        #expect(demux.count == 1)
        demux.unbindAll(TransportID(4))
        #expect(demux.count == 0)
    }
}
