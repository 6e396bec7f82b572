/// The ICE role a Binding request claims (RFC 8445 section 7.1.3), with the sender's tie-breaker.
///
/// Carried by ICE-CONTROLLING or ICE-CONTROLLED; a conflict between two agents claiming the same role
/// is resolved by comparing the 64-bit tie-breakers.
public enum STUNICERole: Hashable, Sendable {
    /// The sender is the controlling agent (ICE-CONTROLLING).
    case controlling(tieBreaker: UInt64)
    /// The sender is the controlled agent (ICE-CONTROLLED).
    case controlled(tieBreaker: UInt64)

    /// The tie-breaker, whichever the role.
    public var tieBreaker: UInt64 {
        switch self {
        case .controlling(let tieBreaker): return tieBreaker
        case .controlled(let tieBreaker): return tieBreaker
        }
    }

    /// The attribute type that carries this role.
    public var attributeType: STUNAttributeType {
        switch self {
        case .controlling: return .iceControlling
        case .controlled: return .iceControlled
        }
    }
}
