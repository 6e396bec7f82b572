internal import CLoadSocket
import Glibc
import RTCSecurity
import Synchronization

/// The body of the engine thread: owns every participant, their sockets and the timers. See
/// ``LoadEngine``.
final class EngineLoop {
    static let eventToken = UInt64.max
    static let slotSize = 2048
    static let batchSize = 32
    /// Read batches per ready socket per iteration before the others get their turn.
    static let batchesPerWake = 4

    struct Delayed {
        var descriptor: Int32
        var slot: Int
        var bytes: [UInt8]
    }

    let configuration: LoadEngine.Configuration
    let audio: AudioLibrary
    let epoll: Int32
    let shared: EngineShared
    let context: DTLSContext?
    let contextError: String?

    var participants: [SimulatedParticipant?] = []
    var generations: [UInt32] = []
    var scheduled: [UInt64?] = []
    var slotOfNumber: [Int: Int] = [:]
    var finished: [ParticipantReport] = []
    var timers = TimerHeap()
    var delayed = TimerHeap()
    var delayedPackets: [Int: Delayed] = [:]
    var nextDelayedID = 0
    var random: SplitMix64
    var totals = EngineTotals()
    var window = LatencyHistogram()
    var windowLateness: UInt64 = 0
    var nextPublish: UInt64 = 0

    // Owned: the receive slots and the send scratch, freed in deinit.
    let receiveSlots: UnsafeMutablePointer<UInt8>
    let receiveLengths: UnsafeMutablePointer<Int>
    let sendScratch: UnsafeMutableRawBufferPointer

    init(
        configuration: LoadEngine.Configuration,
        audio: AudioLibrary,
        certificatePEM: String,
        privateKeyPEM: String,
        epoll: Int32,
        shared: EngineShared
    ) {
        self.configuration = configuration
        self.audio = audio
        self.epoll = epoll
        self.shared = shared
        do {
            let identity = try DTLSIdentity(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
            self.context = try DTLSContext(identity: identity)
            self.contextError = nil
        } catch {
            self.context = nil
            self.contextError = "\(error)"
        }
        self.random = SplitMix64(seed: configuration.impairment.seed)
        self.receiveSlots = .allocate(capacity: Self.slotSize * Self.batchSize)
        self.receiveSlots.initialize(repeating: 0, count: Self.slotSize * Self.batchSize)
        self.receiveLengths = .allocate(capacity: Self.batchSize)
        self.receiveLengths.initialize(repeating: 0, count: Self.batchSize)
        self.sendScratch = .allocate(byteCount: Self.slotSize, alignment: 8)
        self.sendScratch.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        self.receiveSlots.deallocate()
        self.receiveLengths.deallocate()
        self.sendScratch.deallocate()
    }

    /// Runs until stopped; returns every participant's report.
    func run() -> [ParticipantReport] {
        cload_thread_set_name("parley-load")
        if let cpu = self.configuration.cpu {
            _ = cload_thread_pin(Int32(clamping: cpu))
        }
        let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)
        defer { tokens.deallocate() }
        var stopping = false
        var timeout: Int64 = 0
        while !stopping {
            let ready = cload_epoll_wait(self.epoll, tokens, 64, timeout)
            if ready < 0 && errno != EINTR {
                break
            }
            var now = cload_monotonic_nanoseconds()
            for index in 0..<max(Int(ready), 0) {
                let token = tokens[index]
                if token == Self.eventToken {
                    cload_eventfd_drain(self.shared.eventDescriptor)
                    stopping = self.applyCommands(now: now)
                } else if token < UInt64(self.participants.count) {
                    self.receiveAll(slot: Int(token))
                }
            }
            now = cload_monotonic_nanoseconds()
            self.runTimers(now: now)
            self.sendDelayed(now: cload_monotonic_nanoseconds())
            now = cload_monotonic_nanoseconds()
            if now >= self.nextPublish {
                self.publish(now: now)
                self.nextPublish = now &+ self.configuration.publishInterval
            }
            var deadline = self.nextPublish
            if let first = self.timers.first {
                deadline = min(deadline, first.deadline)
            }
            if let first = self.delayed.first {
                deadline = min(deadline, first.deadline)
            }
            let current = cload_monotonic_nanoseconds()
            timeout = deadline > current ? Int64(clamping: deadline - current) : 0
        }
        // Leave cleanly: close_notify from every participant still connected.
        for slot in self.participants.indices {
            self.retire(slot: slot, now: cload_monotonic_nanoseconds())
        }
        self.publish(now: cload_monotonic_nanoseconds())
        return self.finished.sorted { $0.number < $1.number }
    }

