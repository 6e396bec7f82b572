/// One `name=value` (or bare `name`) parameter from a list such as an `a=fmtp` value or an
/// `a=rid` restriction list.
public struct SDPParameter: Sendable, Hashable {
    /// The parameter name as written, such as `useinbandfec`. Compare it without regard to case.
    public var name: String
    /// The text after the first `=`, nil for a parameter written without one (such as the `111/111`
    /// of a RED fmtp line).
    public var value: String?

    /// Makes a parameter.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

extension SDPParameter {
    /// Splits `a=b;c=d;e` at semicolons into parameters, trimming spaces and skipping empty ones.
    static func list(_ bytes: ArraySlice<UInt8>) -> [SDPParameter] {
        var parameters: [SDPParameter] = []
        for item in bytes.split(separator: SDPText.semicolon) {
            let trimmed = SDPText.trimmed(item)
            guard !trimmed.isEmpty else {
                continue
            }
            let (name, value) = SDPText.split(trimmed, at: SDPText.equals)
            parameters.append(
                SDPParameter(
                    name: SDPText.string(SDPText.trimmed(name)),
                    value: value.map { SDPText.string(SDPText.trimmed($0)) }
                )
            )
        }
        return parameters
    }

    /// Writes the parameters joined by semicolons.
    static func writeList(_ parameters: [SDPParameter], to writer: inout SDPWriter) {
        for (index, parameter) in parameters.enumerated() {
            if index > 0 {
                writer.byte(SDPText.semicolon)
            }
            writer.text(parameter.name)
            if let value = parameter.value {
                writer.byte(SDPText.equals)
                writer.text(value)
            }
        }
    }

    /// The value of the first parameter called `name` (ASCII case-insensitive): "" for a bare
    /// parameter, nil when absent.
    static func value(of name: String, in parameters: [SDPParameter]) -> String? {
        let wanted = name.lowercased()
        for parameter in parameters where parameter.name.lowercased() == wanted {
            return parameter.value ?? ""
        }
        return nil
    }
}
