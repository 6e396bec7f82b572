import MediaRelay
import RTCTestSupport
import RTCWire
import Testing

@Suite("When the relay sends its reports")
struct RelayReportsScheduleTests {
    typealias Sent = RelayCoreHarness.SentDatagram

    static let half: UInt64 = 500_000_000
    static let oneAndHalf: UInt64 = 1_500_000_000

    /// A publisher packet at 10 ms, so that every client has something to be reported.
    static func startMedia(_ harness: RelayCoreHarness) throws {
        _ = try harness.publish(sequence: 1, timestamp: 960, at: harness.now.adding(milliseconds: 10))
    }

    /// The addresses the RTCP datagrams among `sent` went to.
    static func rtcpDestinations(_ sent: [Sent]) -> [RelayAddress] {
        var destinations: [RelayAddress] = []
        for datagram in sent where PacketClass(classifying: datagram.bytes.span) == .rtcp {
            destinations.append(datagram.destination)
        }
        return destinations
    }

    @Test("the first reports are due 0.5 to 1.5 s after connecting")
    func firstDeadline() throws {
        let harness = try RelayCoreHarness(subscriberCount: 2)
        let deadline = try #require(harness.nextDeadline)
        let wait = deadline.nanoseconds(since: harness.now)
        #expect(wait >= Self.half)
        #expect(wait <= Self.oneAndHalf)
    }

    @Test("over 20 s, each client is reported to every 0.5 to 1.5 s, and the intervals differ")
    func intervals() throws {
        let harness = try RelayCoreHarness(subscriberCount: 3)
        try Self.startMedia(harness)
        var lastReport: [RelayAddress: RelayTime] = [:]
        var intervals: [UInt64] = []
        var rounds = 0
        let end = harness.now.adding(milliseconds: 20_000)
        while rounds < 400 {
            rounds += 1
            let time = try #require(harness.nextDeadline)
            if time > end {
                break
            }
            for destination in Self.rtcpDestinations(harness.fireTimers(at: time)) {
                if let previous = lastReport[destination] {
                    intervals.append(time.nanoseconds(since: previous))
                }
                lastReport[destination] = time
            }
        }
        #expect(lastReport.count == 4)
        // About 4 clients x 19 intervals of 1 s on average.
        #expect(intervals.count >= 40)
        #expect(intervals.allSatisfy { $0 >= Self.half && $0 <= Self.oneAndHalf })
        #expect(Set(intervals).count > intervals.count / 2)
        let total: UInt64 = intervals.reduce(0, +)
        let mean: UInt64 = total / UInt64(max(1, intervals.count))
        #expect(mean > 750_000_000 && mean < 1_250_000_000)
    }

    @Test("a transport that never connected gets no reports; a removed one gets none after its removal")
    func onlyConnected() throws {
        let harness = try RelayCoreHarness(subscriberCount: 2)
        // A transport that never runs ICE or DTLS, subscribed to the track like the others.
        let stranger = TransportID(50)
        let credentials = ICECredentials(
            transport: stranger,
            localUfrag: "relay50",
            localPassword: "relayPassword50x0123456789abcdef",
            remoteUfrag: "client50"
        )
        let command = RelayCore.Command.addTransport(
            id: stranger,
            credentials: credentials,
            fingerprints: [],
            participant: 50
        )
        _ = harness.apply(command, at: harness.now)
        var subscriptions: [TrackSubscription] = []
        let participants: [RoutingParticipantID] = [2, 3, 50]
        for participant in participants {
            subscriptions.append(
                TrackSubscription(
                    subscriber: participant,
                    track: 1,
                    mediaSSRC: RelayCoreHarness.subscriberSSRC(participant),
                    payloadTypes: [111: 111]
                )
            )
        }
        let track = PublishedTrack(
            id: 1,
            publisher: 1,
            kind: .audio,
            mediaSSRC: RelayCoreHarness.publisherSSRC,
            payloadTypes: [111]
        )
        let table = try RoutingTable(tracks: [track], subscriptions: subscriptions)
        _ = harness.apply(.installRouting(table), at: harness.now)
        try Self.startMedia(harness)
        #expect(harness.counters[.transportsAdded] == 4)

        let connected: Set<RelayAddress> = Set(([harness.publisher] + harness.subscribers).map(\.address))
        let removed = try #require(harness.subscribers.last)
        var reportedBeforeRemoval = false
        var reportedAfterRemoval = 0
        var time = harness.now
        for round in 0..<40 {
            time = time.adding(milliseconds: 250)
            if round == 20 {
                _ = harness.apply(.removeTransport(removed.id), at: time)
            }
            for destination in Self.rtcpDestinations(harness.fireTimers(at: time)) {
                #expect(connected.contains(destination))
                if destination == removed.address {
                    if round < 20 {
                        reportedBeforeRemoval = true
                    } else {
                        reportedAfterRemoval += 1
                    }
                }
            }
        }
        #expect(reportedBeforeRemoval)
        #expect(reportedAfterRemoval == 0)
    }
}
