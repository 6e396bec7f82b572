/// An `a=fingerprint` attribute (RFC 8122): the hash of the DTLS certificate an endpoint will
/// present.
///
/// After the DTLS handshake, hash the peer's certificate with ``hashFunction`` and compare the digest
/// with ``value``; a description may carry several fingerprints (aiortc sends sha-256, sha-384 and
/// sha-512), and one match is enough. The parser checks that the digest length fits the hash
/// function for the functions it knows.
public struct SDPFingerprint: Sendable, Hashable {
    /// The hash function's name in lower case, such as `sha-256` (the parser lower-cases it).
    public var hashFunction: String
    /// The digest bytes (written as upper-case hex pairs separated by colons).
    public var value: [UInt8]

    /// Makes a fingerprint. Use lower-case hash function names, as the parser produces them.
    public init(hashFunction: String, value: [UInt8]) {
        self.hashFunction = hashFunction
        self.value = value
    }

    /// The digest as SDP writes it: upper-case hex pairs separated by colons.
    public var hexValue: String {
        var writer = SDPWriter(bytes: [])
        self.writeValue(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The digest length of the hash functions RFC 8122 lists, or nil for others.
    static func digestLength(of hashFunction: String) -> Int? {
        switch hashFunction {
        case "md2", "md5": return 16
        case "sha-1": return 20
        case "sha-224": return 28
        case "sha-256": return 32
        case "sha-384": return 48
        case "sha-512": return 64
        default: return nil
        }
    }
}

extension SDPFingerprint {
    /// Parses the value of `a=fingerprint`.
    init(sdpValue value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2, SDPText.isToken(fields[0]) else {
            throw WireError(.syntax, "a=fingerprint is not <hash-function> <hex>", offset: line)
        }
        let hex = fields[1]
        // Pairs of hex digits separated by single colons: 3n - 1 bytes for n digest bytes. No hash
        // function digests more than 64 bytes.
        guard hex.count % 3 == 2, hex.count <= 64 * 3 - 1 else {
            throw WireError(.syntax, "a=fingerprint value is not colon-separated hex pairs", offset: line)
        }
        var digest: [UInt8] = []
        digest.reserveCapacity((hex.count + 1) / 3)
        var index = hex.startIndex
        while index < hex.endIndex {
            guard index + 1 < hex.endIndex,
                let high = SDPText.hexDigit(hex[index]),
                let low = SDPText.hexDigit(hex[index + 1])
            else {
                throw WireError(.syntax, "a=fingerprint value is not colon-separated hex pairs", offset: line)
            }
            digest.append(high &<< 4 | low)
            index += 2
            if index < hex.endIndex {
                guard hex[index] == SDPText.colon else {
                    throw WireError(.syntax, "a=fingerprint value is not colon-separated hex pairs", offset: line)
                }
                index += 1
            }
        }
        let hashFunction = SDPText.string(fields[0]).lowercased()
        if let expected = SDPFingerprint.digestLength(of: hashFunction), expected != digest.count {
            throw WireError(.syntax, "a=fingerprint length does not fit its hash function", offset: line)
        }
        self.init(hashFunction: hashFunction, value: digest)
    }

    /// Writes the digest as upper-case hex pairs separated by colons.
    func writeValue(to writer: inout SDPWriter) {
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { digits in
            for (index, byte) in self.value.enumerated() {
                if index > 0 {
                    writer.byte(SDPText.colon)
                }
                writer.byte(digits[Int(byte &>> 4)])
                writer.byte(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// Writes the whole `a=fingerprint` line.
    func write(to writer: inout SDPWriter) {
        writer.attributeWithValue("fingerprint")
        writer.text(self.hashFunction)
        writer.space()
        self.writeValue(to: &writer)
        writer.endLine()
    }
}
