/// The optional `id` of a client message (a string or a number), echoed in the reply.
public enum MessageID: Sendable, Hashable, Codable {
    /// A string id, echoed as a string.
    case string(String)
    /// An integer id, echoed as an integer.
    case integer(Int64)
    /// A non-integer number, echoed as a number.
    case number(Double)

    /// Decodes a string or a number; anything else is a `typeMismatch`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes the id as it came.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        }
    }
}