    // MARK: - Commands

    private func applyCommands(now: UInt64) -> Bool {
        let (commands, stopping) = self.shared.inbox.withLock { inbox -> ([LoadEngine.Command], Bool) in
            let taken = inbox.commands
            inbox.commands.removeAll()
            return (taken, inbox.stopping)
        }
        for command in commands {
            switch command {
            case .add(let plan, let answer):
                self.add(plan, answer: answer, now: now)
            case .remove(let number):
                if let slot = self.slotOfNumber[number] {
                    self.retire(slot: slot, now: now)
                }
            }
        }
        return stopping
    }

    private func add(_ plan: ParticipantPlan, answer: AnswerParameters, now: UInt64) {
        self.totals.added += 1
        guard let context = self.context else {
            self.finished.append(ParticipantReport.failed(plan, cause: .dtlsFailed))
            return
        }
        let descriptor = cload_udp_open(
            self.configuration.localAddress,
            0,
            Int32(clamping: self.configuration.receiveBufferSize),
            0
        )
        guard descriptor >= 0 else {
            self.finished.append(ParticipantReport.failed(plan, cause: .socket))
            return
        }
        let port = cload_local_port(descriptor)
        guard port > 0, cload_udp_connect(descriptor, answer.address, answer.port) == 0 else {
            _ = cload_close(descriptor)
            self.finished.append(ParticipantReport.failed(plan, cause: .socket))
            return
        }
        let participant: SimulatedParticipant
        do {
            participant = try SimulatedParticipant(
                plan: plan,
                answer: answer,
                audio: self.audio.audio(for: plan),
                context: context,
                descriptor: descriptor,
                localPort: UInt16(truncatingIfNeeded: port),
                now: now
            )
        } catch {
            _ = cload_close(descriptor)
            self.finished.append(ParticipantReport.failed(plan, cause: .dtlsFailed))
            return
        }
        let slot = self.participants.count
        self.participants.append(participant)
        self.generations.append(0)
        self.scheduled.append(nil)
        self.slotOfNumber[plan.number] = slot
        guard cload_epoll_add(self.epoll, descriptor, UInt64(slot)) == 0 else {
            self.retire(slot: slot, now: now)
            return
        }
        self.reschedule(slot: slot)
    }

    /// Closes a participant's connection and socket and keeps its report.
    private func retire(slot: Int, now: UInt64) {
        guard let participant = self.participants[slot] else { return }
        for datagram in participant.close() {
            _ = datagram.withUnsafeBytes { cload_send(participant.descriptor, $0.baseAddress, $0.count) }
        }
        _ = cload_epoll_remove(self.epoll, participant.descriptor)
        _ = cload_close(participant.descriptor)
        self.finished.append(participant.report(leftAt: now))
        self.participants[slot] = nil
        self.generations[slot] &+= 1
        self.scheduled[slot] = nil
        self.slotOfNumber[participant.plan.number] = nil
    }

    // MARK: - I/O

    private func receiveAll(slot: Int) {
        guard let participant = self.participants[slot] else { return }
        var batches = 0
        while batches < Self.batchesPerWake {
            batches += 1
            let count = cload_recv_batch(
                participant.descriptor,
                self.receiveSlots,
                Self.slotSize,
                UInt32(Self.batchSize),
                self.receiveLengths
            )
            guard count > 0 else { break }
            let now = cload_monotonic_nanoseconds()
            for index in 0..<Int(count) {
                let length = self.receiveLengths[index]
                guard length > 0 else { continue }
                let buffer = UnsafeMutableBufferPointer(
                    start: self.receiveSlots + index * Self.slotSize,
                    count: Self.slotSize
                )
                var span = buffer.mutableSpan
                if buffer[0] >= 128 && buffer[0] <= 191 {
                    self.totals.packetsReceived += 1
                    self.totals.bytesReceived += UInt64(length)
                }
                let replies = participant.receive(&span, length: length, now: now) { latency in
                    self.window.record(microseconds: latency)
                }
                for reply in replies {
                    _ = reply.withUnsafeBytes { cload_send(participant.descriptor, $0.baseAddress, $0.count) }
                }
            }
            if Int(count) < Self.batchSize {
                break
            }
        }
        self.reschedule(slot: slot)
    }

