import Foundation

/// Reads JSON test vectors from `Tests/Vectors` for RTCSecurity's tests, and converts hex.
///
/// The hex helpers are static functions rather than an `Array` extension so that they cannot
/// clash with helpers other files of this test target declare.
enum SecurityVectors {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Vectors")
            .appendingPathComponent(name)
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: self.url(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Bytes from a hex string with no separators (spaces and newlines are skipped); throws for
    /// any other character or an odd number of digits, so that a typo in a vector fails the test.
    static func bytes(_ hex: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\n"): continue
            default: throw SecurityVectorHexError(text: hex)
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { throw SecurityVectorHexError(text: hex) }
        return bytes
    }

    /// Lowercase hex with no separators.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A hex string in a vector (or a test) that is not valid hex.
struct SecurityVectorHexError: Error, CustomStringConvertible {
    let text: String
    var description: String { "not valid hex: \(self.text)" }
}
