internal import CRelaySocket
internal import Glibc

/// The body of a worker thread: the POSIX loop itself.
///
/// A static function over local variables rather than methods on an object: the handler, the
/// receive batch and the send batch are separate locals, so handing the handler the send batch
/// while the receive batch lends a datagram is checked at compile time, with no runtime
/// exclusivity checks on the packet path.
enum RelayWorkerLoop {
    /// The epoll token of the eventfd (socket tokens are their indices).
    static let eventToken = UInt64.max
    /// Ready descriptors reported per wait (sockets plus the eventfd).
    static let waitCapacity = 16

    static func run<Handler: RelayDatagramHandler>(
        handler initialHandler: consuming Handler,
        sockets: [RelaySocket],
        epollDescriptor: Int32,
        eventDescriptor: Int32,
        inbox: RelayWorkerInbox<Handler.Command>,
        counters: RelayWorkerCounters,
        configuration: RelayWorkerConfiguration
    ) {
        _ = configuration.name.withCString { crelay_thread_set_name($0) }
        if let cpu = configuration.cpu {
            _ = crelay_thread_pin(Int32(clamping: cpu))
        }

        // Everything the loop needs is allocated here, once.
        var handler = initialHandler
        let descriptors = sockets.map(\.descriptor)
        var receive = RecvBatch(
            slotCount: configuration.receiveBatchSize,
            slotSize: configuration.slotSize,
            maximumDatagramSize: configuration.limits.maximumDatagramSize
        )
        var send = SendBatch(
            slotCount: configuration.sendBatchSize,
            slotSize: configuration.slotSize,
            routes: sockets.map { socket in
                SendBatch.Route(
                    descriptor: socket.descriptor,
                    socketFamily: socket.socketFamily,
                    carriesIPv4: socket.carriesIPv4,
                    carriesIPv6: socket.carriesIPv6
                )
            }
        )
        var commands: [Handler.Command] = []
        commands.reserveCapacity(64)
        var readable = [Bool](repeating: false, count: sockets.count)
        let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.waitCapacity)
        defer { tokens.deallocate() }
        var totals = RelayWorkerStatistics()

        // The first pass does not wait: commands queued before the thread started are applied
        // and timers already due run at once.
        var timeout: Int64 = 0
        var stopping = false
        while !stopping {
            let ready = crelay_epoll_wait(epollDescriptor, tokens, Int32(Self.waitCapacity), timeout)
            var eventSignalled = false
            if ready < 0 {
                if errno != EINTR {
                    // Only a programming error (a closed epoll descriptor) gets here; spinning on
                    // it would burn the core, so the loop ends and isRunning reports it.
                    break
                }
            } else {
                for index in 0..<Int(ready) {
                    let token = tokens[index]
                    if token == Self.eventToken {
                        eventSignalled = true
                    } else if token < UInt64(readable.count) {
                        readable[Int(token)] = true
                    }
                }
            }
            var now = RelayTime.monotonicNow()
            // Busy time runs from here (the wait is over) to the end of the iteration.
            let busySince = now

            // Commands: drain the eventfd first, then swap the array out (see the inbox).
            if eventSignalled {
                _ = crelay_eventfd_drain(eventDescriptor)
                stopping = inbox.take(into: &commands)
                for command in commands {
                    handler.apply(command, now: now, send: &send)
                }
                totals.commandsApplied &+= UInt64(commands.count)
                commands.removeAll(keepingCapacity: true)
                // Published before the flush: whoever sees a command's output sees it counted.
                counters.publish(Self.merge(totals, send.counters))
                send.flush()
            }

            // Datagrams: up to maximumBatchesPerIteration read batches per ready socket.
            var morePending = false
            for socketIndex in readable.indices where readable[socketIndex] {
                readable[socketIndex] = false
                var batches = 0
                while batches < configuration.maximumBatchesPerIteration {
                    batches += 1
                    let outcome = receive.receive(descriptor: descriptors[socketIndex])
                    Self.count(outcome, into: &totals)
                    if receive.count > 0 {
                        now = RelayTime.monotonicNow()
                        send.arrivalRoute = socketIndex
                        for index in 0..<receive.count {
                            receive.withDatagram(at: index) { bytes, length, source in
                                handler.handle(datagram: &bytes, length: length, from: source, now: now, send: &send)
                            }
                        }
                        send.arrivalRoute = -1
                    }
                    // Receive-side counters first: a peer that sees the flushed output can
                    // already see the drops counted in the same batch.
                    counters.publish(Self.merge(totals, send.counters))
                    send.flush()
                    // A timer due during a long run of batches runs between them.
                    if let deadline = handler.nextDeadline, deadline <= now {
                        handler.timersFired(now: now, send: &send)
                        totals.timerRuns &+= 1
                        counters.publish(Self.merge(totals, send.counters))
                        send.flush()
                    }
                    counters.publish(Self.merge(totals, send.counters))
                    if outcome.error != nil || outcome.drained(slotCount: receive.slotCount) {
                        break
                    }
                    if batches == configuration.maximumBatchesPerIteration {
                        morePending = true
                    }
                }
            }

            now = RelayTime.monotonicNow()
            if let deadline = handler.nextDeadline, deadline <= now {
                handler.timersFired(now: now, send: &send)
                totals.timerRuns &+= 1
                counters.publish(Self.merge(totals, send.counters))
                send.flush()
            }
            // One more clock read per iteration (vDSO, no system call): it also times the wait.
            let finished = RelayTime.monotonicNow()
            totals.busyNanoseconds &+= finished.nanoseconds(since: busySince)
            totals.iterations &+= 1
            counters.publish(Self.merge(totals, send.counters))

            if morePending {
                timeout = 0
            } else if let deadline = handler.nextDeadline {
                let wait = deadline.nanoseconds(since: finished)
                timeout = Int64(clamping: wait)
            } else {
                timeout = -1
            }
        }

        // Queued sends are not lost at a clean stop.
        send.flush()
        counters.publish(Self.merge(totals, send.counters))
        inbox.markStopped()
        for socket in sockets {
            socket.close()
        }
        Glibc.close(epollDescriptor)
        counters.markStopped()
    }

    private static func count(_ outcome: RecvBatch.Outcome, into totals: inout RelayWorkerStatistics) {
        let kept = outcome.received - outcome.droppedOversize - outcome.droppedUnreadableSource
        totals.received &+= UInt64(max(0, kept))
        totals.receivedBytes &+= UInt64(max(0, outcome.acceptedBytes))
        totals.droppedOversize &+= UInt64(outcome.droppedOversize)
        totals.droppedUnreadableSource &+= UInt64(outcome.droppedUnreadableSource)
        if outcome.error != nil {
            totals.receiveErrors &+= 1
        }
    }

    private static func merge(_ totals: RelayWorkerStatistics, _ send: SendBatch.Counters) -> RelayWorkerStatistics {
        var merged = totals
        merged.sent = UInt64(send.sent)
        merged.sentBytes = UInt64(send.sentBytes)
        merged.sendDroppedWouldBlock = UInt64(send.droppedWouldBlock)
        merged.sendErrors = UInt64(send.failed + send.unroutable + send.rejected)
        return merged
    }
}
