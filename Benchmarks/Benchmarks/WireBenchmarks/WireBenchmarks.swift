import Benchmark
import RTCWire

/// Parsing, rewriting and serialising Parley's wire formats. Each measured iteration handles 1000
/// packets, so the `*` columns are per packet. CI gates on `mallocCountTotal` (checked against
/// `Benchmarks/Thresholds`); times are reported, never gated. The RTP rows are the relay's
/// per-packet work and must stay at 0 allocations. Benchmark names have no spaces: the threshold
/// files are named after them, and ordo-one/benchmark 1.38.1 writes a space as `_` but looks it
/// up as a space.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 1_000
    )

    Benchmark("Demux.classify") { benchmark in
        let datagrams = WirePackets.datagrams
        for index in benchmark.scaledIterations {
            let datagram = datagrams[index % datagrams.count]
            blackHole(PacketClass(classifying: datagram.span))
        }
    }

    Benchmark("RTP.parseHeaderWithThreeExtensions") { benchmark in
        let packet = WirePackets.chromiumOpus
        for _ in benchmark.scaledIterations {
            blackHole(try? RTPHeader(parsing: packet.span))
        }
    }

    Benchmark("RTP.parseThenReadAudioLevel") { benchmark in
        let packet = WirePackets.chromiumOpus
        for _ in benchmark.scaledIterations {
            let span = packet.span
            guard let header = try? RTPHeader(parsing: span) else { fatalError("RTP fixture does not parse") }
            blackHole(try? header.audioLevel(id: 1, in: span))
        }
    }

    Benchmark("RTP.rewriteInPlace") { benchmark in
        var packet = WirePackets.chromiumOpus
        packet[0] = 0x90  // the first write copies the shared array: do it before measuring
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            var span = packet.mutableSpan
            guard var header = try? RTPHeader(parsing: span.span) else { fatalError("RTP fixture does not parse") }
            header.setSSRC(0xCAFE_BABE, in: &span)
            header.setSequenceNumber(UInt16(truncatingIfNeeded: index), in: &span)
            header.setTimestamp(UInt32(truncatingIfNeeded: index) &* 960, in: &span)
            header.setPayloadType(111, in: &span)
            // Publisher ids 1, 2, 3 become the subscriber's 1, 3, 2: the maps only swap, so the
            // packet is the same shape for the next round.
            try? header.translateExtensionIDs(in: &span) { id in id == 1 ? 1 : (id == 2 ? 3 : 2) }
            blackHole(header)
        }
    }

    Benchmark("RTCP.parseSenderReportCompound") { benchmark in
        let packet = WirePackets.senderReportCompound
        for _ in benchmark.scaledIterations {
            blackHole(try? RTCPCompound(parsing: packet.span))
        }
    }

    Benchmark("RTCP.serializeSenderReportCompound") { benchmark in
        guard let compound = try? RTCPCompound(parsing: WirePackets.senderReportCompound.span) else {
            fatalError("RTCP fixture does not parse")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1500)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            buffer.removeAll(keepingCapacity: true)
            try? compound.serialize(into: &buffer)
            blackHole(buffer.count)
        }
    }

    Benchmark("STUN.parseBindingRequest") { benchmark in
        let packet = WirePackets.bindingRequest
        for _ in benchmark.scaledIterations {
            blackHole(try? STUNMessage(parsing: packet.span))
        }
    }

    Benchmark("STUN.buildBindingSuccessResponse") { benchmark in
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1500)
        let address = STUNAddress(ipv4: 127, 0, 0, 1, port: 50_000)
        let transaction = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            buffer.removeAll(keepingCapacity: true)
            guard
                let writer = try? STUNMessageWriter.bindingSuccessResponse(
                    transactionID: transaction,
                    mappedAddress: address,
                    appendingTo: &buffer
                )
            else { fatalError("STUN response does not build") }
            _ = try? writer.reserveMessageIntegrity(in: &buffer)
            try? writer.appendFingerprint(to: &buffer)
            blackHole(buffer.count)
        }
    }
}

/// Real packets, as browsers and the RFCs lay them out.
enum WirePackets {
    /// Chromium Opus: audio level (id 1), abs-send-time (id 2), transport-cc (id 3), one-byte form.
    static let chromiumOpus: [UInt8] = {
        var bytes: [UInt8] = [0x90, 111, 0x10, 0x92, 0x00, 0x01, 0x77, 0x00, 0x12, 0x34, 0xAB, 0xCD]
        bytes += [0xBE, 0xDE, 0x00, 0x03]
        bytes += [0x10, 0x80 | 30, 0x22, 0x12, 0x34, 0x56, 0x31, 0x00, 0x2A, 0x00, 0x00, 0x00]
        bytes += (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        return bytes
    }()

    /// SR with one report block, then SDES with a CNAME (RFC 3550 sections 6.4.1 and 6.5).
    static let senderReportCompound: [UInt8] = [
        0x81, 0xC8, 0x00, 0x0C, 0x11, 0x22, 0x33, 0x44, 0xE8, 0xD4, 0xA5, 0x10, 0x80, 0x00, 0x00, 0x00,
        0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x3E, 0x80,
        0x55, 0x66, 0x77, 0x88, 0x03, 0x00, 0x00, 0x02, 0x00, 0x01, 0x12, 0x34, 0x00, 0x00, 0x00, 0x14,
        0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x01, 0x00, 0x00,
        0x81, 0xCA, 0x00, 0x04, 0x11, 0x22, 0x33, 0x44, 0x01, 0x09, 0x75, 0x73, 0x65, 0x72, 0x40, 0x68,
        0x6F, 0x73, 0x74, 0x00,
    ]

    /// An ICE connectivity check as Chromium sends one (RFC 5769 section 2.1's sample request).
    static let bindingRequest: [UInt8] = [
        0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xA4, 0x42, 0xB7, 0xE7, 0xA7, 0x01, 0xBC, 0x34, 0xD6, 0x86,
        0xFA, 0x87, 0xDF, 0xAE, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4E, 0x20, 0x74, 0x65, 0x73,
        0x74, 0x20, 0x63, 0x6C, 0x69, 0x65, 0x6E, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6E, 0x00, 0x01, 0xFF,
        0x80, 0x29, 0x00, 0x08, 0x93, 0x2F, 0xF9, 0xB1, 0x51, 0x26, 0x3B, 0x36, 0x00, 0x06, 0x00, 0x09,
        0x65, 0x76, 0x74, 0x6A, 0x3A, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
        0x9A, 0xEA, 0xA7, 0x0C, 0xBF, 0xD8, 0xCB, 0x56, 0x78, 0x1E, 0xF2, 0xB5, 0xB2, 0xD3, 0xF2, 0x49,
        0xC1, 0xB5, 0x71, 0xA2, 0x80, 0x28, 0x00, 0x04, 0xE5, 0x7A, 0x3B, 0xCF,
    ]

    static let datagrams: [[UInt8]] = [bindingRequest, [0x16, 0xFE, 0xFD], chromiumOpus, senderReportCompound]
}
