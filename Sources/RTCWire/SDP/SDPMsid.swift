/// An `a=msid` attribute (RFC 8830): the media stream and track a media description carries.
///
/// Chromium writes `a=msid:<stream-id> <track-id>`, with `-` as the stream ID for a track that
/// belongs to no stream.
public struct SDPMsid: Sendable, Hashable {
    /// The media stream ID (`-` for none).
    public var streamID: String
    /// The application data, in practice the track ID; nil when absent.
    public var trackID: String?

    /// Makes an msid attribute.
    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }
}

extension SDPMsid {
    /// Parses the value of `a=msid`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 1 || fields.count == 2, SDPText.isToken(fields[0]) else {
            throw WireError(.syntax, "a=msid is not <stream-id> [<track-id>]", offset: line)
        }
        var trackID: String?
        if fields.count == 2 {
            guard SDPText.isToken(fields[1]) else {
                throw WireError(.syntax, "a=msid is not <stream-id> [<track-id>]", offset: line)
            }
            trackID = SDPText.string(fields[1])
        }
        self.init(streamID: SDPText.string(fields[0]), trackID: trackID)
    }

    /// Writes the whole `a=msid` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("msid")
        writer.text(self.streamID)
        if let trackID = self.trackID {
            writer.space()
            writer.text(trackID)
        }
        writer.endLine()
    }
}
