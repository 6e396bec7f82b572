/// The class of a STUN message (RFC 8489 section 5): what role it plays in a transaction.
public enum STUNMessageClass: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// A request, which expects a success or error response with the same transaction ID.
    case request = 0
    /// An indication, which expects no response.
    case indication = 1
    /// A success response to a request.
    case successResponse = 2
    /// An error response to a request; it carries an ERROR-CODE.
    case errorResponse = 3

    /// The class's name, such as `successResponse`.
    public var description: String {
        switch self {
        case .request: return "request"
        case .indication: return "indication"
        case .successResponse: return "successResponse"
        case .errorResponse: return "errorResponse"
        }
    }
}
