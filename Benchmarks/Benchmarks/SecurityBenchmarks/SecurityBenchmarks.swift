import Benchmark
import CSRTPBaseline
import RTCSecurity

/// SRTP through Parley's wrapper (`SRTPSession`) beside libsrtp2 called from a C loop on the same
/// packets with the same policy. Each measured iteration handles 1000 packets, so times and
/// allocation counts are per packet (the `*` columns). The wrapper adds nothing of its own when
/// its `mallocCountTotal` equals the C loop's (libsrtp's own allocations, about 5 per operation
/// with GCM on Debian's NSS build) and its time ratio to the C loop is near 1.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 200
    )
    guard LibSRTP.ensureInitialized() else {
        fatalError("libsrtp failed to initialise")
    }
    for profile in SRTPProfile.allCases {
        for size in [200, 1200] {
            let name = "\(profile).\(size)B"
            Benchmark("SRTP.protect.\(name).Parley") { benchmark in
                SRTPFixture.shared(profile, size).protectWithParley(benchmark)
            }
            Benchmark("SRTP.protect.\(name).C") { benchmark in
                SRTPFixture.shared(profile, size).protectWithC(benchmark)
            }
            Benchmark("SRTP.unprotect.\(name).Parley") { benchmark in
                SRTPFixture.shared(profile, size).unprotectWithParley(benchmark)
            }
            Benchmark("SRTP.unprotect.\(name).C") { benchmark in
                SRTPFixture.shared(profile, size).unprotectWithC(benchmark)
            }
        }
    }
}

/// Sessions and packet buffers for one profile and packet size, shared by its four benchmarks.
///
/// Each sample first lays out fresh packets outside the measurement (new sequence numbers, since
/// libsrtp refuses to protect or accept a sequence number twice), then measures only the SRTP
/// calls.
final class SRTPFixture: @unchecked Sendable {
    // The benchmark runner calls one benchmark at a time on one thread: nothing here is shared
    // between threads, which is what @unchecked Sendable relies on.
    nonisolated(unsafe) private static var fixtures: [String: SRTPFixture] = [:]

    static func shared(_ profile: SRTPProfile, _ size: Int) -> SRTPFixture {
        let key = "\(profile)-\(size)"
        if let fixture = self.fixtures[key] {
            return fixture
        }
        let fixture = SRTPFixture(profile: profile, size: size)
        self.fixtures[key] = fixture
        return fixture
    }

    let profile: SRTPProfile
    let size: Int
    let stride: Int
    let count = 1000
    private var sequence: UInt16 = 0
    private var packets: [[UInt8]]
    private var arena: [UInt8]
    private let material: SRTPKeyingMaterial
    private let parleyProtect: SRTPSession
    private let parleyUnprotect: SRTPSession
    /// Makes the protected packets the unprotect benchmarks consume.
    private let producer: SRTPSession
    private let cProtect: OpaquePointer
    private let cUnprotect: OpaquePointer

