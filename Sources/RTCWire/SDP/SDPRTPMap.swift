/// An `a=rtpmap` attribute: what a dynamic RTP payload type means.
///
/// For example `a=rtpmap:111 opus/48000/2` maps payload type 111 to Opus at 48 kHz with 2 channels.
public struct SDPRTPMap: Sendable, Hashable {
    /// The RTP payload type, 0-127.
    public var payloadType: UInt8
    /// The encoding name as written, such as `opus`, `VP8` or `telephone-event`. Compare it without
    /// regard to case.
    public var encodingName: String
    /// The RTP clock rate in Hz.
    public var clockRate: UInt32
    /// The encoding parameters after the clock rate: the channel count for audio; nil when absent.
    public var channels: UInt16?

    /// Makes an rtpmap attribute.
    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt16? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }
}

extension SDPRTPMap {
    /// Parses the value of `a=rtpmap`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2 else {
            throw WireError(.syntax, "a=rtpmap is not <payload type> <encoding>/<clock rate>", offset: line)
        }
        guard let payloadType = SDPText.payloadType(fields[0]) else {
            throw WireError(.syntax, "a=rtpmap payload type is not a number in 0-127", offset: line)
        }
        let parts = fields[1].split(separator: SDPText.slash, omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, SDPText.isToken(parts[0]) else {
            throw WireError(.syntax, "a=rtpmap is not <payload type> <encoding>/<clock rate>", offset: line)
        }
        guard let clockRate = SDPText.decimal(parts[1], as: UInt32.self) else {
            throw WireError(.syntax, "a=rtpmap clock rate is not a number", offset: line)
        }
        var channels: UInt16?
        if parts.count == 3 {
            guard let count = SDPText.decimal(parts[2], as: UInt16.self) else {
                throw WireError(.syntax, "a=rtpmap channel count is not a number", offset: line)
            }
            channels = count
        }
        self.init(
            payloadType: payloadType,
            encodingName: SDPText.string(parts[0]),
            clockRate: clockRate,
            channels: channels
        )
    }

    /// Writes the whole `a=rtpmap` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("rtpmap")
        writer.decimal(UInt64(self.payloadType))
        writer.space()
        writer.text(self.encodingName)
        writer.byte(SDPText.slash)
        writer.decimal(UInt64(self.clockRate))
        if let channels = self.channels {
            writer.byte(SDPText.slash)
            writer.decimal(UInt64(channels))
        }
        writer.endLine()
    }
}
