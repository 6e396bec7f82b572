/// An `a=simulcast` attribute (RFC 8853): the simulcast streams sent and received, by RID.
///
/// `a=simulcast:send q;h;~f recv r` parses to three send streams (`q`, `h`, and `f` paused) and one
/// receive stream. Each stream is a list of alternative RIDs in preference order (`a,b` in the
/// text); most offers give one RID per stream. The canonical written form puts `send` first.
public struct SDPSimulcast: Sendable, Hashable {
    /// One RID of a simulcast stream, possibly paused (`~`).
    public struct Alternative: Sendable, Hashable {
        /// The RID, matching an `a=rid` line of the same media description.
        public var rid: String
        /// Whether the stream starts paused (written with a `~` prefix).
        public var paused: Bool

        /// Makes an alternative.
        public init(rid: String, paused: Bool = false) {
            self.rid = rid
            self.paused = paused
        }
    }

    /// The streams sent, each a non-empty list of alternatives.
    public var send: [[Alternative]]
    /// The streams received, each a non-empty list of alternatives.
    public var receive: [[Alternative]]

    /// Makes a simulcast attribute. At least one of the two lists must be non-empty for the line to
    /// parse back.
    public init(send: [[Alternative]] = [], receive: [[Alternative]] = []) {
        self.send = send
        self.receive = receive
    }
}

extension SDPSimulcast {
    /// Parses the value of `a=simulcast`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2 || fields.count == 4 else {
            throw WireError(.syntax, "a=simulcast is not <send|recv> <streams> [<send|recv> <streams>]", offset: line)
        }
        self.init()
        var sawSend = false
        var sawReceive = false
        var index = 0
        while index + 1 < fields.count {
            let streams = try SDPSimulcast.streams(fields[index + 1], line: line)
            if SDPText.equals(fields[index], "send"), !sawSend {
                sawSend = true
                self.send = streams
            } else if SDPText.equals(fields[index], "recv"), !sawReceive {
                sawReceive = true
                self.receive = streams
            } else {
                throw WireError(.syntax, "a=simulcast direction is not send or recv, or is repeated", offset: line)
            }
            index += 2
        }
    }

    /// Parses `a,b;c;~d` into streams of alternatives.
    private static func streams(_ bytes: ArraySlice<UInt8>, line: Int) throws(WireError) -> [[Alternative]] {
        var streams: [[Alternative]] = []
        for stream in bytes.split(separator: SDPText.semicolon, omittingEmptySubsequences: false) {
            var alternatives: [Alternative] = []
            for alternative in stream.split(separator: SDPText.comma, omittingEmptySubsequences: false) {
                var rid = alternative
                let paused = rid.first == SDPText.tilde
                if paused {
                    rid = rid.dropFirst()
                }
                guard SDPText.isRIDIdentifier(rid) else {
                    throw WireError(.syntax, "a=simulcast stream is not a RID", offset: line)
                }
                alternatives.append(Alternative(rid: SDPText.string(rid), paused: paused))
            }
            streams.append(alternatives)
        }
        return streams
    }

    /// Writes the whole `a=simulcast` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("simulcast")
        var first = true
        for (direction, streams) in [("send", self.send), ("recv", self.receive)] where !streams.isEmpty {
            if !first {
                writer.space()
            }
            first = false
            writer.text(direction)
            writer.space()
            for (streamIndex, stream) in streams.enumerated() {
                if streamIndex > 0 {
                    writer.byte(SDPText.semicolon)
                }
                for (index, alternative) in stream.enumerated() {
                    if index > 0 {
                        writer.byte(SDPText.comma)
                    }
                    if alternative.paused {
                        writer.byte(SDPText.tilde)
                    }
                    writer.text(alternative.rid)
                }
            }
        }
        writer.endLine()
    }
}
