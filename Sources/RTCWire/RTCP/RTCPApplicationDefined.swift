/// An APP packet (RFC 3550 section 6.7, PT 204): an application's own data, named by four ASCII
/// characters.
///
/// Parley does not act on APP packets; they are parsed so a compound that carries one is not
/// rejected and can be forwarded or logged.
public struct RTCPApplicationDefined: Hashable, Sendable {
    /// The 5-bit subtype carried in the header's count field (0...31; serialising more throws
    /// ``WireError/Code/invalidValue``).
    public var subtype: UInt8
    /// SSRC/CSRC of the sender.
    public var ssrc: UInt32
    /// The four-character name, big-endian: `"TEST"` is `0x5445_5354`.
    public var name: UInt32
    /// Application-dependent data; a multiple of four bytes (RFC 3550 section 6.7), otherwise
    /// parsing and serialising throw ``WireError/Code/invalidLength``.
    public var data: [UInt8]

    /// Makes an APP packet.
    public init(subtype: UInt8, ssrc: UInt32, name: UInt32, data: [UInt8] = []) {
        self.subtype = subtype
        self.ssrc = ssrc
        self.name = name
        self.data = data
    }

    /// The name's four bytes as text (non-ASCII bytes become U+FFFD).
    public var nameText: String {
        let bytes = [
            UInt8(truncatingIfNeeded: self.name &>> 24), UInt8(truncatingIfNeeded: self.name &>> 16),
            UInt8(truncatingIfNeeded: self.name &>> 8), UInt8(truncatingIfNeeded: self.name),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension RTCPApplicationDefined {
    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>, count: UInt8) throws(WireError) {
        guard body.count >= 8 else {
            throw WireError(.truncated, "RTCP APP SSRC and name", offset: body.count)
        }
        guard body.count % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP APP data not 32-bit aligned", offset: body.count)
        }
        self.init(
            subtype: count,
            ssrc: body.uint32(at: 0),
            name: body.uint32(at: 4),
            data: body.rtcpCopy(8..<body.count)
        )
    }

    /// Appends the body and returns the header's count field (the subtype).
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.subtype <= 31 else {
            throw WireError(.invalidValue, "RTCP APP subtype (at most 31)")
        }
        guard self.data.count % 4 == 0 else {
            throw WireError(.invalidLength, "RTCP APP data not 32-bit aligned")
        }
        bytes.appendUInt32(self.ssrc)
        bytes.appendUInt32(self.name)
        bytes.append(contentsOf: self.data)
        return self.subtype
    }
}
