/// An immutable snapshot of who publishes what and who receives what in the rooms of one worker,
/// in the form the packet path reads: arrays indexed by small integers and dictionaries keyed by
/// SSRC, never changed after building.
///
/// The control plane builds a table with ``init(tracks:subscriptions:)`` (which validates every
/// rule the packet path relies on and throws ``RoutingTableError``) and hands it to the worker,
/// which installs it with ``Forwarder/install(_:)`` between two batches of datagrams. Nothing in
/// a table changes afterwards, so it is `Sendable` and needs no lock; the mutable per-subscriber
/// state (sequence numbers, statistics) lives in the worker's ``Forwarder``, in arrays aligned
/// with ``tracks`` and ``deliveries``.
///
/// Layout: every ``TrackSubscription`` becomes a ``Delivery``; deliveries are grouped by track, so
/// the subscribers of track `t` are the contiguous range ``Track/deliveries``. Lookups on the packet
/// path (``owner(ofSSRC:)``, ``outgoingPayloadType(delivery:publisherPayloadType:)``,
/// ``outgoingExtensionID(delivery:publisherID:)``) allocate nothing.
public final class RoutingTable: Sendable {
    /// Which of a track's streams a packet belongs to.
    public enum Stream: UInt8, Hashable, Sendable {
        /// The media stream itself.
        case media
        /// Its RFC 4588 retransmission stream.
        case retransmission
        /// Its forward error correction stream (accepted, not forwarded).
        case forwardErrorCorrection
    }

    /// Where an inbound packet belongs: a track (an index into ``tracks``) and which of its streams.
    public struct Route: Hashable, Sendable {
        /// The index of the track in ``RoutingTable/tracks``.
        public let track: Int
        /// Media, retransmission or FEC.
        public let stream: Stream

        /// A route; ``RoutingTable/owner(ofSSRC:)`` and ``Forwarder/ingest(_:from:now:)`` make them.
        public init(track: Int, stream: Stream) {
            self.track = track
            self.stream = stream
        }
    }

    /// What the packet path needs to know about one published track (the whole description is in
    /// ``RoutingTable/publishedTracks`` at the same index). A plain value with no references, so
    /// reading one costs no reference counting.
    public struct Track: Hashable, Sendable {
        /// The control plane's identifier.
        public let id: RoutingTrackID
        /// Who sends it.
        public let publisher: RoutingParticipantID
        /// Audio or video.
        public let kind: PublishedTrack.Kind
        /// The publisher's media SSRC.
        public let mediaSSRC: UInt32
        /// The publisher's RTX SSRC, if any.
        public let rtxSSRC: UInt32?
        /// The media clock rate in Hz (never 0).
        public let clockRate: UInt32
        /// The publisher's stream generation (see ``PublishedTrack/generation``).
        public let generation: UInt32
        /// The indexes in ``RoutingTable/deliveries`` of the subscribers receiving this track.
        public let deliveries: Range<Int>
    }

    /// What the packet path needs to know about one subscription (the whole description is in
    /// ``RoutingTable/subscriptions`` at the same index). A plain value with no references.
    public struct Delivery: Hashable, Sendable {
        /// The receiving participant.
        public let subscriber: RoutingParticipantID
        /// The index of the delivered track in ``RoutingTable/tracks``.
        public let track: Int
        /// The media SSRC the subscriber sees (chosen by the server).
        public let mediaSSRC: UInt32
        /// The RTX SSRC the subscriber sees, or `nil` when it did not negotiate RTX.
        public let rtxSSRC: UInt32?
        /// Whether delivery is paused.
        public let isPaused: Bool
    }

    /// Identifies a subscription across tables: its subscriber and the SSRC it sees.
    struct DeliveryKey: Hashable, Sendable {
        var subscriber: RoutingParticipantID
        var ssrc: UInt32
    }

    /// The owner of an inbound SSRC.
    struct SSRCOwner: Hashable, Sendable {
        var publisher: RoutingParticipantID
        var route: Route
    }

    /// A subscriber-facing SSRC: which delivery, and which of its streams.
    struct OutgoingStream: Hashable, Sendable {
        var delivery: Int
        var stream: Stream
    }

    /// Entries per delivery in ``payloadTypeMaps`` (one per 7-bit payload type).
    static let payloadTypeSlots = 128
    /// Entries per delivery in ``extensionMaps`` (one per 8-bit extension id).
    static let extensionSlots = 256
    /// The ``payloadTypeMaps`` entry for a payload type the subscriber did not negotiate.
    static let noPayloadType: UInt8 = 0xFF

    /// The published tracks, in the order given to ``init(tracks:subscriptions:)``.
    public let tracks: [Track]
    /// The subscriptions, grouped by track (in track order, each group in the order given).
    public let deliveries: [Delivery]
    /// The full descriptions of ``tracks``, at the same indexes.
    public let publishedTracks: [PublishedTrack]
    /// The full descriptions of ``deliveries``, at the same indexes.
    public let subscriptions: [TrackSubscription]

