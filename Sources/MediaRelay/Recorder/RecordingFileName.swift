/// How a recording's file is named: `<room>-<yyyyMMdd-HHmmss>.opus`, the room name reduced to a
/// safe subset, and a `-2`, `-3`... suffix when a file of that name exists.
///
/// A room name comes from a signaling client: it must never choose where a file goes. A name
/// holding a path separator (`/` or `\`), `..` or a NUL byte is refused outright rather than
/// cleaned, so an attempt shows up as an error; in any other name, every character outside
/// `A-Z a-z 0-9 - _ .` becomes `_`, a leading `.` becomes `_` (no hidden files), and the result is
/// cut to ``maximumRoomLength`` characters. The room's full name is kept in the file's `ROOM` tag.
public enum RecordingFileName {
    /// The longest room part of a file name, in characters (file names stay far below 255 bytes).
    public static let maximumRoomLength = 64

    /// The most names tried for one room and start time (the base name, then suffixes `-2`...).
    public static let maximumAttempts = 100

    /// The file-name form of `room`.
    ///
    /// - Throws: ``RecordingError`` with ``RecordingError/Code/invalidRoomName`` when the name is
    ///   empty or holds `/`, `\`, `..` or a NUL byte.
    public static func sanitizedRoom(_ room: String) throws(RecordingError) -> String {
        let utf8 = Array(room.utf8)
        let refused =
            utf8.isEmpty || utf8.contains(UInt8(ascii: "/")) || utf8.contains(UInt8(ascii: "\\"))
            || utf8.contains(0) || zip(utf8, utf8.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == $0 }
        guard !refused else {
            throw RecordingError(
                .invalidRoomName,
                path: "",
                message: "the room name \(Self.quoted(room)) cannot name a recording file: it is empty or holds "
                    + "'/', '\\\\', '..' or a NUL byte. Use a room name without them."
            )
        }
        var safe: [UInt8] = []
        for scalar in room.unicodeScalars.prefix(Self.maximumRoomLength) {
            let isSafe =
                scalar.isASCII
                && ((scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_" || scalar == ".")
            safe.append(isSafe ? UInt8(scalar.value) : UInt8(ascii: "_"))
        }
        if safe.first == UInt8(ascii: ".") {
            safe[0] = UInt8(ascii: "_")
        }
        return String(decoding: safe, as: UTF8.self)
    }

    /// The file name for attempt `attempt` (0 for the plain name, 1 for the `-2` suffix, ...).
    ///
    /// - Parameter room: a name already passed through ``sanitizedRoom(_:)``.
    public static func fileName(room: String, startTime: RecordingTimestamp, attempt: Int) -> String {
        let base = "\(room)-\(startTime.compact)"
        return attempt <= 0 ? base + ".opus" : base + "-\(attempt + 1).opus"
    }

    // A room name for an error message: at most 80 characters, control characters escaped.
    private static func quoted(_ room: String) -> String {
        var text = ""
        for scalar in room.unicodeScalars.prefix(80) {
            text +=
                scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return "\"" + text + "\""
    }
}
