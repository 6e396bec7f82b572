/// A linear pre-check of untrusted JSON text before it reaches a parser.
///
/// It finds the first significant byte (which must open an object) and the maximum nesting depth
/// of objects and arrays outside strings, in one pass with no recursion and no allocation, so a
/// frame of 10^4 nested brackets is refused in microseconds instead of exercising a recursive
/// parser. It does not validate the JSON: the parser does that next.
enum JSONShape {
    enum Result: Equatable {
        case ok
        case notAnObject
        case tooDeep
    }

    static func check(_ bytes: [UInt8], maxDepth: Int) -> Result {
        var depth = 0
        var inString = false
        var escaped = false
        var sawFirst = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if !sawFirst && byte != UInt8(ascii: "{") { return .notAnObject }
                depth += 1
                if depth > maxDepth { return .tooDeep }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: "\""):
                if !sawFirst { return .notAnObject }
                inString = true
            default:
                if !sawFirst { return .notAnObject }
            }
            sawFirst = true
        }
        return sawFirst ? .ok : .notAnObject
    }
}
