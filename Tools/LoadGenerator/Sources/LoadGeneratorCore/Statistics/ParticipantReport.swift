/// Everything one simulated participant measured, taken when it left or the run ended.
public struct ParticipantReport: Sendable {
    /// Its number in the run.
    public var number: Int
    /// Its room's index.
    public var room: Int
    /// Its identity.
    public var identity: String
    /// Whether it talked.
    public var isTalker: Bool
    /// Its connection state at the end (`connected`, `closed`, `failed`, ...).
    public var state: String
    /// Why it failed, if it did.
    public var failure: FailureCause?
    /// Token (start of signaling) to first media packet received, in milliseconds.
    public var joinMilliseconds: Double?
    /// Media start (answer applied) to DTLS completed, in milliseconds.
    public var connectMilliseconds: Double?
    /// What it sent.
    public var sent: SendStreamStatistics
    /// What it received, per SSRC.
    public var streams: [StreamReport]
    /// RTCP packets received.
    public var rtcpReceived: UInt64
    /// SRTP/SRTCP packets that did not authenticate or parse.
    public var unprotectFailures: UInt64
    /// The mix check, in mixed rooms for the participants that ran it.
    public var mixCheck: MixCheckReport?

    /// A report.
    public init(
        number: Int,
        room: Int,
        identity: String,
        isTalker: Bool,
        state: String,
        failure: FailureCause?,
        joinMilliseconds: Double?,
        connectMilliseconds: Double?,
        sent: SendStreamStatistics,
        streams: [StreamReport],
        rtcpReceived: UInt64,
        unprotectFailures: UInt64,
        mixCheck: MixCheckReport?
    ) {
        self.number = number
        self.room = room
        self.identity = identity
        self.isTalker = isTalker
        self.state = state
        self.failure = failure
        self.joinMilliseconds = joinMilliseconds
        self.connectMilliseconds = connectMilliseconds
        self.sent = sent
        self.streams = streams
        self.rtcpReceived = rtcpReceived
        self.unprotectFailures = unprotectFailures
        self.mixCheck = mixCheck
    }

    /// Unique packets received over all streams.
    public var packetsReceived: UInt64 {
        self.streams.reduce(0) { $0 + $1.statistics.packets }
    }
}

/// One received stream of a participant.
public struct StreamReport: Sendable {
    /// The SSRC it arrived with.
    public var ssrc: UInt32
    /// Its figures.
    public var statistics: ReceiveStreamStatistics

    /// A stream's report.
    public init(ssrc: UInt32, statistics: ReceiveStreamStatistics) {
        self.ssrc = ssrc
        self.statistics = statistics
    }
}

extension ParticipantReport {
    /// The report of a participant that failed before its media started (signaling, socket).
    public static func failed(_ plan: ParticipantPlan, cause: FailureCause) -> ParticipantReport {
        ParticipantReport(
            number: plan.number,
            room: plan.room,
            identity: plan.identity,
            isTalker: plan.isTalker,
            state: "failed",
            failure: cause,
            joinMilliseconds: nil,
            connectMilliseconds: nil,
            sent: SendStreamStatistics(),
            streams: [],
            rtcpReceived: 0,
            unprotectFailures: 0,
            mixCheck: nil
        )
    }
}
