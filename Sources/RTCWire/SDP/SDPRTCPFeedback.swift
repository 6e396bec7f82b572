/// An `a=rtcp-fb` attribute (RFC 4585): an RTCP feedback message a payload type supports, such as
/// `a=rtcp-fb:96 nack pli` or `a=rtcp-fb:111 transport-cc`.
public struct SDPRTCPFeedback: Sendable, Hashable {
    /// The payload type it applies to; nil for `*`, which applies to every payload type.
    public var payloadType: UInt8?
    /// The feedback type, such as `nack`, `ccm`, `goog-remb` or `transport-cc`.
    public var type: String
    /// The rest of the line after the type, such as `pli` or `fir`; nil when absent. Further
    /// parameters (as in `ccm tmmbr smaxpr=120`) stay in this text.
    public var subtype: String?

    /// Makes an rtcp-fb attribute; pass a nil payload type for `*`.
    public init(payloadType: UInt8?, type: String, subtype: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.subtype = subtype
    }
}

extension SDPRTCPFeedback {
    /// Parses the value of `a=rtcp-fb`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (format, afterFormat) = SDPText.firstField(value)
        var payloadType: UInt8?
        if !SDPText.equals(format, "*") {
            guard let number = SDPText.payloadType(format) else {
                throw WireError(.syntax, "a=rtcp-fb payload type is not * or a number in 0-127", offset: line)
            }
            payloadType = number
        }
        let (type, subtype) = SDPText.firstField(afterFormat)
        guard SDPText.isToken(type) else {
            throw WireError(.syntax, "a=rtcp-fb has no feedback type", offset: line)
        }
        self.init(
            payloadType: payloadType,
            type: SDPText.string(type),
            subtype: subtype.isEmpty ? nil : SDPText.string(subtype)
        )
    }

    /// Writes the whole `a=rtcp-fb` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("rtcp-fb")
        if let payloadType = self.payloadType {
            writer.decimal(UInt64(payloadType))
        } else {
            writer.byte(SDPText.asterisk)
        }
        writer.space()
        writer.text(self.type)
        if let subtype = self.subtype {
            writer.space()
            writer.text(subtype)
        }
        writer.endLine()
    }
}
