/// An `a=fmtp` attribute: format-specific parameters of one payload type, such as
/// `a=fmtp:111 minptime=10;useinbandfec=1`.
///
/// The value is kept twice, consistently: as the ``raw`` text (what is written, so an answer can
/// echo an offer's parameters exactly) and as ordered ``parameters`` split at `;` and the first `=`.
/// Both initialisers keep them in step; the properties are read-only for that reason.
public struct SDPFormatParameters: Sendable, Hashable {
    /// The RTP payload type, 0-127.
    public var payloadType: UInt8
    /// The parameter text as written, with surrounding spaces removed.
    public let raw: String
    /// The parameters, in order.
    public let parameters: [SDPParameter]

    /// Makes an fmtp attribute from its text, which is split into ``parameters``.
    public init(payloadType: UInt8, raw: String) {
        self.payloadType = payloadType
        let bytes = SDPText.trimmed(ArraySlice(raw.utf8))
        self.raw = SDPText.string(bytes)
        self.parameters = SDPParameter.list(bytes)
    }

    /// Makes an fmtp attribute from parameters, joined with `;` into ``raw``.
    public init(payloadType: UInt8, parameters: [SDPParameter]) {
        var writer = SDPWriter(bytes: [])
        SDPParameter.writeList(parameters, to: &writer)
        self.init(payloadType: payloadType, raw: String(decoding: writer.bytes, as: UTF8.self))
    }

    /// The value of the first parameter called `name` (ASCII case-insensitive): "" for a bare
    /// parameter, nil when absent.
    public func value(of name: String) -> String? {
        SDPParameter.value(of: name, in: self.parameters)
    }
}

extension SDPFormatParameters {
    /// Parses the value of `a=fmtp`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (format, rest) = SDPText.firstField(value)
        guard let payloadType = SDPText.payloadType(format) else {
            throw WireError(.syntax, "a=fmtp payload type is not a number in 0-127", offset: line)
        }
        self.payloadType = payloadType
        self.raw = SDPText.string(rest)
        self.parameters = SDPParameter.list(rest)
    }

    /// Writes the whole `a=fmtp` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("fmtp")
        writer.decimal(UInt64(self.payloadType))
        if !self.raw.isEmpty {
            writer.space()
            writer.text(self.raw)
        }
        writer.endLine()
    }
}
