/// How one room's audio is handled on its worker: what the control plane gives
/// ``RelayCore/Command/configureRoom(_:_:)`` (again, whole, whenever the room's media plan changes).
///
/// - ``Mode/forwarded``: an SFU room. Audio is forwarded by the routing table; the room's mixer
///   only measures levels and selects speakers (for ``RelayEvent/activeSpeakers(_:_:)``), and
///   encodes the shared full mix only while the room is recorded.
/// - ``Mode/mixed``: each participant with a ``Participant/mix`` stream receives one mixed stream
///   from the relay: its mix-minus while it is one of the speakers (it never hears itself), the
///   shared full mix otherwise. The routing table should carry no audio subscriptions then (the
///   relay does not depend on it: it forwards whatever the table says).
/// - ``Mode/both``: audio is forwarded by the routing table AND the full mix is encoded every
///   tick, for the recording.
///
/// Each participant's inbound audio is taken from packets that arrive on its own transport with
/// its declared SSRC and payload type, after SRTP and header validation; anything else is not
/// mixed.
public struct RelayRoomAudioPlan: Sendable, Hashable {
    /// How the room carries audio; see the type's description.
    public enum Mode: Sendable, Hashable {
        /// Forwarded (SFU) audio; the mixer selects speakers and mixes only for a recording.
        case forwarded
        /// One mixed stream to each participant.
        case mixed
        /// Forwarded audio, and the full mix encoded for the recording.
        case both
    }

    /// The audio a participant publishes: one Opus stream.
    public struct InboundAudio: Sendable, Hashable {
        /// The SSRC of the participant's audio (what its SDP declared with `a=ssrc`).
        public var ssrc: UInt32
        /// The Opus payload type the participant sends with.
        public var payloadType: UInt8
        /// The RTP clock rate: 48 000 is the only one accepted (Opus); another refuses the plan.
        public var clockRate: UInt32
        /// The id of the RFC 6464 audio-level header extension the participant sends, 1...14 (or
        /// 1...255 for two-byte headers); 0 when it sends none (its audio is then decoded every
        /// tick to be measured).
        public var audioLevelExtensionID: UInt8

        /// A participant's Opus stream.
        public init(ssrc: UInt32, payloadType: UInt8, clockRate: UInt32 = 48_000, audioLevelExtensionID: UInt8 = 0) {
            self.ssrc = ssrc
            self.payloadType = payloadType
            self.clockRate = clockRate
            self.audioLevelExtensionID = audioLevelExtensionID
        }
    }

    /// The mixed stream the relay sends a participant in a ``Mode/mixed`` room (on its first audio
    /// m-line).
    public struct MixStream: Sendable, Hashable {
        /// The SSRC the relay sends the mix with (the server chose it for this participant).
        public var ssrc: UInt32
        /// The Opus payload type negotiated with the participant, 0...127.
        public var payloadType: UInt8
        /// The id of the RFC 6464 audio-level extension to write (1...14: one-byte header); 0 to
        /// write no header extension.
        public var audioLevelExtensionID: UInt8

        /// A mixed stream.
        public init(ssrc: UInt32, payloadType: UInt8, audioLevelExtensionID: UInt8 = 0) {
            self.ssrc = ssrc
            self.payloadType = payloadType
            self.audioLevelExtensionID = audioLevelExtensionID
        }
    }

    /// One participant of the room, as the mixer sees it.
    public struct Participant: Sendable, Hashable {
        /// The participant (the same number as in the routing table and
        /// ``RelayCore/Command/addTransport(id:credentials:fingerprints:participant:)``).
        public var participant: RoutingParticipantID
        /// What it publishes, or nil for a listener that sends no audio.
        public var inbound: InboundAudio?
        /// The mix the relay sends it (``Mode/mixed`` only; ignored otherwise), or nil for none.
        public var mix: MixStream?

        /// A participant.
        public init(participant: RoutingParticipantID, inbound: InboundAudio? = nil, mix: MixStream? = nil) {
            self.participant = participant
            self.inbound = inbound
            self.mix = mix
        }
    }

    /// How the room carries audio.
    public var mode: Mode
    /// How many speakers are mixed at most (N), 1...16; the plan is refused outside that range.
    public var speakers: Int
    /// Everyone in the room (at most ``maximumParticipants``), each once.
    public var participants: [Participant]

    /// The most participants a room's plan may list.
    public static let maximumParticipants = 1000

    /// A plan.
    public init(mode: Mode, speakers: Int = 3, participants: [Participant]) {
        self.mode = mode
        self.speakers = speakers
        self.participants = participants
    }

    /// Why the plan cannot be applied (a sentence), or nil when it can.
    func problem() -> String? {
        guard (1...16).contains(self.speakers) else { return "speakers must be 1...16" }
        guard self.participants.count <= Self.maximumParticipants else {
            return "at most \(Self.maximumParticipants) participants"
        }
        var seen: Set<RoutingParticipantID> = []
        for participant in self.participants {
            guard seen.insert(participant.participant).inserted else {
                return "\(participant.participant) is listed twice"
            }
            if let inbound = participant.inbound {
                guard inbound.clockRate == 48_000 else { return "inbound audio must be Opus at 48 kHz" }
                guard inbound.payloadType < 128 else { return "payload types are 0...127" }
            }
            if let mix = participant.mix {
                guard mix.payloadType < 128 else { return "payload types are 0...127" }
                guard mix.audioLevelExtensionID < 15 else { return "the mix's audio-level id must be 0...14" }
            }
        }
        return nil
    }
}
