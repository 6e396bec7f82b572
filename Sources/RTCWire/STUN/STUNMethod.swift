/// A STUN method: the 12-bit operation a message belongs to (RFC 8489 section 5), such as Binding.
///
/// Parley speaks only ``binding``; other methods (TURN's Allocate, Refresh, ...) parse fine and are
/// left to the caller to refuse.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method number, 0x000-0xFFF.
    public let rawValue: UInt16

    /// Creates a method from its number.
    ///
    /// - Returns: `nil` if `rawValue` does not fit in 12 bits.
    public init?(rawValue: UInt16) {
        guard rawValue <= 0x0FFF else { return nil }
        self.rawValue = rawValue
    }

    // For numbers already known to fit in 12 bits (constants and the parser's bit extraction).
    init(uncheckedRawValue: UInt16) {
        self.rawValue = uncheckedRawValue
    }

    /// Binding (0x001): the only method ICE connectivity checks and consent freshness use.
    public static let binding = STUNMethod(uncheckedRawValue: 0x001)

    /// `binding`, or the method number in hex.
    public var description: String {
        self == .binding ? "binding" : "method(0x\(String(self.rawValue, radix: 16)))"
    }
}
