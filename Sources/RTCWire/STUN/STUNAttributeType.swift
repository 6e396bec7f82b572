/// The 16-bit type of a STUN attribute (RFC 8489 section 18.3, RFC 8445 section 16.1).
///
/// Types 0x0000-0x7FFF are comprehension-required: a receiver that does not understand one must
/// reject a request carrying it (420 Unknown Attribute). Types 0x8000-0xFFFF are
/// comprehension-optional and may be ignored.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The type number as on the wire.
    public let rawValue: UInt16

    /// Creates a type from its number; every 16-bit value is a type.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// MAPPED-ADDRESS (0x0001): the reflexive address, not obfuscated (RFC 3489 compatibility).
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    /// USERNAME (0x0006): for ICE, `<receiver's ufrag>:<sender's ufrag>`.
    public static let username = STUNAttributeType(rawValue: 0x0006)
    /// MESSAGE-INTEGRITY (0x0008): HMAC-SHA1 over the message up to this attribute.
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    /// ERROR-CODE (0x0009): class, number and reason phrase of an error response.
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    /// UNKNOWN-ATTRIBUTES (0x000A): the comprehension-required types a 420 response refuses.
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    /// REALM (0x0014): the long-term credential realm.
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    /// NONCE (0x0015): the long-term credential nonce.
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    /// MESSAGE-INTEGRITY-SHA256 (0x001C): HMAC-SHA256, possibly truncated to 16-32 bytes.
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    /// PASSWORD-ALGORITHM (0x001D).
    public static let passwordAlgorithm = STUNAttributeType(rawValue: 0x001D)
    /// USERHASH (0x001E).
    public static let userhash = STUNAttributeType(rawValue: 0x001E)
    /// XOR-MAPPED-ADDRESS (0x0020): the reflexive transport address, XORed with the magic cookie
    /// and transaction ID.
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// PRIORITY (0x0024): the priority a peer-reflexive candidate learnt from this check would get.
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// USE-CANDIDATE (0x0025): the controlling agent nominates this pair. No value.
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    /// PASSWORD-ALGORITHMS (0x8002).
    public static let passwordAlgorithms = STUNAttributeType(rawValue: 0x8002)
    /// ALTERNATE-DOMAIN (0x8003).
    public static let alternateDomain = STUNAttributeType(rawValue: 0x8003)
    /// SOFTWARE (0x8022): a description of the sender's software, for diagnostics only.
    public static let software = STUNAttributeType(rawValue: 0x8022)
    /// ALTERNATE-SERVER (0x8023).
    public static let alternateServer = STUNAttributeType(rawValue: 0x8023)
    /// FINGERPRINT (0x8028): CRC-32 of the message up to this attribute, XOR 0x5354554E. Always last.
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    /// ICE-CONTROLLED (0x8029): the sender is the controlled agent; the value is its tie-breaker.
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    /// ICE-CONTROLLING (0x802A): the sender is the controlling agent; the value is its tie-breaker.
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)

    /// Whether a receiver that does not understand this type must reject the request (type < 0x8000).
    public var isComprehensionRequired: Bool {
        self.rawValue < 0x8000
    }

    /// Whether this type is one of the constants above, which RTCWire knows by name.
    ///
    /// ``STUNMessage/firstUnknownRequiredAttribute`` reports comprehension-required types that are
    /// not recognised, for a 420 response.
    public var isRecognized: Bool {
        switch self.rawValue {
        case 0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020, 0x0024,
            0x0025, 0x8002, 0x8003, 0x8022, 0x8023, 0x8028, 0x8029, 0x802A:
            return true
        default:
            return false
        }
    }

    /// The RFC name of a recognised type (such as `USERNAME`), or the number in hex.
    public var description: String {
        switch self.rawValue {
        case 0x0001: return "MAPPED-ADDRESS"
        case 0x0006: return "USERNAME"
        case 0x0008: return "MESSAGE-INTEGRITY"
        case 0x0009: return "ERROR-CODE"
        case 0x000A: return "UNKNOWN-ATTRIBUTES"
        case 0x0014: return "REALM"
        case 0x0015: return "NONCE"
        case 0x001C: return "MESSAGE-INTEGRITY-SHA256"
        case 0x001D: return "PASSWORD-ALGORITHM"
        case 0x001E: return "USERHASH"
        case 0x0020: return "XOR-MAPPED-ADDRESS"
        case 0x0024: return "PRIORITY"
        case 0x0025: return "USE-CANDIDATE"
        case 0x8002: return "PASSWORD-ALGORITHMS"
        case 0x8003: return "ALTERNATE-DOMAIN"
        case 0x8022: return "SOFTWARE"
        case 0x8023: return "ALTERNATE-SERVER"
        case 0x8028: return "FINGERPRINT"
        case 0x8029: return "ICE-CONTROLLED"
        case 0x802A: return "ICE-CONTROLLING"
        default: return "attribute(0x\(String(self.rawValue, radix: 16)))"
        }
    }
}
