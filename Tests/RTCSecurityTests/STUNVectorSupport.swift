/// RFC 5769 vectors from Tests/Vectors/rfc5769.json, for the STUN integrity tests, loaded and
/// decoded with the target's one vector reader (``SecurityVectors``).
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

        /// The sample message; throws if the vector's hex is malformed.
        var bytes: [UInt8] {
            get throws { try SecurityVectors.bytes(self.message) }
        }
        /// The HMAC key; throws if the vector's hex is malformed.
        var key: [UInt8] {
            get throws { try SecurityVectors.bytes(self.hmac_key.hex) }
        }
    }
    let vectors: [Vector]

    static func load() throws -> [Vector] {
        try SecurityVectors.load("rfc5769.json", as: STUNSecurityVectors.self).vectors
    }

    static func vector(_ section: String) throws -> Vector {
        guard let vector = try self.load().first(where: { $0.section == section }) else {
            throw STUNMissingVector(section: section)
        }
        return vector
    }
}

/// The vector file has no sample for a section a test asked for.
struct STUNMissingVector: Error, CustomStringConvertible {
    let section: String
    var description: String { "rfc5769.json has no section \(self.section)" }
}