    private func runTimers(now: UInt64) {
        while let first = self.timers.first, first.deadline <= now {
            _ = self.timers.pop()
            guard first.generation == self.generations[first.slot], let participant = self.participants[first.slot]
            else {
                continue
            }
            self.scheduled[first.slot] = nil
            for datagram in participant.fireTimers(now: now) {
                _ = datagram.withUnsafeBytes { cload_send(participant.descriptor, $0.baseAddress, $0.count) }
            }
            while let frame = participant.takeFrame(now: cload_monotonic_nanoseconds()) {
                let sendTime = cload_monotonic_nanoseconds()
                let length = participant.writeMedia(frame: frame, now: sendTime, into: self.sendScratch)
                guard length > 0 else { continue }
                self.windowLateness = max(self.windowLateness, frame.lateness / 1000)
                self.sendMedia(participant: participant, slot: first.slot, length: length, now: sendTime)
            }
            self.reschedule(slot: first.slot)
        }
    }

    private func sendMedia(participant: SimulatedParticipant, slot: Int, length: Int, now: UInt64) {
        switch self.configuration.impairment.decide(framePeriod: SimulatedParticipant.framePeriod, using: &self.random)
        {
        case .send:
            let sent = cload_send(participant.descriptor, self.sendScratch.baseAddress, length)
            self.count(participant, sent: sent, length: length)
        case .drop:
            participant.countSent(bytes: length, dropped: true, failed: false)
        case .delay(let delay):
            let id = self.nextDelayedID
            self.nextDelayedID &+= 1
            let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: self.sendScratch[0..<length]))
            self.delayedPackets[id] = Delayed(descriptor: participant.descriptor, slot: slot, bytes: bytes)
            self.delayed.push(TimerHeap.Entry(deadline: now &+ delay, slot: id, generation: 0))
        }
    }

    private func sendDelayed(now: UInt64) {
        while let first = self.delayed.first, first.deadline <= now {
            _ = self.delayed.pop()
            guard let packet = self.delayedPackets.removeValue(forKey: first.slot),
                let participant = self.participants[packet.slot], participant.descriptor == packet.descriptor
            else { continue }
            let sent = packet.bytes.withUnsafeBytes { cload_send(packet.descriptor, $0.baseAddress, $0.count) }
            self.count(participant, sent: sent, length: packet.bytes.count)
        }
    }

    private func count(_ participant: SimulatedParticipant, sent: Int, length: Int) {
        if sent == length {
            participant.countSent(bytes: length, dropped: false, failed: false)
            self.totals.packetsSent += 1
            self.totals.bytesSent += UInt64(length)
        } else {
            participant.countSent(bytes: length, dropped: false, failed: true)
            self.totals.sendErrors += 1
        }
    }

    private func reschedule(slot: Int) {
        guard let participant = self.participants[slot] else { return }
        let deadline = participant.nextDeadline
        guard deadline != self.scheduled[slot] else { return }
        self.generations[slot] &+= 1
        self.scheduled[slot] = deadline
        if let deadline {
            self.timers.push(TimerHeap.Entry(deadline: deadline, slot: slot, generation: self.generations[slot]))
        }
    }

    private func publish(now: UInt64) {
        var totals = self.totals
        totals.connecting = 0
        totals.connected = 0
        for participant in self.participants {
            guard let participant else { continue }
            switch participant.state {
            case .checking, .handshaking: totals.connecting += 1
            case .connected: totals.connected += 1
            case .failed, .closed: break
            }
        }
        totals.failed =
            self.finished.filter { $0.failure != nil }.count
            + self.participants.filter { $0?.state == .failed }.count
        totals.closed = self.finished.filter { $0.failure == nil }.count
        totals.windowLatencyP50 = self.window.percentile(50)
        totals.windowLatencyP99 = self.window.percentile(99)
        totals.windowMaximumLateness = self.windowLateness
        totals.time = now
        totals.engineCPUNanoseconds = cload_thread_cpu_nanoseconds()
        self.window = LatencyHistogram()
        self.windowLateness = 0
        self.shared.totals.withLock { $0 = totals }
    }
}

@available(*, unavailable)
extension EngineLoop: Sendable {}
