/// A `t=` line with the `r=` lines that follow it: when the session is active.
///
/// WebRTC sessions are unbounded and always write `t=0 0`, which is the default.
public struct SDPTiming: Sendable, Hashable {
    /// The start time in NTP seconds, 0 for a session that is always active.
    public var start: UInt64
    /// The stop time in NTP seconds, 0 for an unbounded session.
    public var stop: UInt64
    /// The values of the `r=` (repeat times) lines after this `t=` line, kept as written.
    public var repeats: [String]

    /// Makes a timing line; the defaults give `t=0 0`.
    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }
}

extension SDPTiming {
    /// Parses the value of a `t=` line.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2,
            let start = SDPText.decimal(fields[0], as: UInt64.self),
            let stop = SDPText.decimal(fields[1], as: UInt64.self)
        else {
            throw WireError(.syntax, "t= line is not <start> <stop>", offset: line)
        }
        self.init(start: start, stop: stop)
    }

    /// Writes the `t=` line and its `r=` lines.
    func write(to writer: inout SDPWriter) {
        writer.start(0x74)
        writer.decimal(self.start)
        writer.space()
        writer.decimal(self.stop)
        writer.endLine()
        for repeatTime in self.repeats {
            writer.start(0x72)
            writer.text(repeatTime)
            writer.endLine()
        }
    }
}
