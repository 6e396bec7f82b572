import RTCWire

/// The first step for every datagram on a media port: classify it (RFC 7983, RTCWire's
/// ``PacketClass``) and say who handles it: STUN goes to the ``ICELiteResponder`` whatever its
/// source, DTLS/RTP/RTCP to the transport bound to the source tuple, and everything else is
/// dropped and counted.
///
/// The tuple table holds only tuples that passed an authenticated Binding request (the owner
/// keeps it in step with each transport's ``TransportEvent``s through ``apply(_:for:)``), and
/// never more than ``capacity`` of them, so unauthenticated senders cannot grow it. It is
/// allocated for its capacity at creation and never rehashes.
///
/// Not thread-safe: one per worker.
public struct TransportDemux: Sendable {
    /// Where a datagram goes.
    public enum Route: Hashable, Sendable {
        /// A STUN message: give it to the ICE responder.
        case stun
        /// A DTLS record from a bound tuple: give it to that transport's
        /// ``Transport/handleDTLS(_:from:now:)``.
        case dtls(TransportID)
        /// RTP from a bound tuple: give it to that transport's
        /// ``Transport/unprotectRTP(_:length:from:)``.
        case rtp(TransportID)
        /// RTCP from a bound tuple: give it to ``Transport/unprotectRTCP(_:length:from:)``.
        case rtcp(TransportID)
        /// Dropped (and counted).
        case drop(DropReason)
    }

    /// Why the demultiplexer dropped a datagram.
    public enum DropReason: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Larger than ``RelayLimits/maximumDatagramSize``: dropped before anything reads it.
        case tooLarge
        /// Not STUN, DTLS, RTP or RTCP by its first bytes (including empty datagrams).
        case unknownClass
        /// DTLS, RTP or RTCP from a tuple no transport is bound to. Never an invitation to
        /// learn the address: only STUN can bind a tuple.
        case unboundTuple

        /// The case's name, as it appears in logs and metrics.
        public var description: String {
            switch self {
            case .tooLarge: return "tooLarge"
            case .unknownClass: return "unknownClass"
            case .unboundTuple: return "unboundTuple"
            }
        }
    }

    /// The most tuples the table holds: the most transports the worker will run.
    public let capacity: Int
    /// The largest datagram routed.
    public let maximumDatagramSize: Int

    private var table: [RelayAddress: TransportID]
    // One count per DropReason case, indexed by its raw value; allocated once.
    private var dropCounts = [UInt64](repeating: 0, count: DropReason.allCases.count)

    /// An empty table for at most `capacity` tuples (at least 1).
    public init(capacity: Int, limits: RelayLimits = RelayLimits()) {
        self.capacity = max(1, capacity)
        self.maximumDatagramSize = limits.maximumDatagramSize
        self.table = Dictionary(minimumCapacity: self.capacity)
    }

    /// How many tuples are bound.
    public var count: Int {
        self.table.count
    }

    /// How many datagrams were dropped for `reason`.
    public func drops(_ reason: DropReason) -> UInt64 {
        self.dropCounts[Int(reason.rawValue)]
    }

    /// The transport bound to `address`, if any.
    public func transport(for address: RelayAddress) -> TransportID? {
        self.table[address]
    }

    /// Routes one datagram by its first bytes and its source. Reads at most two bytes.
    public mutating func route(_ datagram: Span<UInt8>, from source: RelayAddress) -> Route {
        guard datagram.count <= self.maximumDatagramSize else { return self.drop(.tooLarge) }
        let packetClass = PacketClass(classifying: datagram)
        switch packetClass {
        case .stun:
            return .stun
        case .unknown:
            return self.drop(.unknownClass)
        case .dtls, .rtp, .rtcp:
            guard let transport = self.table[source] else { return self.drop(.unboundTuple) }
            switch packetClass {
            case .dtls: return .dtls(transport)
            case .rtp: return .rtp(transport)
            default: return .rtcp(transport)
            }
        }
    }

    /// Convenience for tests and tools: ``route(_:from:)`` over an array.
    public mutating func route(_ datagram: [UInt8], from source: RelayAddress) -> Route {
        self.route(datagram.span, from: source)
    }

    /// Binds `address` to `transport` (replacing whatever it was bound to).
    ///
    /// - Returns: `false`, changing nothing, when the table is full and `address` is new: the
    ///   caller should then close the transport rather than leave it unreachable.
    @discardableResult
    public mutating func bind(_ address: RelayAddress, to transport: TransportID) -> Bool {
        guard self.table[address] != nil || self.table.count < self.capacity else { return false }
        self.table[address] = transport
        return true
    }

    /// Unbinds `address` if it is bound to `transport`.
    public mutating func unbind(_ address: RelayAddress, from transport: TransportID) {
        if self.table[address] == transport {
            self.table[address] = nil
        }
    }

    /// Unbinds every tuple of `transport` (scans the table: for closing, not per packet).
    public mutating func unbindAll(_ transport: TransportID) {
        let addresses = self.table.compactMap { $0.value == transport ? $0.key : nil }
        for address in addresses {
            self.table[address] = nil
        }
    }

    /// Keeps the table in step with a transport: binds on ``TransportEvent/bound(_:)``, moves on
    /// ``TransportEvent/switched(from:to:)``, unbinds on ``TransportEvent/closed(_:)``.
    ///
    /// - Returns: `false` if a tuple could not be bound because the table is full (the caller
    ///   should close the transport); `true` otherwise.
    @discardableResult
    public mutating func apply(_ output: TransportOutput, for transport: TransportID) -> Bool {
        var ok = true
        for event in output.events {
            switch event {
            case .bound(let address):
                ok = self.bind(address, to: transport) && ok
            case .switched(let from, let to):
                self.unbind(from, from: transport)
                ok = self.bind(to, to: transport) && ok
            case .closed:
                self.unbindAll(transport)
            case .connected, .consentExpired:
                break
            }
        }
        return ok
    }

    private mutating func drop(_ reason: DropReason) -> Route {
        self.dropCounts[Int(reason.rawValue)] &+= 1
        return .drop(reason)
    }
}
