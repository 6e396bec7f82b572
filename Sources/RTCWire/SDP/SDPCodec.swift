/// One payload type of a media description with everything said about it: its `a=rtpmap`,
/// `a=fmtp` and `a=rtcp-fb` lines joined (see ``MediaDescription/codecs``).
///
/// Also the unit ``MediaDescription/appendCodec(_:)`` adds when building a description in code.
public struct SDPCodec: Sendable, Hashable {
    /// The RTP payload type.
    public var payloadType: UInt8
    /// The encoding name as written, such as `opus` or `VP8`.
    public var encodingName: String
    /// The RTP clock rate in Hz.
    public var clockRate: UInt32
    /// The channel count (audio), nil when not written.
    public var channels: UInt16?
    /// The `a=fmtp` line, nil when there is none.
    public var formatParameters: SDPFormatParameters?
    /// The feedback the payload type supports: its own `a=rtcp-fb` lines, then those for `*`.
    public var feedback: [SDPRTCPFeedback]

    /// Makes a codec. Feedback entries are written for this payload type whatever their own
    /// ``SDPRTCPFeedback/payloadType`` says.
    public init(
        payloadType: UInt8,
        encodingName: String,
        clockRate: UInt32,
        channels: UInt16? = nil,
        formatParameters: SDPFormatParameters? = nil,
        feedback: [SDPRTCPFeedback] = []
    ) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
        self.feedback = feedback
    }

    /// The value of the fmtp parameter called `name` (case-insensitive): "" for a bare parameter,
    /// nil when absent.
    public func parameter(_ name: String) -> String? {
        self.formatParameters?.value(of: name)
    }

    /// Whether the encoding name is `name`, ignoring case.
    public func isNamed(_ name: String) -> Bool {
        self.encodingName.lowercased() == name.lowercased()
    }

    /// For an RTX codec, the payload type it retransmits (its `apt=` parameter).
    public var associatedPayloadType: UInt8? {
        guard let apt = self.parameter("apt") else {
            return nil
        }
        return SDPText.payloadType(ArraySlice(apt.utf8))
    }

    /// The meaning of the static payload types of RFC 3551 that WebRTC offers without `a=rtpmap`.
    static func staticPayloadType(_ payloadType: UInt8) -> (name: String, clockRate: UInt32, channels: UInt16?)? {
        switch payloadType {
        case 0: return ("PCMU", 8_000, nil)
        case 3: return ("GSM", 8_000, nil)
        case 4: return ("G723", 8_000, nil)
        case 8: return ("PCMA", 8_000, nil)
        case 9: return ("G722", 8_000, nil)
        case 13: return ("CN", 8_000, nil)
        case 18: return ("G729", 8_000, nil)
        default: return nil
        }
    }
}
