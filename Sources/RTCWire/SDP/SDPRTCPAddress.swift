/// An `a=rtcp` attribute (RFC 3605): the port (and address) for RTCP when it is not RTP's port + 1.
///
/// With `a=rtcp-mux` it is informational only; Chromium and aiortc write `a=rtcp:9 IN IP4 0.0.0.0`.
public struct SDPRTCPAddress: Sendable, Hashable {
    /// The RTCP port.
    public var port: UInt16
    /// The RTCP address, when written.
    public var connection: SDPConnection?

    /// Makes an RTCP address.
    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }
}

extension SDPRTCPAddress {
    /// Parses the value of `a=rtcp`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard let first = fields.first, let port = SDPText.decimal(first, as: UInt16.self) else {
            throw WireError(.syntax, "a=rtcp port is not a number", offset: line)
        }
        var connection: SDPConnection?
        if fields.count > 1 {
            connection = try SDPConnection(
                fields: fields.dropFirst(),
                line: line,
                context: "a=rtcp address needs three fields"
            )
        }
        self.init(port: port, connection: connection)
    }

    /// Writes the whole `a=rtcp` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("rtcp")
        writer.decimal(UInt64(self.port))
        if let connection = self.connection {
            writer.space()
            connection.write(to: &writer)
        }
        writer.endLine()
    }
}
