internal import CRelaySocket
internal import Glibc
import Synchronization

/// What a ``RecordingWriter`` shares with its thread and its files: newly opened files waiting to
/// be taken over, the stop and suspend requests, and the eventfd that wakes the thread.
///
/// The eventfd is only signalled and closed under the lock, so a late signal from a file can never
/// write to a descriptor number the process has reused.
final class RecordingWriterShared: Sendable {
    struct State {
        var incoming: [RecordingFile] = []
        var stopping = false
        var suspended = false
        // The eventfd; -1 once closed.
        var eventDescriptor: Int32
    }

    private let state: Mutex<State>

    init(eventDescriptor: Int32) {
        self.state = Mutex(State(eventDescriptor: eventDescriptor))
    }

    /// Hands a newly opened file to the thread; false once the writer is stopping.
    func register(_ file: RecordingFile) -> Bool {
        self.state.withLock { state in
            guard !state.stopping, state.eventDescriptor >= 0 else { return false }
            state.incoming.append(file)
            _ = crelay_eventfd_signal(state.eventDescriptor)
            return true
        }
    }

    /// Wakes the thread (a file has bytes or a close request for it).
    func signal() {
        self.state.withLock { state in
            if state.eventDescriptor >= 0 {
                _ = crelay_eventfd_signal(state.eventDescriptor)
            }
        }
    }

    /// Asks the thread to write everything queued, close every file and end.
    func requestStop() {
        self.state.withLock { state in
            state.stopping = true
            if state.eventDescriptor >= 0 {
                _ = crelay_eventfd_signal(state.eventDescriptor)
            }
        }
    }

    /// Whether a stop was requested (new files are refused from then on).
    var isStopping: Bool {
        self.state.withLock { $0.stopping }
    }

    /// Pauses or resumes the thread's writing (a test's stand-in for a stalled disk).
    func setSuspended(_ suspended: Bool) {
        self.state.withLock { state in
            state.suspended = suspended
            if state.eventDescriptor >= 0 {
                _ = crelay_eventfd_signal(state.eventDescriptor)
            }
        }
    }

    /// Thread side: moves the newly opened files into `files` and returns the requests.
    func take(into files: inout [RecordingFile]) -> (stopping: Bool, suspended: Bool) {
        self.state.withLock { state in
            files.append(contentsOf: state.incoming)
            state.incoming.removeAll(keepingCapacity: true)
            return (state.stopping, state.suspended)
        }
    }

    /// Marks the writer stopped without waking anyone: the thread calls it when it ends.
    func markStopped() {
        self.state.withLock { state in
            state.stopping = true
        }
    }

    /// Closes the eventfd once the thread has been joined.
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
