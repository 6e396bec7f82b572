/// Why the control plane's description of a room could not become a ``RoutingTable``.
///
/// Building a table checks everything the packet path relies on, so a mistake (or a participant's
/// SDP that claims someone else's SSRC) is refused here, on the control plane, with a sentence
/// naming the offending value, instead of misrouting media later. Equality is by ``code``.
public struct RoutingTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule the description broke. New codes may be added; switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case duplicateSSRC
            case ssrcOwnedByAnotherParticipant
            case outgoingSSRCConflict
            case duplicateTrackID
            case unknownTrack
            case duplicateSubscription
            case invalidPayloadType
            case invalidHeaderExtensionID
            case invalidClockRate
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// One publisher lists the same SSRC twice (in one track or across its tracks).
        public static let duplicateSSRC = Code(.duplicateSSRC)
        /// Two participants list the same SSRC: the later one would hijack the earlier's stream.
        public static let ssrcOwnedByAnotherParticipant = Code(.ssrcOwnedByAnotherParticipant)
        /// An outgoing SSRC is one a publisher chose, or appears twice for one subscriber.
        public static let outgoingSSRCConflict = Code(.outgoingSSRCConflict)
        /// Two tracks have the same ``RoutingTrackID``.
        public static let duplicateTrackID = Code(.duplicateTrackID)
        /// A subscription names a track that is not in the table.
        public static let unknownTrack = Code(.unknownTrack)
        /// One subscriber receives the same track twice.
        public static let duplicateSubscription = Code(.duplicateSubscription)
        /// A payload type is above 127, a map translates one the publisher did not negotiate, or
        /// two publisher payload types map to one subscriber payload type.
        public static let invalidPayloadType = Code(.invalidPayloadType)
        /// A header extension id is 0, a map translates one the publisher did not negotiate, or two
        /// publisher ids map to one subscriber id.
        public static let invalidHeaderExtensionID = Code(.invalidHeaderExtensionID)
        /// A track's clock rate is 0.
        public static let invalidClockRate = Code(.invalidClockRate)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .duplicateSSRC: return "duplicateSSRC"
            case .ssrcOwnedByAnotherParticipant: return "ssrcOwnedByAnotherParticipant"
            case .outgoingSSRCConflict: return "outgoingSSRCConflict"
            case .duplicateTrackID: return "duplicateTrackID"
            case .unknownTrack: return "unknownTrack"
            case .duplicateSubscription: return "duplicateSubscription"
            case .invalidPayloadType: return "invalidPayloadType"
            case .invalidHeaderExtensionID: return "invalidHeaderExtensionID"
            case .invalidClockRate: return "invalidClockRate"
            }
        }
    }

    /// The rule that was broken.
    public let code: Code
    /// A sentence for the operator naming the participant, track and value, such as
    /// `"participant 2 lists SSRC 0x0000abcd twice"`.
    public let message: String

    /// Makes an error; the table builder calls this at the failing check.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `duplicateSSRC: participant 2 lists SSRC 0x0000abcd twice`.
    public var description: String {
        "\(self.code): \(self.message)"
    }

    /// Equal when the codes are equal (the text is for people, not for matching).
    public static func == (lhs: RoutingTableError, rhs: RoutingTableError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}

extension RoutingTableError {
    /// `0x0000abcd`: how routing errors print SSRCs.
    static func hex(_ ssrc: UInt32) -> String {
        let digits = String(ssrc, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
