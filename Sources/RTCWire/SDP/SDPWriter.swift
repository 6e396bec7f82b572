// Appends SDP text to a byte array. Every writer of an SDP type goes through these few calls, which
// is where free text is made safe: `text(_:)` drops control characters, so a value built in code
// (a session name, a track ID) can never end its line early and inject lines of its own.

/// Appends the lines of an SDP document to a byte array.
struct SDPWriter {
    var bytes: [UInt8]

    /// Starts a line of the given type letter: `x=`.
    mutating func start(_ type: UInt8) {
        self.bytes.append(type)
        self.bytes.append(SDPText.equals)
    }

    /// Starts an attribute line: `a=name`.
    mutating func attribute(_ name: StaticString) {
        self.start(0x61)
        self.raw(name)
    }

    /// Starts an attribute line with a value: `a=name:`.
    mutating func attributeWithValue(_ name: StaticString) {
        self.attribute(name)
        self.bytes.append(SDPText.colon)
    }

    /// Appends fixed ASCII text.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    /// Appends one byte.
    mutating func byte(_ byte: UInt8) {
        self.bytes.append(byte)
    }

    /// Appends one space.
    mutating func space() {
        self.bytes.append(SDPText.space)
    }

    /// Appends text, leaving out control characters (except tab) so the line cannot be split.
    mutating func text(_ text: String) {
        for byte in text.utf8 where (byte >= 0x20 || byte == SDPText.tab) && byte != 0x7F {
            self.bytes.append(byte)
        }
    }

    /// Appends an unsigned number in decimal.
    mutating func decimal(_ value: UInt64) {
        if value >= 10 {
            self.decimal(value / 10)
        }
        self.bytes.append(UInt8(truncatingIfNeeded: value % 10) &+ 0x30)
    }

    /// Ends the line with CRLF.
    mutating func endLine() {
        self.bytes.append(0x0D)
        self.bytes.append(0x0A)
    }
}
