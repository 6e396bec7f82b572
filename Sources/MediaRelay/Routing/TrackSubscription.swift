/// One track delivered to one subscriber, with what the server negotiated WITH THAT SUBSCRIBER:
/// the input the control plane gives ``RoutingTable/init(tracks:subscriptions:)`` for each
/// receiving media section it fills.
///
/// The subscriber sees only what is written here: the outgoing SSRCs are chosen by the server
/// (never one a publisher chose: building the table refuses that), the payload types and header
/// extension ids are translated from the publisher's numbering to the subscriber's, and anything
/// the subscriber did not negotiate is dropped (a payload type) or erased (an extension element).
///
/// A subscription is identified across tables by its subscriber and outgoing ``mediaSSRC``: a new
/// table that keeps both but names another ``track`` (a "slot" switching speaker) continues the
/// subscriber's sequence numbers and timestamps without a jump.
public struct TrackSubscription: Hashable, Sendable {
    /// The receiving participant.
    public var subscriber: RoutingParticipantID
    /// The published track that fills this media section now.
    public var track: RoutingTrackID
    /// The SSRC the subscriber sees for the media stream, chosen by the server.
    public var mediaSSRC: UInt32
    /// The SSRC the subscriber sees for retransmissions, or `nil` if it did not negotiate RTX
    /// (then retransmissions are not forwarded to it).
    public var rtxSSRC: UInt32?
    /// Publisher payload type -> subscriber payload type (both 0-127), for every payload type the
    /// subscriber negotiated (RTX's included). Packets with any other payload type are not
    /// forwarded to this subscriber.
    public var payloadTypes: [UInt8: UInt8]
    /// Publisher header extension id -> subscriber id (both 1-255), for every extension the
    /// subscriber negotiated. Elements with any other id are erased in place (they become
    /// padding); so are elements whose new id the packet's extension form cannot carry (an id
    /// above 14 in a one-byte block).
    public var headerExtensions: [UInt8: UInt8]
    /// Whether delivery is paused (the subscriber or the server muted this track for it). Nothing
    /// is forwarded while paused, and the first packet after it continues the subscriber's
    /// sequence without a gap.
    public var isPaused: Bool

    /// Describes one delivered track.
    public init(
        subscriber: RoutingParticipantID,
        track: RoutingTrackID,
        mediaSSRC: UInt32,
        rtxSSRC: UInt32? = nil,
        payloadTypes: [UInt8: UInt8],
        headerExtensions: [UInt8: UInt8] = [:],
        isPaused: Bool = false
    ) {
        self.subscriber = subscriber
        self.track = track
        self.mediaSSRC = mediaSSRC
        self.rtxSSRC = rtxSSRC
        self.payloadTypes = payloadTypes
        self.headerExtensions = headerExtensions
        self.isPaused = isPaused
    }
}
