/// An ICE candidate (RFC 8839 section 5.1): the value of an `a=candidate` attribute, or of a
/// trickled candidate string.
///
/// `a=candidate:2999745851 1 udp 2122260223 127.0.0.1 47631 typ host generation 0 network-id 1`
/// parses to foundation `2999745851`, component 1, ``Transport/udp``, priority 2122260223, address
/// `127.0.0.1`, port 47631, ``CandidateType/host`` and two ``extensions``. The related address and
/// port (`raddr`, `rport`) and the TCP type (`tcptype`) are typed wherever they appear after `typ`;
/// every other extension pair is kept in order. They are written in the canonical order
/// `raddr`, `rport`, `tcptype`, then the extensions.
///
/// Use ``init(parsing:)`` for a trickled candidate from signaling (with or without its
/// `candidate:` prefix) and ``candidateString`` to send one.
public struct SDPCandidate: Sendable, Hashable {
    /// The transport protocol of a candidate.
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        /// UDP; written `udp` (`UDP` is also accepted).
        case udp
        /// TCP (RFC 6544); written `tcp`.
        case tcp
    }

    /// How a candidate address was learnt.
    public enum CandidateType: String, Sendable, Hashable, CaseIterable {
        /// An address of a local interface.
        case host
        /// A server-reflexive address, learnt from a STUN server.
        case srflx
        /// A peer-reflexive address, learnt from a connectivity check.
        case prflx
        /// A relayed address on a TURN server.
        case relay
    }

    /// The role of a TCP candidate (RFC 6544).
    public enum TCPType: String, Sendable, Hashable, CaseIterable {
        /// The endpoint opens the connection (browsers offer `active` candidates on port 9).
        case active
        /// The endpoint accepts the connection.
        case passive
        /// Simultaneous open.
        case so
    }

    /// An extension pair after the candidate type, such as `generation 0` or `network-cost 50`.
    public struct Extension: Sendable, Hashable {
        /// The extension name.
        public var name: String
        /// The extension value.
        public var value: String

        /// Makes an extension pair; neither part may contain a space.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The foundation: 1-32 ICE characters grouping similar candidates.
    public var foundation: String
    /// The component ID, 1-256: 1 for RTP (and for everything, with rtcp-mux), 2 for RTCP.
    public var component: UInt16
    /// The transport protocol.
    public var transport: Transport
    /// The candidate priority.
    public var priority: UInt32
    /// The address: an IPv4 or IPv6 address, or a name (browsers may hide addresses behind mDNS
    /// `.local` names).
    public var address: String
    /// The port (9, the discard port, for active TCP candidates).
    public var port: UInt16
    /// How the address was learnt.
    public var type: CandidateType
    /// The related address (`raddr`), for reflexive and relayed candidates.
    public var relatedAddress: String?
    /// The related port (`rport`).
    public var relatedPort: UInt16?
    /// The TCP candidate type (`tcptype`).
    public var tcpType: TCPType?
    /// Other extension pairs, in order.
    public var extensions: [Extension]

    /// Makes a candidate; the defaults describe a UDP host candidate for component 1.
    public init(
        foundation: String,
        component: UInt16 = 1,
        transport: Transport = .udp,
        priority: UInt32,
        address: String,
        port: UInt16,
        type: CandidateType = .host,
        relatedAddress: String? = nil,
        relatedPort: UInt16? = nil,
        tcpType: TCPType? = nil,
        extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.extensions = extensions
    }

    /// The value of the first extension called `name`, or nil.
    public func extensionValue(_ name: String) -> String? {
        self.extensions.first { $0.name == name }?.value
    }

    /// Parses a candidate string as trickle ICE sends it: `candidate:...` (the form of
    /// `RTCIceCandidate.candidate`), `a=candidate:...`, or the attribute value alone, with or
    /// without a final line ending.
    ///
    /// - Throws: ``WireError`` with code ``WireError/Code/syntax`` and offset 1 when the text is not
    ///   a candidate, or ``WireError/Code/tooLarge`` when it is longer than 4 KiB.
    public init(parsing text: String) throws(WireError) {
        guard text.utf8.count <= 4_096 else {
            throw WireError(.tooLarge, "candidate longer than 4 KiB", offset: 1)
        }
        var bytes = ArraySlice(text.utf8)
        // Signaling messages may keep the line ending of the SDP the candidate came from.
        while let last = bytes.last, last == 0x0A || last == 0x0D {
            bytes = bytes.dropLast()
        }
        bytes = SDPText.trimmed(bytes)
        for prefix: StaticString in ["a=", "candidate:"] {
            let length = prefix.utf8CodeUnitCount
            if bytes.count >= length, SDPText.equals(bytes.prefix(length), prefix) {
                bytes = bytes.dropFirst(length)
            }
        }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
            throw WireError(.syntax, "a=candidate holds a control character", offset: 1)
        }
        try self.init(sdpValue: bytes, line: 1)
    }

    /// The candidate as trickle ICE sends it: `candidate:` followed by the attribute value.
    public var candidateString: String {
        var writer = SDPWriter(bytes: [])
        writer.raw("candidate:")
        self.writeValue(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension SDPCandidate {
    /// Parses the value of `a=candidate`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count >= 8, SDPText.equals(fields[6], "typ") else {
            throw WireError(
                .syntax,
                "a=candidate is not <foundation> <component> <transport> <priority> <address> <port> typ <type>",
                offset: line
            )
        }
        guard fields[0].count <= 32, SDPText.isICEChars(fields[0]) else {
            throw WireError(.syntax, "a=candidate foundation is not 1-32 ICE characters", offset: line)
        }
        guard let component = SDPText.decimal(fields[1], as: UInt16.self), (1...256).contains(component) else {
            throw WireError(.syntax, "a=candidate component is not a number in 1-256", offset: line)
        }
        guard let transport = Transport(rawValue: SDPText.string(fields[2]).lowercased()) else {
            throw WireError(.syntax, "a=candidate transport is not udp or tcp", offset: line)
        }
        guard let priority = SDPText.decimal(fields[3], as: UInt32.self) else {
            throw WireError(.syntax, "a=candidate priority is not a 32-bit number", offset: line)
        }
        guard let port = SDPText.decimal(fields[5], as: UInt16.self) else {
            throw WireError(.syntax, "a=candidate port is not a number in 0-65535", offset: line)
        }
        guard let type = CandidateType(rawValue: SDPText.string(fields[7])) else {
            throw WireError(.syntax, "a=candidate type is not host, srflx, prflx or relay", offset: line)
        }
        self.init(
            foundation: SDPText.string(fields[0]),
            component: component,
            transport: transport,
            priority: priority,
            address: SDPText.string(fields[4]),
            port: port,
            type: type
        )
        var index = 8
        while index < fields.count {
            guard index + 1 < fields.count else {
                throw WireError(.syntax, "a=candidate extension has no value", offset: line)
            }
            let name = fields[index]
            let value = fields[index + 1]
            index += 2
            if SDPText.equals(name, "raddr") {
                guard self.relatedAddress == nil else {
                    throw WireError(.syntax, "a=candidate has two raddr", offset: line)
                }
                self.relatedAddress = SDPText.string(value)
            } else if SDPText.equals(name, "rport") {
                guard self.relatedPort == nil, let relatedPort = SDPText.decimal(value, as: UInt16.self) else {
                    throw WireError(.syntax, "a=candidate rport is not one number in 0-65535", offset: line)
                }
                self.relatedPort = relatedPort
            } else if SDPText.equals(name, "tcptype") {
                guard self.tcpType == nil, let tcpType = TCPType(rawValue: SDPText.string(value)) else {
                    throw WireError(.syntax, "a=candidate tcptype is not one of active, passive, so", offset: line)
                }
                self.tcpType = tcpType
            } else {
                self.extensions.append(Extension(name: SDPText.string(name), value: SDPText.string(value)))
            }
        }
    }

    /// Writes the attribute value.
    func writeValue(to writer: inout SDPWriter) {
        writer.text(self.foundation)
        writer.space()
        writer.decimal(UInt64(self.component))
        writer.space()
        writer.text(self.transport.rawValue)
        writer.space()
        writer.decimal(UInt64(self.priority))
        writer.space()
        writer.text(self.address)
        writer.space()
        writer.decimal(UInt64(self.port))
        writer.raw(" typ ")
        writer.text(self.type.rawValue)
        if let relatedAddress = self.relatedAddress {
            writer.raw(" raddr ")
            writer.text(relatedAddress)
        }
        if let relatedPort = self.relatedPort {
            writer.raw(" rport ")
            writer.decimal(UInt64(relatedPort))
        }
        if let tcpType = self.tcpType {
            writer.raw(" tcptype ")
            writer.text(tcpType.rawValue)
        }
        for candidateExtension in self.extensions {
            writer.space()
            writer.text(candidateExtension.name)
            writer.space()
            writer.text(candidateExtension.value)
        }
    }

    /// Writes the whole `a=candidate` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("candidate")
        self.writeValue(to: &writer)
        writer.endLine()
    }
}
