/// How an RTP header extension block lays out its contents, decided by its 16-bit profile field.
///
/// RFC 8285 defines two element formats, told apart by the profile; any other profile is an
/// application-specific block (RFC 3550 section 5.3.1) that RTCWire keeps as opaque bytes.
public enum RTPHeaderExtensionForm: Hashable, Sendable {
    /// Profile `0xBEDE` (RFC 8285 section 4.2): one header byte per element, ids 1-14, 1-16 value
    /// bytes.
    case oneByte
    /// Profile `0x100X` (RFC 8285 section 4.3): two header bytes per element, ids 1-255, 0-255 value
    /// bytes. `appBits` is the low nibble of the profile, which RFC 8285 leaves to the application.
    case twoByte(appBits: UInt8)
    /// Any other profile: the block's bytes have no structure RTCWire knows about.
    case opaque
}

extension RTPHeaderExtensionForm {
    /// The profile value of the one-byte form (RFC 8285 section 4.2).
    public static let oneByteProfile: UInt16 = 0xBEDE

    /// The profile value of the two-byte form with zero app bits (RFC 8285 section 4.3); the low
    /// four bits carry the app bits.
    public static let twoByteProfileBase: UInt16 = 0x1000

    /// The form a block with this profile has.
    @inlinable
    public init(profile: UInt16) {
        if profile == Self.oneByteProfile {
            self = .oneByte
        } else if profile & 0xFFF0 == Self.twoByteProfileBase {
            self = .twoByte(appBits: UInt8(truncatingIfNeeded: profile & 0x000F))
        } else {
            self = .opaque
        }
    }

    /// The number of header bytes in front of each element's value: 1 for the one-byte form, 2 for
    /// the two-byte form, 0 for an opaque block (which has no elements).
    @inlinable
    public var elementHeaderLength: Int {
        switch self {
        case .oneByte: return 1
        case .twoByte: return 2
        case .opaque: return 0
        }
    }

    /// Whether an element with this id and value length can be written in this form: ids 1-14 with
    /// 1-16 value bytes in the one-byte form (id 15 is reserved, RFC 8285 section 4.2), ids 1-255
    /// with 0-255 value bytes in the two-byte form, nothing in an opaque block.
    @inlinable
    public func canCarry(id: UInt8, valueLength: Int) -> Bool {
        switch self {
        case .oneByte: return (1...14).contains(id) && (1...16).contains(valueLength)
        case .twoByte: return id != 0 && (0...255).contains(valueLength)
        case .opaque: return false
        }
    }

    /// Whether an element id is valid in this form, whatever its length (see ``canCarry(id:valueLength:)``).
    @inlinable
    public func canCarry(id: UInt8) -> Bool {
        switch self {
        case .oneByte: return (1...14).contains(id)
        case .twoByte: return id != 0
        case .opaque: return false
        }
    }
}
