/// A whole RTP packet as an owned value (header fields, CSRCs, header extensions, payload,
/// padding), for building and serialising packets: tools, tests and the mixer's output.
///
/// Build one with ``init(payloadType:sequenceNumber:timestamp:ssrc:marker:csrcs:payload:paddingLength:)``,
/// add extensions with ``setExtension(id:value:)`` or the typed setters, then append it to a reusable
/// buffer with ``serialize(into:)``. ``init(parsing:)`` copies a received packet into this form; the
/// relay's hot path should use ``RTPHeader`` instead, which allocates nothing.
///
/// RFC 8285 elements are written in the one-byte form when every id is 1-14 and every value 1-16
/// bytes, otherwise in the two-byte form (``ExtensionEncoding/automatic``); the encoding can also
/// be forced.
public struct RTPPacket: Hashable, Sendable {
    /// One RFC 8285 header extension element: a local id (negotiated with `a=extmap`) and its
    /// value bytes.
    public struct HeaderExtension: Hashable, Sendable {
        /// The local identifier: 1-14 fits the one-byte form, 1-255 the two-byte form.
        public var id: UInt8
        /// The value bytes: 1-16 fit the one-byte form, 0-255 the two-byte form.
        public var value: [UInt8]

        /// Makes an element; ``RTPPacket/serialize(into:)`` checks it against the chosen form.
        @inlinable
        public init(id: UInt8, value: [UInt8]) {
            self.id = id
            self.value = value
        }
    }

    /// Which RFC 8285 form ``RTPPacket/serialize(into:)`` writes the elements in.
    public enum ExtensionEncoding: Hashable, Sendable {
        /// The one-byte form if every element fits it, else the two-byte form with app bits 0;
        /// no extension block when there are no elements.
        case automatic
        /// Always the one-byte form, even with no elements (an empty block is written);
        /// serialising fails if an element does not fit it.
        case oneByte
        /// Always the two-byte form with these app bits (0-15), even with no elements.
        case twoByte(appBits: UInt8)
    }

    /// A header extension block that is not RFC 8285 (any other profile), kept as raw data.
    public struct OpaqueExtension: Hashable, Sendable {
        /// The block's profile field.
        public var profile: UInt16
        /// The block's data, a multiple of 4 bytes, at most 262140 bytes.
        public var data: [UInt8]

        /// Makes an opaque block; ``RTPPacket/serialize(into:)`` checks the data length.
        @inlinable
        public init(profile: UInt16, data: [UInt8]) {
            self.profile = profile
            self.data = data
        }
    }

    /// The marker bit.
    public var marker: Bool
    /// The payload type, 0-127.
    public var payloadType: UInt8
    /// The sequence number.
    public var sequenceNumber: UInt16
    /// The media timestamp.
    public var timestamp: UInt32
    /// The synchronisation source.
    public var ssrc: UInt32
    /// The contributing sources (at most 15), for example the speakers in a mixed packet.
    public var csrcs: [UInt32]
    /// The RFC 8285 header extension elements, in the order they are written.
    public var extensions: [HeaderExtension]
    /// The form the elements are written in.
    public var extensionEncoding: ExtensionEncoding
    /// A non-RFC 8285 extension block; when set, ``extensions`` must be empty.
    public var opaqueExtension: OpaqueExtension?
    /// The payload bytes.
    public var payload: [UInt8]
    /// The number of padding bytes to append, the count byte included (0 for none). Padding bytes
    /// are written as zeros followed by the count.
    public var paddingLength: UInt8

    /// Makes a packet with no extensions.
    @inlinable
    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        marker: Bool = false,
        csrcs: [UInt32] = [],
        payload: [UInt8] = [],
        paddingLength: UInt8 = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = []
        self.extensionEncoding = .automatic
        self.opaqueExtension = nil
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Parses a packet and copies its parts (this allocates; the hot path uses ``RTPHeader``).
    ///
    /// An RFC 8285 block keeps its form in ``extensionEncoding`` (`.oneByte` or `.twoByte`) so that
    /// serialising gives back the same bytes for a packet whose elements are packed with padding
    /// only at the end of the block and whose padding bytes are zeros; padding between elements and
    /// non-zero padding contents are not kept.
    ///
    /// - Throws: as ``RTPHeader/init(parsing:)``.
    public init(parsing bytes: Span<UInt8>) throws(WireError) {
        let header = try RTPHeader(parsing: bytes)
        self.init(
            payloadType: header.payloadType,
            sequenceNumber: header.sequenceNumber,
            timestamp: header.timestamp,
            ssrc: header.ssrc,
            marker: header.marker,
            // The parser guarantees paddingLength <= 255 (it came from one byte).
            paddingLength: UInt8(truncatingIfNeeded: header.paddingLength)
        )
        for index in 0..<header.csrcCount {
            self.csrcs.append(header.csrc(at: index, in: bytes))
        }
        if let block = header.extensionBlock {
            switch block.form {
            case .oneByte:
                self.extensionEncoding = .oneByte
            case .twoByte(let appBits):
                self.extensionEncoding = .twoByte(appBits: appBits)
            case .opaque:
                self.opaqueExtension = OpaqueExtension(profile: block.profile, data: Self.copy(bytes, block.dataRange))
            }
            var elements = block.elements
            while let element = elements.next(in: bytes) {
                self.extensions.append(HeaderExtension(id: element.id, value: Self.copy(bytes, element.valueRange)))
            }
        }
        self.payload = Self.copy(bytes, header.payloadRange)
    }

    /// Parses a packet held in an array (for tests and tools); see ``init(parsing:)-(Span<UInt8>)``.
    ///
    /// - Throws: as ``RTPHeader/init(parsing:)``.
    public init(parsing bytes: [UInt8]) throws(WireError) {
        try self.init(parsing: bytes.span)
    }

    /// Copies a range of a span into a new array.
    private static func copy(_ bytes: Span<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        for index in range {
            result.append(bytes[index])
        }
        return result
    }
}
