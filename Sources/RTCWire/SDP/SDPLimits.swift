/// Bounds the SDP parser enforces before and while it reads untrusted text.
///
/// SDP arrives from the signaling socket, so every dimension is bounded. The size, line count and
/// line length are checked in one pass over the bytes before any line is parsed: a description with
/// 10^5 lines is rejected after counting the first `maxLines + 1` of them. Exceeding a limit throws
/// ``WireError`` with code ``WireError/Code/tooLarge`` (size, line length) or
/// ``WireError/Code/tooMany`` (lines, media descriptions).
public struct SDPLimits: Sendable, Hashable {
    /// The largest accepted description, in bytes of UTF-8. Default 64 KiB.
    public var maxBytes: Int
    /// The most lines accepted, counting blank ones. Default 2000.
    public var maxLines: Int
    /// The longest accepted line in bytes, without its line ending. Default 4 KiB.
    public var maxLineLength: Int
    /// The most `m=` sections accepted. Default 128.
    public var maxMediaDescriptions: Int

    /// Makes a set of limits; every argument defaults to the value documented on its property.
    public init(
        maxBytes: Int = 65_536,
        maxLines: Int = 2_000,
        maxLineLength: Int = 4_096,
        maxMediaDescriptions: Int = 128
    ) {
        self.maxBytes = maxBytes
        self.maxLines = maxLines
        self.maxLineLength = maxLineLength
        self.maxMediaDescriptions = maxMediaDescriptions
    }

    /// The default limits, suitable for offers from browsers.
    public static var `default`: SDPLimits { SDPLimits() }
}
