/// The `o=` line: who created the session description, and which version of it this is.
///
/// An answerer keeps ``sessionID`` fixed for the life of a session and increments
/// ``sessionVersion`` each time it sends a changed description (RFC 3264 section 8).
public struct SDPOrigin: Sendable, Hashable {
    /// The originator's login, `-` when there is none (as WebRTC always writes).
    public var username: String
    /// A numeric session identifier, unique for the originator.
    public var sessionID: UInt64
    /// The version of this session description.
    public var sessionVersion: UInt64
    /// The network type, `IN` for the Internet.
    public var networkType: String
    /// The address type, `IP4` or `IP6`.
    public var addressType: String
    /// The originator's address; WebRTC endpoints write a placeholder such as `127.0.0.1`.
    public var address: String

    /// Makes an origin; the defaults are what WebRTC endpoints write.
    public init(
        username: String = "-",
        sessionID: UInt64,
        sessionVersion: UInt64 = 1,
        networkType: String = "IN",
        addressType: String = "IP4",
        address: String = "127.0.0.1"
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }
}

extension SDPOrigin {
    /// Parses the value of an `o=` line.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 6 else {
            throw WireError(.syntax, "o= line needs six fields", offset: line)
        }
        guard let sessionID = SDPText.decimal(fields[1], as: UInt64.self) else {
            throw WireError(.syntax, "o= session ID is not a number", offset: line)
        }
        guard let sessionVersion = SDPText.decimal(fields[2], as: UInt64.self) else {
            throw WireError(.syntax, "o= session version is not a number", offset: line)
        }
        self.init(
            username: SDPText.string(fields[0]),
            sessionID: sessionID,
            sessionVersion: sessionVersion,
            networkType: SDPText.string(fields[3]),
            addressType: SDPText.string(fields[4]),
            address: SDPText.string(fields[5])
        )
    }

    /// Writes the value of an `o=` line.
    func write(to writer: inout SDPWriter) {
        writer.text(self.username)
        writer.space()
        writer.decimal(self.sessionID)
        writer.space()
        writer.decimal(self.sessionVersion)
        writer.space()
        writer.text(self.networkType)
        writer.space()
        writer.text(self.addressType)
        writer.space()
        writer.text(self.address)
    }
}
