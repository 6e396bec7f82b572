/// An `a=group` session attribute (RFC 5888): media descriptions that belong together.
///
/// WebRTC uses the `BUNDLE` semantics (RFC 9143): the listed media, identified by their `a=mid`,
/// share one transport. The first mid of a BUNDLE group is the one whose transport is used.
public struct SDPGroup: Sendable, Hashable {
    /// The `BUNDLE` semantics.
    public static let bundle = "BUNDLE"
    /// The `LS` (lip synchronisation) semantics.
    public static let lipSync = "LS"

    /// The group semantics, such as ``bundle``.
    public var semantics: String
    /// The identification tags (`a=mid` values) of the grouped media, in order. May be empty.
    public var mids: [String]

    /// Makes a group.
    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }
}

extension SDPGroup {
    /// Parses the value of `a=group`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard let semantics = fields.first, SDPText.isToken(semantics) else {
            throw WireError(.syntax, "a=group needs semantics", offset: line)
        }
        var mids: [String] = []
        mids.reserveCapacity(fields.count - 1)
        for mid in fields.dropFirst() {
            guard SDPText.isToken(mid) else {
                throw WireError(.syntax, "a=group mid is not a token", offset: line)
            }
            mids.append(SDPText.string(mid))
        }
        self.init(semantics: SDPText.string(semantics), mids: mids)
    }

    /// Writes the whole `a=group` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("group")
        writer.text(self.semantics)
        for mid in self.mids {
            writer.space()
            writer.text(mid)
        }
        writer.endLine()
    }
}