    /// Inbound SSRC -> owner and route.
    let ssrcOwners: [UInt32: SSRCOwner]
    /// (subscriber, outgoing SSRC) -> delivery and stream.
    let outgoingStreams: [DeliveryKey: OutgoingStream]
    /// Track identifier -> index in ``tracks``.
    let trackIndexes: [RoutingTrackID: Int]
    /// `tracks.count * 128` flags: whether the publisher negotiated each payload type.
    let publisherPayloadTypes: [Bool]
    /// `deliveries.count * 128` entries: the subscriber's payload type for each publisher payload
    /// type, or ``noPayloadType``.
    let payloadTypeMaps: [UInt8]
    /// `deliveries.count * 256` entries: the subscriber's extension id for each publisher id, or 0
    /// (erase).
    let extensionMaps: [UInt8]

    /// A table with no tracks and no subscribers: what a worker starts with.
    public static let empty = RoutingTable(validated: Builder())

    /// Builds and validates a table.
    ///
    /// - Parameters:
    ///   - tracks: every published track of the worker's rooms.
    ///   - subscriptions: every delivered track, each naming one of `tracks` by id.
    /// - Throws: ``RoutingTableError`` for the first broken rule: an SSRC listed twice by one
    ///   publisher (``RoutingTableError/Code/duplicateSSRC``) or by two
    ///   (``RoutingTableError/Code/ssrcOwnedByAnotherParticipant``), an outgoing SSRC equal to a
    ///   publisher's or repeated for one subscriber, a duplicate track id or subscription, a
    ///   subscription to an unknown track, a payload type or extension id out of range or not
    ///   negotiated by the publisher, or a clock rate of 0.
    public convenience init(tracks: [PublishedTrack], subscriptions: [TrackSubscription]) throws(RoutingTableError) {
        self.init(validated: try Builder(tracks: tracks, subscriptions: subscriptions))
    }

    private init(validated builder: Builder) {
        self.tracks = builder.tracks
        self.deliveries = builder.deliveries
        self.publishedTracks = builder.publishedTracks
        self.subscriptions = builder.subscriptions
        self.ssrcOwners = builder.ssrcOwners
        self.outgoingStreams = builder.outgoingStreams
        self.trackIndexes = builder.trackIndexes
        self.publisherPayloadTypes = builder.publisherPayloadTypes
        self.payloadTypeMaps = builder.payloadTypeMaps
        self.extensionMaps = builder.extensionMaps
    }

    /// Who owns an inbound SSRC and where its packets go, or `nil` if no publisher negotiated it.
    ///
    /// A packet must be dropped unless the returned publisher is the participant it came from:
    /// ``Forwarder/ingest(_:from:now:)`` does exactly that.
    public func owner(ofSSRC ssrc: UInt32) -> (publisher: RoutingParticipantID, route: Route)? {
        guard let owner = self.ssrcOwners[ssrc] else { return nil }
        return (owner.publisher, owner.route)
    }

    /// The delivery a subscriber-facing SSRC belongs to for this subscriber, and whether it is the
    /// media or the RTX SSRC; `nil` if the subscriber receives no such SSRC. RTCP feedback from a
    /// subscriber is looked up here, so feedback about SSRCs it does not receive finds nothing.
    public func delivery(
        subscriber: RoutingParticipantID,
        outgoingSSRC ssrc: UInt32
    ) -> (delivery: Int, stream: Stream)? {
        guard let outgoing = self.outgoingStreams[DeliveryKey(subscriber: subscriber, ssrc: ssrc)] else {
            return nil
        }
        return (outgoing.delivery, outgoing.stream)
    }

    /// The index in ``tracks`` of the track with this identifier, or `nil`.
    public func trackIndex(of id: RoutingTrackID) -> Int? {
        self.trackIndexes[id]
    }

    /// Whether the track's publisher negotiated this payload type (values above 127: false).
    ///
    /// - Parameter track: an index into ``tracks``; another value traps.
    public func publisherNegotiated(payloadType: UInt8, track: Int) -> Bool {
        guard payloadType < 128 else { return false }
        return self.publisherPayloadTypes[track &* Self.payloadTypeSlots &+ Int(payloadType)]
    }

    /// The subscriber's payload type for a publisher payload type, or `nil` if the subscriber did
    /// not negotiate it (the packet must not be forwarded to it).
    ///
    /// - Parameter delivery: an index into ``deliveries``; another value traps.
    public func outgoingPayloadType(delivery: Int, publisherPayloadType: UInt8) -> UInt8? {
        guard publisherPayloadType < 128 else { return nil }
        let mapped = self.payloadTypeMaps[delivery &* Self.payloadTypeSlots &+ Int(publisherPayloadType)]
        return mapped == Self.noPayloadType ? nil : mapped
    }

    /// The subscriber's header extension id for a publisher id, or `nil` if the subscriber did not
    /// negotiate that extension (the element must be erased).
    ///
    /// - Parameter delivery: an index into ``deliveries``; another value traps.
    public func outgoingExtensionID(delivery: Int, publisherID: UInt8) -> UInt8? {
        let mapped = self.extensionMaps[delivery &* Self.extensionSlots &+ Int(publisherID)]
        return mapped == 0 ? nil : mapped
    }

    /// The key that identifies a delivery across tables.
    func key(ofDelivery index: Int) -> DeliveryKey {
        DeliveryKey(subscriber: self.deliveries[index].subscriber, ssrc: self.deliveries[index].mediaSSRC)
    }
}
