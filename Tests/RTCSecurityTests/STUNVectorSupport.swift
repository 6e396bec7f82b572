import Foundation

/// RFC 5769 vectors from Tests/Vectors/rfc5769.json, for the STUN integrity tests. Names carry a
/// STUN prefix: other helpers keep their own vector loaders in this target.
struct STUNSecurityVectors: Decodable {
    struct Vector: Decodable {
        struct Parameters: Decodable {
            let password: String?
        }
        struct Key: Decodable {
            let hex: String
        }
        struct Expected: Decodable {
            let message_integrity: String
            let fingerprint: String?
        }
        let section: String
        let parameters: Parameters
        let message: String
        let hmac_key: Key
        let expected: Expected

        var bytes: [UInt8] { STUNHex.bytes(self.message) }
        var key: [UInt8] { STUNHex.bytes(self.hmac_key.hex) }
    }
    let vectors: [Vector]

    static func load() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Vectors")
            .appendingPathComponent("rfc5769.json")
        return try JSONDecoder().decode(STUNSecurityVectors.self, from: Data(contentsOf: url)).vectors
    }

    static func vector(_ section: String) throws -> Vector {
        guard let vector = try self.load().first(where: { $0.section == section }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return vector
    }
}

/// Hex conversion for the STUN tests.
enum STUNHex {
    /// Bytes from lowercase or uppercase hex without separators.
    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8? = nil
        for character in hex.utf8 {
            guard let nibble = UInt8(String(UnicodeScalar(character)), radix: 16) else { continue }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
