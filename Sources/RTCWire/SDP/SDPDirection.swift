/// A media direction attribute (RFC 8866 section 6.7): `a=sendrecv`, `a=sendonly`, `a=recvonly`
/// or `a=inactive`.
///
/// Directions are from the point of view of the endpoint that wrote the description. An answer
/// takes the ``reversed`` direction of the offer, or a narrower one.
public enum SDPDirection: String, Sendable, Hashable, CaseIterable {
    /// The endpoint sends and receives.
    case sendrecv
    /// The endpoint only sends.
    case sendonly
    /// The endpoint only receives.
    case recvonly
    /// The endpoint neither sends nor receives.
    case inactive

    /// The direction seen from the other endpoint: `sendonly` and `recvonly` swap.
    public var reversed: SDPDirection {
        switch self {
        case .sendonly: return .recvonly
        case .recvonly: return .sendonly
        case .sendrecv, .inactive: return self
        }
    }

    /// Whether the endpoint sends media in this direction.
    public var sends: Bool { self == .sendrecv || self == .sendonly }

    /// Whether the endpoint receives media in this direction.
    public var receives: Bool { self == .sendrecv || self == .recvonly }
}

extension SDPDirection {
    /// The direction named by an attribute name, or nil.
    init?(attributeName name: String) {
        self.init(rawValue: name)
    }

    /// Writes the whole direction line.
    func write(to writer: inout SDPWriter) {
        writer.start(0x61)
        writer.text(self.rawValue)
        writer.endLine()
    }
}
