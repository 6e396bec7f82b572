public import MediaRelay
public import RTCWire

// Driving the in-memory core at chosen times: the RTCP report tests need packets that arrive
// at given instants, the publisher's own RTCP, timers that fire later than `now`, and commands
// after the clients connected.

extension RelayCoreHarness {
    /// One datagram the core produced: a copy of its bytes and where it was going.
    public struct SentDatagram {
        /// The datagram as the core would send it (protected, for SRTP and SRTCP).
        public let bytes: [UInt8]
        /// Its destination (a client's address).
        public let destination: RelayAddress
    }

    /// The core's earliest timer deadline (transport timers and the relay's RTCP reports).
    public var nextDeadline: RelayTime? {
        self.core.nextDeadline
    }

    /// Runs the core's timers at `time` (the relay's reports go out when due).
    ///
    /// - Returns: what the core sent, in order.
    public func fireTimers(at time: RelayTime) -> [SentDatagram] {
        self.batch.removeAll()
        self.core.timersFired(now: time, send: &self.batch)
        return self.takeSent()
    }

    /// Hands `datagram` (already protected, for SRTP or SRTCP) to the core as if it arrived
    /// from `client` at `time`.
    ///
    /// - Returns: what the core sent in response (forwarded copies, feedback).
    public func deliver(_ datagram: [UInt8], from client: RelayTestClient, at time: RelayTime) -> [SentDatagram] {
        self.batch.removeAll()
        var buffer = datagram
        var span = buffer.mutableSpan
        self.core.handle(datagram: &span, length: datagram.count, from: client.address, now: time, send: &self.batch)
        return self.takeSent()
    }

    /// Applies a control command to the core at `time` (a transport that never connects, a
    /// removal).
    ///
    /// - Returns: what the core sent (a DTLS `close_notify` for a removed connected transport).
    public func apply(_ command: RelayCore.Command, at time: RelayTime) -> [SentDatagram] {
        self.batch.removeAll()
        self.core.apply(command, now: time, send: &self.batch)
        return self.takeSent()
    }

    /// A plain RTP packet of the publisher's track: version 2, payload type 111, its SSRC,
    /// `sequence` and `timestamp`, and `payloadSize` payload bytes derived from the sequence
    /// number (``payloadByte(sequence:index:)``).
    public static func publisherPacket(sequence: UInt16, timestamp: UInt32, payloadSize: Int = 160) -> [UInt8] {
        var packet: [UInt8] = [0x80, 111, UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
        for shift in [UInt32(24), 16, 8, 0] {
            packet.append(UInt8(truncatingIfNeeded: timestamp >> shift))
        }
        for shift in [UInt32(24), 16, 8, 0] {
            packet.append(UInt8(truncatingIfNeeded: Self.publisherSSRC >> shift))
        }
        for index in 0..<max(0, payloadSize) {
            packet.append(Self.payloadByte(sequence: sequence, index: 12 + index))
        }
        return packet
    }

    /// Protects ``publisherPacket(sequence:timestamp:payloadSize:)`` with the publisher's keys
    /// and delivers it at `time`.
    ///
    /// - Returns: the copies the core forwarded (one per connected subscriber).
    /// - Throws: ``RelayCoreHarnessError`` or ``SRTPError`` if the publisher cannot protect it.
    public func publish(
        sequence: UInt16,
        timestamp: UInt32,
        payloadSize: Int = 160,
        at time: RelayTime
    ) throws -> [SentDatagram] {
        let plain = Self.publisherPacket(sequence: sequence, timestamp: timestamp, payloadSize: payloadSize)
        return self.deliver(try self.publisher.protectRTP(plain), from: self.publisher, at: time)
    }

    /// The RTCP compounds among `sent` that went to `client`, decrypted with its keys and
    /// parsed, in order (RTP and anything else is skipped).
    ///
    /// - Throws: ``SRTPError`` for a compound that does not authenticate, ``WireError`` for
    ///   one that does not parse.
    public func rtcpCompounds(in sent: [SentDatagram], to client: RelayTestClient) throws -> [RTCPCompound] {
        var compounds: [RTCPCompound] = []
        for datagram in sent where datagram.destination == client.address {
            guard PacketClass(classifying: datagram.bytes.span) == .rtcp else { continue }
            let plain = try client.unprotectRTCP(datagram.bytes)
            compounds.append(try RTCPCompound(parsing: plain))
        }
        return compounds
    }

    /// Copies what the batch holds, and empties it.
    private func takeSent() -> [SentDatagram] {
        var sent: [SentDatagram] = []
        for index in 0..<self.batch.count {
            let (bytes, destination) = self.output(at: index)
            sent.append(SentDatagram(bytes: bytes, destination: destination))
        }
        self.batch.removeAll()
        return sent
    }
}
