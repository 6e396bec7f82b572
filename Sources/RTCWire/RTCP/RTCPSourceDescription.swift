/// An SDES packet (RFC 3550 section 6.5, PT 202): per-source descriptions, of which the one that
/// matters is the CNAME tying a participant's SSRCs together.
///
/// The relay sends one CNAME chunk with every compound it originates (RFC 3550 section 6.1);
/// ``RTCPCompound/receiverReport(ssrc:reportBlocks:cname:feedback:)`` builds that.
public struct RTCPSourceDescription: Hashable, Sendable {
    /// The type octet of an SDES item (RFC 3550 section 6.5). Zero (END) ends a chunk's item list
    /// and is not a valid item type.
    public struct ItemType: RawRepresentable, Hashable, Sendable {
        /// The type octet as it appears on the wire.
        public let rawValue: UInt8

        /// Wraps a type octet. Unknown types are kept as they are.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// CNAME: the canonical end-point identifier, stable across a participant's SSRCs.
        public static let cname = ItemType(rawValue: 1)
        /// NAME: a user name for display.
        public static let name = ItemType(rawValue: 2)
        /// EMAIL: an e-mail address.
        public static let email = ItemType(rawValue: 3)
        /// PHONE: a telephone number.
        public static let phone = ItemType(rawValue: 4)
        /// LOC: a geographic location.
        public static let location = ItemType(rawValue: 5)
        /// TOOL: the application or tool name.
        public static let tool = ItemType(rawValue: 6)
        /// NOTE: a transient notice.
        public static let note = ItemType(rawValue: 7)
        /// PRIV: a private extension (its prefix length and prefix are left inside ``Item/value``).
        public static let privateExtension = ItemType(rawValue: 8)
    }

    /// One SDES item: a type and up to 255 bytes of value (UTF-8 text for the standard types).
    public struct Item: Hashable, Sendable {
        /// The item's type. Serialising type 0 (END) throws ``WireError/Code/invalidValue``.
        public var type: ItemType
        /// The value's bytes. Serialising more than 255 throws ``WireError/Code/tooLarge``.
        public var value: [UInt8]

        /// Makes an item from raw bytes.
        public init(type: ItemType, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        /// Makes an item from text, stored as its UTF-8 bytes.
        public init(type: ItemType, text: String) {
            self.type = type
            self.value = Array(text.utf8)
        }

        /// The value decoded as UTF-8 (invalid sequences become U+FFFD).
        public var text: String {
            String(decoding: self.value, as: UTF8.self)
        }
    }

    /// The items describing one source.
    public struct Chunk: Hashable, Sendable {
        /// The SSRC (or CSRC) described.
        public var ssrc: UInt32
        /// Its items, in wire order. A chunk with none is valid.
        public var items: [Item]

        /// Makes a chunk.
        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// The text of the first CNAME item, or nil if the chunk has none.
        public var cname: String? {
            for item in self.items where item.type == .cname {
                return item.text
            }
            return nil
        }
    }

    /// The chunks, one per described source; at most 31 per packet (serialising more throws
    /// ``WireError/Code/tooMany``).
    public var chunks: [Chunk]

    /// Makes an SDES packet.
    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// An SDES packet with one chunk holding one CNAME item: what every compound should carry.
    public init(ssrc: UInt32, cname: String) {
        self.chunks = [Chunk(ssrc: ssrc, items: [Item(type: .cname, text: cname)])]
    }
}

extension RTCPSourceDescription {
    /// Parses the body (everything after the 4-byte common header, padding removed).
    init(parsingBody body: Span<UInt8>, count: UInt8) throws(WireError) {
        var chunks: [Chunk] = []
        chunks.reserveCapacity(Int(count))
        var position = 0
        for _ in 0..<count {
            guard body.count &- position >= 4 else {
                throw WireError(
                    .truncated,
                    "RTCP SDES chunk SSRC (source count larger than the packet)",
                    offset: position
                )
            }
            let ssrc = body.uint32(at: position)
            position &+= 4
            var items: [Item] = []
            // Every pass consumes at least one byte, so the loop ends within body.count passes.
            while true {
                guard position < body.count else {
                    throw WireError(.truncated, "RTCP SDES chunk without END item", offset: position)
                }
                let type = body[position]
                if type == 0 {
                    position &+= 1
                    break
                }
                guard body.count &- position >= 2 else {
                    throw WireError(.truncated, "RTCP SDES item length", offset: position)
                }
                let length = Int(body[position &+ 1])
                let valueStart = position &+ 2
                guard body.count &- valueStart >= length else {
                    throw WireError(.truncated, "RTCP SDES item value", offset: valueStart)
                }
                items.append(
                    Item(type: ItemType(rawValue: type), value: body.rtcpCopy(valueStart..<valueStart &+ length))
                )
                position = valueStart &+ length
            }
            // Null octets pad the chunk to the next 32-bit boundary. RTCP padding removed from the
            // end of the packet may have cut them short, so stop at the end of the body.
            position = min((position &+ 3) & ~3, body.count)
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        guard position == body.count else {
            throw WireError(.invalidLength, "RTCP SDES bytes after the last chunk", offset: position)
        }
        self.init(chunks: chunks)
    }

    /// Appends the body and returns the header's count field (the number of chunks).
    func serializeBody(into bytes: inout [UInt8]) throws(WireError) -> UInt8 {
        guard self.chunks.count <= 31 else {
            throw WireError(.tooMany, "RTCP SDES chunks (at most 31)")
        }
        for chunk in self.chunks {
            let chunkStart = bytes.count
            bytes.appendUInt32(chunk.ssrc)
            for item in chunk.items {
                guard item.type.rawValue != 0 else {
                    throw WireError(.invalidValue, "RTCP SDES item of type 0 (END)")
                }
                guard item.value.count <= 255 else {
                    throw WireError(.tooLarge, "RTCP SDES item value (at most 255 bytes)")
                }
                bytes.append(item.type.rawValue)
                bytes.append(UInt8(item.value.count))
                bytes.append(contentsOf: item.value)
            }
            bytes.append(0)  // END
            bytes.rtcpAlign(from: chunkStart)
        }
        return UInt8(self.chunks.count)
    }
}
