extension SessionDescription {
    /// Parses a session description received as text.
    ///
    /// - Parameters:
    ///   - text: the description; lines may end in CRLF or LF.
    ///   - limits: the bounds to enforce; the defaults suit browser offers.
    /// - Throws: ``WireError`` with ``WireError/offset`` set to the 1-based line number (0 for the
    ///   size limit): ``WireError/Code/tooLarge`` or ``WireError/Code/tooMany`` when a limit is
    ///   exceeded, ``WireError/Code/missingField`` when `v=`, `o=`, `s=` or `t=` is absent, and
    ///   ``WireError/Code/syntax`` for anything else malformed. The ``WireError/context`` says what.
    public init(parsing text: String, limits: SDPLimits = .default) throws(WireError) {
        // Check the size before copying anything.
        guard text.utf8.count <= limits.maxBytes else {
            throw WireError(.tooLarge, "SDP larger than the size limit", offset: 0)
        }
        var parser = SDPParser(bytes: Array(text.utf8), limits: limits, checkUTF8: false)
        self = try parser.parse()
    }

    /// Parses a session description received as UTF-8 bytes, as ``init(parsing:limits:)-(String,_)``
    /// does; a line that is not valid UTF-8 is a ``WireError/Code/syntax`` error.
    public init(parsing bytes: [UInt8], limits: SDPLimits = .default) throws(WireError) {
        var parser = SDPParser(bytes: bytes, limits: limits, checkUTF8: true)
        self = try parser.parse()
    }

    /// Parses a session description received as UTF-8 bytes, as ``init(parsing:limits:)-(String,_)``
    /// does; a line that is not valid UTF-8 is a ``WireError/Code/syntax`` error.
    public init(parsing bytes: Span<UInt8>, limits: SDPLimits = .default) throws(WireError) {
        // Check the size before copying anything.
        guard bytes.count <= limits.maxBytes else {
            throw WireError(.tooLarge, "SDP larger than the size limit", offset: 0)
        }
        let copy = bytes.withUnsafeBufferPointer { Array($0) }
        var parser = SDPParser(bytes: copy, limits: limits, checkUTF8: true)
        self = try parser.parse()
    }
}
