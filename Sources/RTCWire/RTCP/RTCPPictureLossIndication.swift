/// A PLI (RFC 4585 section 6.3.1, PSFB with FMT 1): the receiver lost picture data and asks the
/// sender for a decodable picture (in practice a keyframe).
///
/// Subscribers can send these at any rate; the relay must coalesce them before asking a publisher
/// (SECURITY.md, at most one keyframe request upstream per interval).
public struct RTCPPictureLossIndication: Hashable, Sendable {
    /// The feedback message's FMT value.
    public static let format: UInt8 = 1

    /// SSRC of the packet sender (the media receiver asking).
    public var senderSSRC: UInt32
    /// SSRC of the media source that should send a keyframe.
    public var mediaSSRC: UInt32

    /// Makes a PLI.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }
}

extension RTCPPictureLossIndication {
    /// Parses the body (everything after the 4-byte common header, padding removed). A PLI has no
    /// FCI: RFC 4585 fixes its length field at 2, so any extra byte is rejected.
    init(parsingBody body: Span<UInt8>) throws(WireError) {
        guard body.count >= 8 else {
            throw WireError(.truncated, "RTCP PLI feedback header", offset: body.count)
        }
        guard body.count == 8 else {
            throw WireError(.invalidLength, "RTCP PLI with FCI bytes", offset: 8)
        }
        self.init(senderSSRC: body.uint32(at: 0), mediaSSRC: body.uint32(at: 4))
    }

    /// Appends the body and returns the header's FMT field.
    func serializeBody(into bytes: inout [UInt8]) -> UInt8 {
        bytes.appendUInt32(self.senderSSRC)
        bytes.appendUInt32(self.mediaSSRC)
        return Self.format
    }
}
