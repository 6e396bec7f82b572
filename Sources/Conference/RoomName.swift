/// The validated name of a room: 1 to 64 characters of `A-Z a-z 0-9 . _ -`, not starting with a dot.
///
/// Names appear in URLs of the admin API and in recording file names, which is why the alphabet is
/// so small. Make one with ``init(_:)``, which throws a ``ConferenceError`` with code
/// ``ConferenceError/Code/badRequest`` and a sentence naming the rule that was broken.
public struct RoomName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest name accepted, in characters.
    public static let maximumLength = 64

    /// The name as written.
    public let rawValue: String

    /// Validates `text` as a room name.
    ///
    /// - Throws: ``ConferenceError`` with code ``ConferenceError/Code/badRequest`` when `text` is
    ///   empty, longer than 64 characters, starts with a dot or contains any other character than
    ///   ASCII letters, digits, `.`, `_` and `-`.
    public init(_ text: String) throws(ConferenceError) {
        let bytes = text.utf8
        guard !bytes.isEmpty else {
            throw ConferenceError(
                .badRequest,
                "The room name is empty; give a name of 1 to 64 letters, digits, '.', '_' or '-'."
            )
        }
        guard bytes.count <= Self.maximumLength else {
            throw ConferenceError(
                .badRequest,
                "The room name is longer than \(Self.maximumLength) characters; choose a shorter name."
            )
        }
        guard bytes.first != UInt8(ascii: ".") else {
            throw ConferenceError(
                .badRequest,
                "The room name starts with a dot; start it with a letter, digit, '_' or '-'."
            )
        }
        for byte in bytes where !Self.isAllowed(byte) {
            throw ConferenceError(
                .badRequest,
                "The room name contains a character other than ASCII letters, digits, '.', '_' or '-'; remove it."
            )
        }
        self.rawValue = text
    }

    /// The name.
    public var description: String {
        self.rawValue
    }

    /// Orders names as their text does (byte order).
    public static func < (lhs: RoomName, rhs: RoomName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