    init(profile: SRTPProfile, size: Int) {
        self.profile = profile
        self.size = size
        self.stride = size + SRTPProfile.maximumRTPTrailerLength
        self.packets = Array(repeating: [UInt8](repeating: 0xAB, count: self.stride), count: self.count)
        self.arena = [UInt8](repeating: 0xAB, count: self.stride * self.count)
        let keyBytes = (0..<profile.masterKeyLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        let saltBytes = (0..<profile.masterSaltLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        do {
            self.material = try SRTPKeyingMaterial(profile: profile, masterKey: keyBytes, masterSalt: saltBytes)
            self.parleyProtect = try SRTPSession(direction: .outbound, keyingMaterial: self.material)
            self.parleyUnprotect = try SRTPSession(direction: .inbound, keyingMaterial: self.material)
            self.producer = try SRTPSession(direction: .outbound, keyingMaterial: self.material)
        } catch {
            fatalError("cannot create SRTP sessions for \(profile): \(error)")
        }
        let keyAndSalt = keyBytes + saltBytes
        let id = Int32(profile.dtlsProtectionProfileID)
        guard let cProtect = csrtp_baseline_create(id, 0, keyAndSalt),
            let cUnprotect = csrtp_baseline_create(id, 1, keyAndSalt)
        else {
            fatalError("cannot create the C baseline's sessions for \(profile)")
        }
        self.cProtect = cProtect
        self.cUnprotect = cUnprotect
    }

    deinit {
        csrtp_baseline_destroy(self.cProtect)
        csrtp_baseline_destroy(self.cUnprotect)
    }

    /// Writes an RTP header (V=2, PT 111, the next sequence number, SSRC 0x11223344) at `offset`.
    private func writeHeader(into bytes: inout [UInt8], at offset: Int) {
        self.sequence &+= 1
        let timestamp = UInt32(self.sequence) &* 960
        let header: [UInt8] = [
            0x80, 111, UInt8(self.sequence >> 8), UInt8(truncatingIfNeeded: self.sequence),
            UInt8(timestamp >> 24), UInt8(truncatingIfNeeded: timestamp >> 16),
            UInt8(truncatingIfNeeded: timestamp >> 8), UInt8(truncatingIfNeeded: timestamp),
            0x11, 0x22, 0x33, 0x44,
        ]
        for index in 0..<header.count {
            bytes[offset + index] = header[index]
        }
    }

    private func layOutPlaintext() {
        for index in 0..<self.count {
            self.writeHeader(into: &self.packets[index], at: 0)
            self.writeHeader(into: &self.arena, at: index * self.stride)
        }
    }

    /// Fresh protected packets in both layouts (the same bytes for Parley and for C).
    private func layOutProtected() {
        for index in 0..<self.count {
            var packet = [UInt8](repeating: 0xAB, count: self.stride)
            self.writeHeader(into: &packet, at: 0)
            var span = packet.mutableSpan
            do {
                _ = try self.producer.protectRTP(&span, length: self.size)
            } catch {
                fatalError("producing protected packets failed: \(error)")
            }
            self.packets[index] = packet
            for byte in 0..<self.stride {
                self.arena[index * self.stride + byte] = packet[byte]
            }
        }
    }

    func protectWithParley(_ benchmark: Benchmark) {
        self.layOutPlaintext()
        let session = self.parleyProtect
        let size = self.size
        // A local array: a class property would add a dynamic exclusivity check per packet,
        // which is the harness's cost, not the wrapper's.
        var packets: [[UInt8]] = []
        swap(&packets, &self.packets)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            var span = packets[index].mutableSpan
            do {
                blackHole(try session.protectRTP(&span, length: size))
            } catch {
                fatalError("protect failed: \(error)")
            }
        }
        benchmark.stopMeasurement()
        swap(&packets, &self.packets)
    }

    func protectWithC(_ benchmark: Benchmark) {
        self.layOutPlaintext()
        let (session, stride, count, size) = (self.cProtect, self.stride, self.count, Int32(self.size))
        benchmark.startMeasurement()
        let status = self.arena.withUnsafeMutableBufferPointer { arena in
            csrtp_baseline_protect_rtp(session, arena.baseAddress, stride, count, size)
        }
        benchmark.stopMeasurement()
        precondition(status == 0, "C protect failed with libsrtp status \(status)")
    }

    func unprotectWithParley(_ benchmark: Benchmark) {
        self.layOutProtected()
        let session = self.parleyUnprotect
        let length = self.size + self.profile.rtpTrailerLength
        var packets: [[UInt8]] = []
        swap(&packets, &self.packets)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            var span = packets[index].mutableSpan
            do {
                blackHole(try session.unprotectRTP(&span, length: length))
            } catch {
                fatalError("unprotect failed: \(error)")
            }
        }
        benchmark.stopMeasurement()
        swap(&packets, &self.packets)
    }

    func unprotectWithC(_ benchmark: Benchmark) {
        self.layOutProtected()
        let (session, stride, count) = (self.cUnprotect, self.stride, self.count)
        let length = Int32(self.size + self.profile.rtpTrailerLength)
        benchmark.startMeasurement()
        let status = self.arena.withUnsafeMutableBufferPointer { arena in
            csrtp_baseline_unprotect_rtp(session, arena.baseAddress, stride, count, length)
        }
        benchmark.stopMeasurement()
        precondition(status == 0, "C unprotect failed with libsrtp status \(status)")
    }
}
