/// A parsed RTP packet header (RFC 3550 section 5.1): its fields, and the offsets of everything
/// that follows it (CSRCs, header extension block, payload, padding).
///
/// Parse one from a datagram with ``init(parsing:)``. Parsing checks every length, validates the
/// whole header extension block, and allocates nothing: the header is a plain value of fields and
/// offsets. Variable-length parts are read by passing the same bytes again: ``csrc(at:in:)``,
/// ``extensionElements``, ``extensionElement(id:in:)``, ``payloadRange``.
///
/// The fixed fields can be rewritten in place, for example by the relay for each subscriber, with
/// the methods in `RTPHeader+Rewrite.swift`; they update this value and the bytes together. To build
/// a packet from scratch use ``RTPPacket``.
public struct RTPHeader: Hashable, Sendable {
    /// The length of the fixed header, without CSRCs or extension.
    public static let fixedLength = 12

    /// The only RTP version this parser accepts.
    public static let version: UInt8 = 2

    /// Whether the P bit is set: the packet ends with ``paddingLength`` bytes of padding.
    public let hasPadding: Bool

    /// Whether the X bit is set: an ``extensionBlock`` follows the CSRCs.
    public let hasExtension: Bool

    /// The number of CSRC identifiers (the CC field, 0-15).
    public let csrcCount: Int

    /// The marker bit; its meaning is set by the profile (for audio, the first packet of a talkspurt).
    public internal(set) var marker: Bool

    /// The payload type (0-127), as negotiated in SDP.
    public internal(set) var payloadType: UInt8

    /// The 16-bit sequence number; compare with ``RTPSequenceNumber`` (it wraps).
    public internal(set) var sequenceNumber: UInt16

    /// The 32-bit media timestamp; compare with ``RTPTimestamp`` (it wraps).
    public internal(set) var timestamp: UInt32

    /// The synchronisation source identifier.
    public internal(set) var ssrc: UInt32

    /// The header extension block, if the X bit is set.
    public let extensionBlock: RTPHeaderExtensionBlock?

    /// The length of the whole header: fixed part, CSRCs and extension block. The payload starts
    /// here.
    public let headerLength: Int

    /// The number of payload bytes (between the header and the padding).
    public let payloadLength: Int

    /// The number of padding bytes at the end of the packet, the count byte included (0 when the P
    /// bit is clear).
    public let paddingLength: Int

    /// Parses and validates an RTP header, its CSRC list, its extension block and its padding.
    ///
    /// `bytes` must be exactly one RTP packet (a whole datagram after SRTP unprotection): padding is
    /// read from its last byte. Nothing is allocated and nothing traps, whatever the bytes.
    ///
    /// - Throws: `WireError` with code
    ///   - ``WireError/Code/truncated`` if the packet is shorter than 12 bytes, or than its CSRC
    ///     list, extension block header or extension data;
    ///   - ``WireError/Code/invalidVersion`` if the version is not 2;
    ///   - ``WireError/Code/invalidHeaderExtension`` if an RFC 8285 element runs past its block;
    ///   - ``WireError/Code/invalidPadding`` if the P bit is set and the count byte is 0 or larger
    ///     than what follows the header (or nothing follows it).
    public init(parsing bytes: Span<UInt8>) throws(WireError) {
        let count = bytes.count
        guard count >= Self.fixedLength else {
            throw WireError(.truncated, "RTP fixed header", offset: count)
        }
        let first = bytes[0]
        guard first &>> 6 == Self.version else {
            throw WireError(.invalidVersion, "RTP version", offset: 0)
        }
        self.hasPadding = first & 0x20 != 0
        self.hasExtension = first & 0x10 != 0
        self.csrcCount = Int(first & 0x0F)
        let second = bytes[1]
        self.marker = second & 0x80 != 0
        self.payloadType = second & 0x7F
        self.sequenceNumber = bytes.uint16(at: 2)
        self.timestamp = bytes.uint32(at: 4)
        self.ssrc = bytes.uint32(at: 8)

        // At most 12 + 60 bytes: no overflow.
        var headerLength = Self.fixedLength &+ self.csrcCount &* 4
        guard headerLength <= count else {
            throw WireError(.truncated, "RTP CSRC list past the end", offset: Self.fixedLength)
        }
        if self.hasExtension {
            let block = try RTPHeaderExtensionBlock(parsing: bytes, at: headerLength)
            headerLength &+= block.length
            self.extensionBlock = block
        } else {
            self.extensionBlock = nil
        }
        self.headerLength = headerLength

        let afterHeader = count &- headerLength
        if self.hasPadding {
            // RFC 3550 section 5.1: the last byte counts the padding bytes, itself included.
            guard afterHeader > 0 else {
                throw WireError(.invalidPadding, "RTP padding count missing", offset: count)
            }
            let padding = Int(bytes[count &- 1])
            guard padding != 0, padding <= afterHeader else {
                throw WireError(.invalidPadding, "RTP padding count", offset: count &- 1)
            }
            self.paddingLength = padding
        } else {
            self.paddingLength = 0
        }
        self.payloadLength = afterHeader &- self.paddingLength
    }

    /// The offset where the payload starts (equal to ``headerLength``).
    @inlinable
    public var payloadOffset: Int {
        self.headerLength
    }

    /// The payload bytes' range in the packet: read them with `bytes.extracting(header.payloadRange)`.
    @inlinable
    public var payloadRange: Range<Int> {
        self.headerLength..<(self.headerLength &+ self.payloadLength)
    }

    /// The length of the whole packet that was parsed: header, payload and padding.
    @inlinable
    public var packetLength: Int {
        self.headerLength &+ self.payloadLength &+ self.paddingLength
    }

    /// The offset of the first CSRC identifier (right after the fixed header).
    @inlinable
    public var csrcOffset: Int {
        Self.fixedLength
    }

    /// Reads one CSRC identifier.
    ///
    /// - Parameters:
    ///   - index: 0 up to ``csrcCount`` (exclusive); another index is a programming error and traps.
    ///   - bytes: the packet the header was parsed from.
    @inlinable
    public func csrc(at index: Int, in bytes: Span<UInt8>) -> UInt32 {
        precondition(index >= 0 && index < self.csrcCount, "CSRC index out of range")
        return bytes.uint32(at: Self.fixedLength &+ index &* 4)
    }

    /// An iterator over the RFC 8285 header extension elements (none when there is no extension or
    /// it is opaque). Pass it the packet bytes on each call; see ``RTPHeaderExtensionIterator``.
    @inlinable
    public var extensionElements: RTPHeaderExtensionIterator {
        self.extensionBlock?.elements ?? .empty
    }

    /// The first header extension element with the given id, or `nil` if there is none.
    ///
    /// - Parameters:
    ///   - id: the local identifier negotiated in SDP (`a=extmap`).
    ///   - bytes: the packet the header was parsed from.
    @inlinable
    public func extensionElement(id: UInt8, in bytes: Span<UInt8>) -> RTPHeaderExtensionElement? {
        self.extensionBlock?.element(id: id, in: bytes)
    }
}
