public import RTCSecurity

/// Everything the relay needs to carry one room's media, as plain Sendable values: what
/// ``Conference/mediaPlan(for:)`` returns after a call reported the room in
/// ``ConferenceEffects/changedPlans``.
///
/// Only participants that have negotiated (sent an offer that was answered) appear; their
/// transports, published tracks, subscriptions and mix streams are complete and consistent: every
/// subscription names a published track of this plan, every SSRC the server chose is unique in the
/// conference and differs from every SSRC a client chose.
public struct RoomMediaPlan: Sendable, Hashable {
    /// The room's number (the relay's room ID).
    public var room: UInt64
    /// The room's name.
    public var name: RoomName
    /// The worker the room lives on.
    public var worker: Int
    /// How the room carries audio.
    public var audioMode: AudioMode
    /// How many speakers to mix.
    public var speakers: Int
    /// Whether the room's mix is being recorded.
    public var recording: Bool
    /// The negotiated participants, in join order.
    public var participants: [ParticipantMediaPlan]

    /// Makes a plan.
    public init(
        room: UInt64,
        name: RoomName,
        worker: Int,
        audioMode: AudioMode,
        speakers: Int,
        recording: Bool,
        participants: [ParticipantMediaPlan]
    ) {
        self.room = room
        self.name = name
        self.worker = worker
        self.audioMode = audioMode
        self.speakers = speakers
        self.recording = recording
        self.participants = participants
    }
}

/// One participant's transport and streams in a ``RoomMediaPlan``.
public struct ParticipantMediaPlan: Sendable, Hashable {
    /// The participant (the relay's participant and transport number).
    public var participant: ParticipantID
    /// Our ICE username fragment (in the answer); stable across renegotiations unless the client
    /// restarts ICE (changes its own ufrag).
    public var localUfrag: String
    /// Our ICE password.
    public var localPassword: String
    /// The client's ICE username fragment, from its offer.
    public var remoteUfrag: String
    /// The client's DTLS certificate fingerprints (those with a hash function Parley supports).
    public var remoteFingerprints: [DTLSFingerprint]
    /// The tracks the participant publishes, in m-line order.
    public var published: [PublishedTrackPlan]
    /// The tracks the participant receives, in m-line order.
    public var subscriptions: [SubscriptionPlan]
    /// The room's mix stream sent to the participant (mixed and both rooms), or nil.
    public var mix: MixStreamPlan?

    /// Makes a participant plan.
    public init(
        participant: ParticipantID,
        localUfrag: String,
        localPassword: String,
        remoteUfrag: String,
        remoteFingerprints: [DTLSFingerprint],
        published: [PublishedTrackPlan],
        subscriptions: [SubscriptionPlan],
        mix: MixStreamPlan?
    ) {
        self.participant = participant
        self.localUfrag = localUfrag
        self.localPassword = localPassword
        self.remoteUfrag = remoteUfrag
        self.remoteFingerprints = remoteFingerprints
        self.published = published
        self.subscriptions = subscriptions
        self.mix = mix
    }
}

/// A track a participant publishes, as the relay's `PublishedTrack` needs it.
public struct PublishedTrackPlan: Sendable, Hashable {
    /// The track.
    public var track: TrackID
    /// The m-line it arrives on.
    public var mid: String
    /// Audio or video.
    public var kind: TrackKind
    /// The SSRC the client sends media with.
    public var mediaSSRC: UInt32
    /// The SSRC of its retransmissions (from `a=ssrc-group:FID`), if any.
    public var rtxSSRC: UInt32?
    /// The payload types negotiated on the m-line: Opus; or VP8, its RTX, H.264, its RTX.
    public var payloadTypes: [UInt8]
    /// The RTP clock rate (48000 audio, 90000 video).
    public var clockRate: UInt32
    /// The negotiated header-extension IDs by URI (the ones Parley uses: audio level, mid,
    /// abs-send-time, transport-wide CC).
    public var headerExtensions: [String: UInt8]

    /// Makes a published-track plan.
    public init(
        track: TrackID,
        mid: String,
        kind: TrackKind,
        mediaSSRC: UInt32,
        rtxSSRC: UInt32?,
        payloadTypes: [UInt8],
        clockRate: UInt32,
        headerExtensions: [String: UInt8]
    ) {
        self.track = track
        self.mid = mid
        self.kind = kind
        self.mediaSSRC = mediaSSRC
        self.rtxSSRC = rtxSSRC
        self.payloadTypes = payloadTypes
        self.clockRate = clockRate
        self.headerExtensions = headerExtensions
    }
}

/// A track forwarded to a subscriber, as the relay's `TrackSubscription` needs it.
public struct SubscriptionPlan: Sendable, Hashable {
    /// The track.
    public var track: TrackID
    /// Its publisher.
    public var publisher: ParticipantID
    /// The subscriber's m-line it goes out on.
    public var mid: String
    /// The SSRC the server chose for this subscriber (in the answer's `a=ssrc`).
    public var mediaSSRC: UInt32
    /// The RTX SSRC the server chose, when both sides negotiated RTX.
    public var rtxSSRC: UInt32?
    /// Publisher payload type to subscriber payload type, for every codec (and RTX) both sides
    /// negotiated.
    public var payloadTypes: [UInt8: UInt8]
    /// Publisher header-extension ID to subscriber ID, for the extensions both negotiated except
    /// sdes:mid and transport-wide CC (which the relay writes or strips per hop).
    public var headerExtensions: [UInt8: UInt8]

    /// Makes a subscription plan.
    public init(
        track: TrackID,
        publisher: ParticipantID,
        mid: String,
        mediaSSRC: UInt32,
        rtxSSRC: UInt32?,
        payloadTypes: [UInt8: UInt8],
        headerExtensions: [UInt8: UInt8]
    ) {
        self.track = track
        self.publisher = publisher
        self.mid = mid
        self.mediaSSRC = mediaSSRC
        self.rtxSSRC = rtxSSRC
        self.payloadTypes = payloadTypes
        self.headerExtensions = headerExtensions
    }
}

/// The room's mix sent to one participant on its first audio m-line.
public struct MixStreamPlan: Sendable, Hashable {
    /// The m-line.
    public var mid: String
    /// The SSRC the server chose for the mix.
    public var ssrc: UInt32
    /// The participant's Opus payload type.
    public var payloadType: UInt8
    /// The participant's ID for the ssrc-audio-level extension, when negotiated.
    public var audioLevelExtensionID: UInt8?
    /// The participant's ID for the sdes:mid extension, when negotiated.
    public var midExtensionID: UInt8?
    /// 48000.
    public var clockRate: UInt32

    /// Makes a mix stream plan.
    public init(
        mid: String,
        ssrc: UInt32,
        payloadType: UInt8,
        audioLevelExtensionID: UInt8?,
        midExtensionID: UInt8?,
        clockRate: UInt32 = 48_000
    ) {
        self.mid = mid
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.audioLevelExtensionID = audioLevelExtensionID
        self.midExtensionID = midExtensionID
        self.clockRate = clockRate
    }
}
