/// An `a=rid` attribute (RFC 8851): one RTP stream (a simulcast layer) and its restrictions, such
/// as `a=rid:h send pt=96;max-width=1280`.
///
/// The `pt=` restriction is typed as ``payloadTypes``; every other restriction is kept in order.
/// The canonical written form puts `pt=` first, as the grammar requires.
public struct SDPRid: Sendable, Hashable {
    /// The direction of a RID.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        /// The writer of the description sends this stream.
        case send
        /// The writer of the description receives this stream.
        case recv
    }

    /// The RID (letters, digits, `-`, `_`), as sent in the RTP stream ID header extension.
    public var id: String
    /// Whether the stream is sent or received.
    public var direction: Direction
    /// The payload types the stream may use (the `pt=` list); empty for any.
    public var payloadTypes: [UInt8]
    /// Other restrictions, such as `max-width=1280`, in order.
    public var restrictions: [SDPParameter]

    /// Makes a rid attribute.
    public init(id: String, direction: Direction, payloadTypes: [UInt8] = [], restrictions: [SDPParameter] = []) {
        self.id = id
        self.direction = direction
        self.payloadTypes = payloadTypes
        self.restrictions = restrictions
    }
}

extension SDPRid {
    /// Parses the value of `a=rid`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (id, afterID) = SDPText.firstField(value)
        guard SDPText.isRIDIdentifier(id) else {
            throw WireError(.syntax, "a=rid ID is not letters, digits, - and _", offset: line)
        }
        let (directionText, parameterText) = SDPText.firstField(afterID)
        guard let direction = Direction(rawValue: SDPText.string(directionText)) else {
            throw WireError(.syntax, "a=rid direction is not send or recv", offset: line)
        }
        self.init(id: SDPText.string(id), direction: direction)
        var sawPayloadTypes = false
        for parameter in SDPParameter.list(parameterText) {
            guard parameter.name == "pt" else {
                self.restrictions.append(parameter)
                continue
            }
            guard !sawPayloadTypes, let list = parameter.value else {
                throw WireError(.syntax, "a=rid pt= is repeated or empty", offset: line)
            }
            sawPayloadTypes = true
            for item in ArraySlice(list.utf8).split(separator: SDPText.comma, omittingEmptySubsequences: false) {
                guard let payloadType = SDPText.payloadType(SDPText.trimmed(item)) else {
                    throw WireError(.syntax, "a=rid pt= holds something other than payload types", offset: line)
                }
                self.payloadTypes.append(payloadType)
            }
        }
    }

    /// Writes the whole `a=rid` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("rid")
        writer.text(self.id)
        writer.space()
        writer.text(self.direction.rawValue)
        guard !self.payloadTypes.isEmpty || !self.restrictions.isEmpty else {
            writer.endLine()
            return
        }
        writer.space()
        if !self.payloadTypes.isEmpty {
            writer.raw("pt=")
            for (index, payloadType) in self.payloadTypes.enumerated() {
                if index > 0 {
                    writer.byte(SDPText.comma)
                }
                writer.decimal(UInt64(payloadType))
            }
            if !self.restrictions.isEmpty {
                writer.byte(SDPText.semicolon)
            }
        }
        SDPParameter.writeList(self.restrictions, to: &writer)
        writer.endLine()
    }
}
