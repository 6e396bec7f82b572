internal import CRelaySocket
internal import Glibc
import Synchronization

/// The commands waiting for a worker, and its stop request: shared by the control side, which
/// appends, and the worker thread, which swaps the whole array out once per loop iteration (and
/// only when the eventfd said something is waiting): the lock is never taken per packet.
final class RelayWorkerInbox<Command: Sendable>: Sendable {
    struct State {
        var commands: [Command] = []
        var stopping = false
        // The eventfd that wakes the worker; -1 once closed. Only signalled and closed under the
        // lock, so a late submit can never write to a descriptor number reused by someone else.
        var eventDescriptor: Int32
    }

    private let state: Mutex<State>

    init(eventDescriptor: Int32) {
        self.state = Mutex(State(eventDescriptor: eventDescriptor))
    }

    /// Queues a command; false once the worker is stopping or stopped.
    func submit(_ command: Command) -> Bool {
        self.state.withLock { state in
            guard !state.stopping, state.eventDescriptor >= 0 else { return false }
            let wasEmpty = state.commands.isEmpty
            state.commands.append(command)
            // One wake-up per batch of commands: the worker drains the eventfd before it swaps
            // the array out, so a command appended to an empty array always finds a wake-up
            // still pending or sends a fresh one.
            if wasEmpty {
                _ = crelay_eventfd_signal(state.eventDescriptor)
            }
            return true
        }
    }

    /// Asks the worker to stop after applying the commands already queued.
    func requestStop() {
        self.state.withLock { state in
            guard !state.stopping else { return }
            state.stopping = true
            if state.eventDescriptor >= 0 {
                _ = crelay_eventfd_signal(state.eventDescriptor)
            }
        }
    }

    /// Worker side: swaps the queued commands into `local` (which must be empty; its capacity
    /// goes to the inbox) and returns whether a stop was requested.
    func take(into local: inout [Command]) -> Bool {
        self.state.withLock { state in
            swap(&state.commands, &local)
            return state.stopping
        }
    }

    /// Marks the inbox stopped (no more submissions) without waking anyone: the worker calls it
    /// when its loop ends on its own.
    func markStopped() {
        self.state.withLock { state in
            state.stopping = true
        }
    }

    /// Closes the eventfd once the worker thread has been joined.
    func closeEvent() {
        self.state.withLock { state in
            state.stopping = true
            if state.eventDescriptor >= 0 {
                Glibc.close(state.eventDescriptor)
                state.eventDescriptor = -1
            }
        }
    }
}
