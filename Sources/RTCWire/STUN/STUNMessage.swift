/// A parsed STUN message (RFC 8489): header fields, the decoded values of the attributes ICE uses,
/// and the offsets needed to read the rest or to check MESSAGE-INTEGRITY, all without copying.
///
/// Parse every datagram that ``PacketClass`` calls `.stun` with ``init(parsing:fingerprint:)``. The
/// parser walks the attributes once, checks every length, decodes the small fixed-size ones
/// (PRIORITY, ICE-CONTROLLING/CONTROLLED, USE-CANDIDATE, XOR-MAPPED-ADDRESS, ERROR-CODE) into fields,
/// and records value ranges for the variable-length ones (USERNAME, SOFTWARE, the error reason). It
/// stores no reference to the bytes and allocates nothing; read text attributes afterwards with the
/// accessors that take the same bytes again, such as ``username(in:)``.
///
/// ## What is trusted
///
/// Only attributes before MESSAGE-INTEGRITY are covered by it. Attributes after it, other than
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, are ignored as RFC 8489 section 14.5 requires: they do
/// not set any field here, and are only counted in ``ignoredAfterIntegrityCount``. Nothing in this
/// value is authenticated until RTCSecurity has verified ``messageIntegrity`` with the right key.
///
/// ## What is rejected
///
/// A `WireError` is thrown for: fewer than 20 bytes; either of the first two bits set; a length
/// field that is not the datagram's length minus 20 or not a multiple of 4; a wrong magic cookie; an
/// attribute whose value (with its padding to 4 bytes) runs past the end, or whose length is 0xFFFF;
/// more than ``maximumAttributeCount`` attributes; an attribute after FINGERPRINT; a recognised
/// attribute of the wrong size (MESSAGE-INTEGRITY other than 20 bytes, PRIORITY other than 4, ...);
/// USERNAME, SOFTWARE or a reason phrase over 763 bytes; USERNAME that is not UTF-8; an ERROR-CODE
/// outside 300-699; an unknown address family; and, depending on ``FingerprintPolicy``, a missing or
/// wrong FINGERPRINT. Padding bytes may hold any value.
public struct STUNMessage: Sendable {
    /// The magic cookie every RFC 5389/8489 message carries in bytes 4-7.
    public static let magicCookie: UInt32 = 0x2112_A442

    /// The most attributes a message may carry. A browser's Binding request carries about eight;
    /// the cap bounds the parser's work on hostile input.
    public static let maximumAttributeCount = 32

    /// The most bytes USERNAME, SOFTWARE or an ERROR-CODE reason phrase may hold (RFC 8489).
    public static let maximumTextLength = 763

    /// Method and class.
    public let type: STUNMessageType
    /// The 96-bit transaction ID.
    public let transactionID: STUNTransactionID
    /// The whole message's size in bytes (header included), which is the datagram's size.
    public let byteCount: Int
    /// How many attributes the message carries, including those after MESSAGE-INTEGRITY.
    public internal(set) var attributeCount: Int = 0

    /// The USERNAME value (well-formed UTF-8, at most 763 bytes), if present before the integrity
    /// attributes. Read it with ``username(in:)`` or ``usernameFragments(in:)``.
    public internal(set) var usernameRange: Range<Int>? = nil
    /// The SOFTWARE value, if present. Read it with ``software(in:)``.
    public internal(set) var softwareRange: Range<Int>? = nil
    /// The ERROR-CODE's code, if present.
    public internal(set) var errorCode: STUNErrorCode? = nil
    /// The ERROR-CODE's reason phrase. Read it with ``errorReason(in:)``.
    public internal(set) var errorReasonRange: Range<Int>? = nil
    /// The decoded XOR-MAPPED-ADDRESS, if present.
    public internal(set) var xorMappedAddress: STUNAddress? = nil
    /// The PRIORITY value, if present.
    public internal(set) var priority: UInt32? = nil
    /// Whether USE-CANDIDATE is present.
    public internal(set) var useCandidate: Bool = false
    /// The ICE-CONTROLLING tie-breaker, if present.
    public internal(set) var iceControlling: UInt64? = nil
    /// The ICE-CONTROLLED tie-breaker, if present.
    public internal(set) var iceControlled: UInt64? = nil

    /// Where MESSAGE-INTEGRITY is and what its HMAC-SHA1 covers, if the message has one.
    public internal(set) var messageIntegrity: STUNIntegrityLayout? = nil
    /// Where MESSAGE-INTEGRITY-SHA256 is and what it covers, if present (recognised; RTCSecurity
    /// verifies only MESSAGE-INTEGRITY).
    public internal(set) var messageIntegritySHA256: STUNIntegrityLayout? = nil
    /// Offset of the FINGERPRINT attribute's header, if present. It is the last attribute.
    public internal(set) var fingerprintOffset: Int? = nil
    /// The FINGERPRINT value as received, if present.
    public internal(set) var fingerprint: UInt32? = nil

    /// The first comprehension-required attribute type (below 0x8000) that is not
    /// ``STUNAttributeType/isRecognized``, before the integrity attributes. A server answers a
    /// request carrying one with 420 Unknown Attribute.
    public internal(set) var firstUnknownRequiredAttribute: STUNAttributeType? = nil
    /// How many attributes followed MESSAGE-INTEGRITY (or -SHA256) and were ignored, not counting
    /// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.
    public internal(set) var ignoredAfterIntegrityCount: Int = 0

    /// The method, such as Binding.
    public var method: STUNMethod {
        self.type.method
    }

    /// The class, such as request.
    public var messageClass: STUNMessageClass {
        self.type.messageClass
    }

    /// The ICE role the sender claims, from ICE-CONTROLLING (checked first) or ICE-CONTROLLED.
    public var iceRole: STUNICERole? {
        if let tieBreaker = self.iceControlling { return .controlling(tieBreaker: tieBreaker) }
        if let tieBreaker = self.iceControlled { return .controlled(tieBreaker: tieBreaker) }
        return nil
    }
}
