/// An `a=msid-semantic` session attribute, such as `WMS *` or `WMS <stream-id>`.
///
/// Chromium still writes it (as `a=msid-semantic: WMS <stream-id>`, with a space after the colon,
/// which the parser accepts); RFC 8830 no longer needs it. It is written without the space.
public struct SDPMsidSemantic: Sendable, Hashable {
    /// The semantic token, `WMS` in practice.
    public var semantic: String
    /// The identifiers after the token (`*` or media stream IDs), possibly none.
    public var identifiers: [String]

    /// Makes an msid-semantic attribute; the defaults give `WMS *`.
    public init(semantic: String = "WMS", identifiers: [String] = ["*"]) {
        self.semantic = semantic
        self.identifiers = identifiers
    }
}

extension SDPMsidSemantic {
    /// Parses the value of `a=msid-semantic`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard let semantic = fields.first, SDPText.isToken(semantic) else {
            throw WireError(.syntax, "a=msid-semantic needs a semantic token", offset: line)
        }
        var identifiers: [String] = []
        for identifier in fields.dropFirst() {
            identifiers.append(SDPText.string(identifier))
        }
        self.init(semantic: SDPText.string(semantic), identifiers: identifiers)
    }

    /// Writes the whole `a=msid-semantic` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("msid-semantic")
        writer.text(self.semantic)
        for identifier in self.identifiers {
            writer.space()
            writer.text(identifier)
        }
        writer.endLine()
    }
}
