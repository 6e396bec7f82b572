/// Connection data: the value of a `c=` line, also used by `a=rtcp`.
///
/// WebRTC endpoints write `IN IP4 0.0.0.0` or the address of their default candidate; ICE
/// candidates, not this line, say where media really flows.
public struct SDPConnection: Sendable, Hashable {
    /// The network type, `IN` for the Internet.
    public var networkType: String
    /// The address type, `IP4` or `IP6`.
    public var addressType: String
    /// The address, kept as written (a multicast address may carry `/ttl/count` suffixes).
    public var address: String

    /// Makes connection data; the defaults are `IN IP4`.
    public init(networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }
}

extension SDPConnection {
    /// Parses `<nettype> <addrtype> <address>` from three fields.
    init(fields: ArraySlice<ArraySlice<UInt8>>, line: Int, context: StaticString) throws(WireError) {
        guard fields.count == 3, let first = fields.first, let last = fields.last else {
            throw WireError(.syntax, context, offset: line)
        }
        self.init(
            networkType: SDPText.string(first),
            addressType: SDPText.string(fields[fields.startIndex + 1]),
            address: SDPText.string(last)
        )
    }

    /// Parses the value of a `c=` line.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        try self.init(fields: fields[...], line: line, context: "c= line needs three fields")
    }

    /// Writes `<nettype> <addrtype> <address>`.
    func write(to writer: inout SDPWriter) {
        writer.text(self.networkType)
        writer.space()
        writer.text(self.addressType)
        writer.space()
        writer.text(self.address)
    }
}
