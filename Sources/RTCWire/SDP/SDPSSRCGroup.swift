/// An `a=ssrc-group` attribute (RFC 5576): RTP sources that belong together, such as
/// `a=ssrc-group:FID 1111 2222` (a media SSRC and its RTX retransmission SSRC).
public struct SDPSSRCGroup: Sendable, Hashable {
    /// The flow identification semantics: a media SSRC and its RTX SSRC.
    public static let flowIdentification = "FID"
    /// The simulcast semantics (Plan B simulcast layers).
    public static let simulcast = "SIM"

    /// The semantics, such as ``flowIdentification``.
    public var semantics: String
    /// The grouped sources, in order.
    public var ssrcs: [UInt32]

    /// Makes an ssrc-group attribute.
    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }
}

extension SDPSSRCGroup {
    /// Parses the value of `a=ssrc-group`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard let semantics = fields.first, SDPText.isToken(semantics) else {
            throw WireError(.syntax, "a=ssrc-group needs semantics", offset: line)
        }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(fields.count - 1)
        for field in fields.dropFirst() {
            guard let ssrc = SDPText.decimal(field, as: UInt32.self) else {
                throw WireError(.syntax, "a=ssrc-group SSRC is not a 32-bit number", offset: line)
            }
            ssrcs.append(ssrc)
        }
        self.init(semantics: SDPText.string(semantics), ssrcs: ssrcs)
    }

    /// Writes the whole `a=ssrc-group` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("ssrc-group")
        writer.text(self.semantics)
        for ssrc in self.ssrcs {
            writer.space()
            writer.decimal(UInt64(ssrc))
        }
        writer.endLine()
    }
}
