/// An `a=ssrc` attribute (RFC 5576): a property of one RTP source, such as
/// `a=ssrc:2029537776 cname:k1c3PqRe8yJ3CPUC`.
public struct SDPSSRCAttribute: Sendable, Hashable {
    /// The synchronisation source.
    public var ssrc: UInt32
    /// The property name, such as `cname` or `msid`.
    public var attribute: String
    /// The text after the property's `:` (may contain spaces); nil when there is no `:`.
    public var value: String?

    /// Makes an ssrc attribute.
    public init(ssrc: UInt32, attribute: String, value: String? = nil) {
        self.ssrc = ssrc
        self.attribute = attribute
        self.value = value
    }
}

extension SDPSSRCAttribute {
    /// Parses the value of `a=ssrc`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (ssrcText, rest) = SDPText.firstField(value)
        guard let ssrc = SDPText.decimal(ssrcText, as: UInt32.self) else {
            throw WireError(.syntax, "a=ssrc SSRC is not a 32-bit number", offset: line)
        }
        let (name, attributeValue) = SDPText.split(rest, at: SDPText.colon)
        guard SDPText.isToken(name) else {
            throw WireError(.syntax, "a=ssrc has no attribute name", offset: line)
        }
        self.init(ssrc: ssrc, attribute: SDPText.string(name), value: attributeValue.map(SDPText.string))
    }

    /// Writes the whole `a=ssrc` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("ssrc")
        writer.decimal(UInt64(self.ssrc))
        writer.space()
        writer.text(self.attribute)
        if let value = self.value {
            writer.byte(SDPText.colon)
            writer.text(value)
        }
        writer.endLine()
    }
}
