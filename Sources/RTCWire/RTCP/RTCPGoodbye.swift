/// A BYE packet (RFC 3550 section 6.6, PT 203): the listed sources are leaving, optionally with a
/// reason.
///
/// A BYE is only a claim: the relay must act on it only for SSRCs the sending participant owns
/// (SECURITY.md, "RTCP BYE / feedback floods").
public struct RTCPGoodbye: Hashable, Sendable {
    /// The SSRC/CSRCs leaving; at most 31 per packet (serialising more throws
    /// ``WireError/Code/tooMany``).
    public var ssrcs: [UInt32]
    /// The reason for leaving, UTF-8 text of at most 255 bytes, or nil when absent. An empty array
    /// is a present, empty reason (a zero length octet on the wire).
    public var reason: [UInt8]?

    /// Makes a BYE from raw reason bytes.
    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    /// Makes a BYE with a text reason.
    public init(ssrcs: [UInt32], reasonText: String) {
        self.ssrcs = ssrcs
        self.reason = Array(reasonText.utf8)
    }

    /// The reason decoded as UTF-8, or nil when absent.
    public var reasonText: String? {
        self.reason.map { String(decoding: $0, as: UTF8.self) }
    }
}

extension RTCPGoodbye {
    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>, count: UInt8) throws(WireError) {
        let listSize = Int(count) * 4
        guard body.count >= listSize else {
            throw WireError(.truncated, "RTCP BYE source count larger than the packet", offset: body.count)
        }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            ssrcs.append(body.uint32(at: index &* 4))
        }
        var reason: [UInt8]? = nil
        if listSize < body.count {
            let length = Int(body[listSize])
            let reasonStart = listSize &+ 1
            guard body.count &- reasonStart >= length else {
                throw WireError(.truncated, "RTCP BYE reason", offset: reasonStart)
            }
            reason = body.rtcpCopy(reasonStart..<reasonStart &+ length)
            // Only null octets up to the next 32-bit boundary may follow (fewer when RTCP padding
            // removed from the end of the packet cut them short).
            let reasonEnd = reasonStart &+ length
            guard body.count <= (reasonEnd &+ 3) & ~3 else {
                throw WireError(.invalidLength, "RTCP BYE bytes after the reason", offset: reasonEnd)
            }
        }
        self.init(ssrcs: ssrcs, reason: reason)
    }

    /// Appends the body and returns the header's count field (the number of sources).
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.ssrcs.count <= 31 else {
            throw WireError(.tooMany, "RTCP BYE sources (at most 31)")
        }
        let start = bytes.count
        for ssrc in self.ssrcs {
            bytes.appendUInt32(ssrc)
        }
        if let reason = self.reason {
            guard reason.count <= 255 else {
                throw WireError(.tooLarge, "RTCP BYE reason (at most 255 bytes)")
            }
            bytes.append(UInt8(reason.count))
            bytes.append(contentsOf: reason)
            bytes.rtcpAlign(from: start)
        }
        return UInt8(self.ssrcs.count)
    }
}
