/// The 14-bit STUN message type: a ``STUNMethod`` and a ``STUNMessageClass`` with their bits
/// interleaved as RFC 8489 section 5 lays them out (`M11..M7 C1 M6..M4 C0 M3..M0`).
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The operation, such as Binding.
    public let method: STUNMethod
    /// The message's role in its transaction.
    public let messageClass: STUNMessageClass

    /// Combines a method and a class.
    public init(method: STUNMethod, messageClass: STUNMessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits the 16-bit type field of a STUN header into method and class.
    ///
    /// - Returns: `nil` if either of the two most significant bits is set (such a datagram is not
    ///   STUN).
    public init?(rawValue: UInt16) {
        guard rawValue & 0xC000 == 0 else { return nil }
        let method = (rawValue & 0x000F) | ((rawValue & 0x00E0) &>> 1) | ((rawValue & 0x3E00) &>> 2)
        let classBits = ((rawValue & 0x0010) &>> 4) | ((rawValue & 0x0100) &>> 7)
        self.method = STUNMethod(uncheckedRawValue: method)
        // Two bits always name one of the four cases.
        self.messageClass = STUNMessageClass(rawValue: UInt8(truncatingIfNeeded: classBits)) ?? .request
    }

    /// The 16-bit value of the header's type field.
    public var rawValue: UInt16 {
        let method = self.method.rawValue
        let classBits = UInt16(self.messageClass.rawValue)
        return (method & 0x000F) | ((classBits & 1) &<< 4) | ((method & 0x0070) &<< 1)
            | ((classBits & 2) &<< 7) | ((method & 0x0F80) &<< 2)
    }

    /// Binding request (0x0001): an ICE connectivity check or consent check.
    public static let bindingRequest = STUNMessageType(method: .binding, messageClass: .request)
    /// Binding indication (0x0011): a keepalive that expects no answer.
    public static let bindingIndication = STUNMessageType(method: .binding, messageClass: .indication)
    /// Binding success response (0x0101).
    public static let bindingSuccessResponse = STUNMessageType(method: .binding, messageClass: .successResponse)
    /// Binding error response (0x0111).
    public static let bindingErrorResponse = STUNMessageType(method: .binding, messageClass: .errorResponse)

    /// Such as `binding successResponse`.
    public var description: String {
        "\(self.method) \(self.messageClass)"
    }
}
