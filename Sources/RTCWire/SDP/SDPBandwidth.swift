/// A `b=` line: a bandwidth limit such as `AS:64` (kbit/s) or `TIAS:64000` (bit/s).
public struct SDPBandwidth: Sendable, Hashable {
    /// The bandwidth type, such as `AS`, `CT` or `TIAS`.
    public var type: String
    /// The limit, in the unit the type defines.
    public var value: UInt64

    /// Makes a bandwidth line.
    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }
}

extension SDPBandwidth {
    /// Parses the value of a `b=` line.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (type, number) = SDPText.split(value, at: SDPText.colon)
        guard SDPText.isToken(type), let number else {
            throw WireError(.syntax, "b= line is not <type>:<bandwidth>", offset: line)
        }
        guard let bandwidth = SDPText.decimal(number, as: UInt64.self) else {
            throw WireError(.syntax, "b= bandwidth is not a number", offset: line)
        }
        self.init(type: SDPText.string(type), value: bandwidth)
    }

    /// Writes `<type>:<bandwidth>`.
    func write(to writer: inout SDPWriter) {
        writer.text(self.type)
        writer.byte(SDPText.colon)
        writer.decimal(self.value)
    }
}
