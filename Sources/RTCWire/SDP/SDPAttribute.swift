/// An attribute line (`a=name` or `a=name:value`) that the parser keeps as text.
///
/// The parser gives every attribute it knows a typed field of ``SessionDescription`` or
/// ``MediaDescription``; all others, and known ones that appear at a level where they have no
/// meaning (such as `a=mid` before the first `m=` line), are kept here, in the order they appeared,
/// and written back after the typed attributes of the same level.
public struct SDPAttribute: Sendable, Hashable {
    /// The attribute name, the text between `a=` and the first `:`.
    public var name: String
    /// The text after the first `:`, nil for a flag attribute written without a colon. Leading
    /// spaces are kept; trailing spaces and tabs are removed from every line.
    public var value: String?

    /// Makes an attribute. The name must be an SDP token (no spaces, no `:`) or the written line
    /// will not parse back to the same attribute.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

extension SDPAttribute {
    /// Writes the whole `a=` line.
    func write(to writer: inout SDPWriter) {
        writer.start(0x61)
        writer.text(self.name)
        if let value = self.value {
            writer.byte(SDPText.colon)
            writer.text(value)
        }
        writer.endLine()
    }
}
