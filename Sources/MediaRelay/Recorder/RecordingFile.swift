import Synchronization

/// One open recording file, shared by the worker that produces its pages and the
/// ``RecordingWriter`` thread that writes them: the handoff between the two.
///
/// The worker calls ``append(_:)`` with whole Ogg pages. That copies the bytes into the file's
/// pending queue under a lock held for the copy only, wakes the writer when the queue was empty,
/// and returns: the worker never waits for the disk. The writer thread swaps the whole queue out
/// (the lock again held only for the swap), writes it, and syncs the file at least once per
/// ``RecordingWriter/Configuration/syncInterval``. In steady state the queue and the writer's
/// array trade capacities and nothing is allocated.
///
/// **Bounded.** When the disk falls behind and the queue would grow past
/// ``RecordingWriter/Configuration/maximumPendingBytes``, the batch is dropped whole and counted
/// in ``Statistics/batchesDropped`` and ``Statistics/bytesDropped``: memory stays bounded, and
/// since only whole pages are ever dropped the file stays a valid Ogg stream, with a gap in its
/// page sequence numbers where audio is missing. The closing batch of ``close(final:)`` (the last
/// pages and the EOS page, at most one flush interval of audio) is always accepted.
///
/// A file is made by ``RecordingWriter/open(room:startTime:directory:)``. It is safe to use from
/// any thread, but its pages must come from one producer (a ``RoomRecorder``) to make sense.
public final class RecordingFile: Sendable {
    /// Counters of one file, as last updated by the producer and the writer thread.
    public struct Statistics: Sendable, Hashable {
        /// Bytes accepted into the queue (handed to the writer).
        public var bytesAccepted: UInt64 = 0
        /// Bytes written to the file.
        public var bytesWritten: UInt64 = 0
        /// Bytes written and then made durable by `fsync`.
        public var bytesSynced: UInt64 = 0
        /// `fsync` calls made on the file.
        public var syncs: UInt64 = 0
        /// Batches dropped: the queue was over its bound, or the file was already closed or failed.
        public var batchesDropped: UInt64 = 0
        /// Bytes in the dropped batches.
        public var bytesDropped: UInt64 = 0
        /// Bytes waiting in the queue for the writer thread.
        public var bytesPending: Int = 0

        /// No counts yet.
        public init() {}
    }

    struct State {
        var pending: [UInt8] = []
        var statistics = Statistics()
        // Close requested by the producer: the writer writes what is pending, syncs and closes.
        var closeRequested = false
        // The writer thread has closed the descriptor (after a close request, a failure, or its
        // own stop); nothing more is accepted.
        var isClosed = false
        // Whether the producer's close request came before the descriptor was closed: the file
        // ends with the producer's last pages (its EOS page, for a RoomRecorder).
        var isFinished = false
        var failure: RecordingError?
    }

    /// The file's path: the directory as given, `/`, then the file name.
    public let path: String
    /// The directory the file is in, as given to ``RecordingWriter/open(room:startTime:directory:)``.
    public let directory: String
    /// The room, as given (the file name holds its sanitized form).
    public let room: String
    /// When the recording started.
    public let startTime: RecordingTimestamp

    /// The open descriptor. Only the writer thread writes, syncs and closes it, once registered.
    let descriptor: Int32
    private let maximumPendingBytes: Int
    private let wakeup: RecordingWriterShared
    private let state: Mutex<State>

    init(
        path: String,
        directory: String,
        room: String,
        startTime: RecordingTimestamp,
        descriptor: Int32,
        maximumPendingBytes: Int,
        wakeup: RecordingWriterShared
    ) {
        self.path = path
        self.directory = directory
        self.room = room
        self.startTime = startTime
        self.descriptor = descriptor
        self.maximumPendingBytes = maximumPendingBytes
        self.wakeup = wakeup
        self.state = Mutex(State())
    }

    /// Queues whole Ogg pages for writing and returns at once.
    ///
    /// - Returns: false when the bytes were dropped (and counted): the queue would exceed its
    ///   bound, or the file is closing, closed or failed (see ``failure``).
    @discardableResult
    public func append(_ bytes: Span<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            self.enqueue(buffer, closing: false)
        }
    }

    /// Queues bytes held in an array: for tests and tools.
    @discardableResult
    public func append(_ bytes: [UInt8]) -> Bool {
        self.append(bytes.span)
    }

    /// Queues the last pages and asks the writer to write them, sync and close the file. The
    /// bytes are accepted whatever the queue's bound; calling it again, or after a failure, does
    /// nothing.
    ///
    /// - Returns: false when the file was already closing, closed or failed.
    @discardableResult
    public func close(final bytes: Span<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            self.enqueue(buffer, closing: true)
        }
    }

    /// Closes with final bytes held in an array: for tests and tools.
    @discardableResult
    public func close(final bytes: [UInt8] = []) -> Bool {
        self.close(final: bytes.span)
    }

    /// The file's counters.
    public var statistics: Statistics {
        self.state.withLock { $0.statistics }
    }

    /// Why writing the file failed, if it did: the file was closed there, with what was written
    /// so far (repaired by ``RecordingRecovery`` at the next start).
    public var failure: RecordingError? {
        self.state.withLock { $0.failure }
    }

    /// Whether the writer thread has closed the file.
    public var isClosed: Bool {
        self.state.withLock { $0.isClosed }
    }

    /// Whether the file was closed after everything up to ``close(final:)`` was written and
    /// synced: a recording stopped properly, which needs no repair.
    public var isFinished: Bool {
        self.state.withLock { $0.isFinished }
    }

    private func enqueue(_ buffer: UnsafeBufferPointer<UInt8>, closing: Bool) -> Bool {
        let outcome = self.state.withLock { state -> (accepted: Bool, wake: Bool) in
            guard !state.closeRequested, !state.isClosed else {
                state.statistics.batchesDropped &+= buffer.isEmpty ? 0 : 1
                state.statistics.bytesDropped &+= UInt64(buffer.count)
                return (false, false)
            }
            if !closing, state.pending.count + buffer.count > self.maximumPendingBytes {
                state.statistics.batchesDropped &+= 1
                state.statistics.bytesDropped &+= UInt64(buffer.count)
                return (false, false)
            }
            let wasEmpty = state.pending.isEmpty
            state.pending.append(contentsOf: buffer)
            state.statistics.bytesAccepted &+= UInt64(buffer.count)
            state.statistics.bytesPending = state.pending.count
            state.closeRequested = closing
            // One wake-up per batch: the writer drains its eventfd before it swaps queues out, so
            // bytes added to a non-empty queue are covered by the wake-up that queue already sent.
            return (true, wasEmpty || closing)
        }
        if outcome.wake {
            self.wakeup.signal()
        }
        return outcome.accepted
    }
}

// MARK: - Writer thread side

extension RecordingFile {
    /// Writer thread: swaps the pending bytes into `batch` (which must be empty; its capacity
    /// goes to the queue) and returns whether a close was requested.
    func takePending(into batch: inout [UInt8]) -> Bool {
        self.state.withLock { state in
            swap(&state.pending, &batch)
            state.statistics.bytesPending = 0
            return state.closeRequested
        }
    }

    /// Writer thread: `count` more bytes are in the file.
    func recordWritten(_ count: Int) {
        self.state.withLock { state in
            state.statistics.bytesWritten &+= UInt64(count)
        }
    }

    /// Writer thread: an `fsync` made everything written so far durable.
    func recordSynced() {
        self.state.withLock { state in
            state.statistics.syncs &+= 1
            state.statistics.bytesSynced = state.statistics.bytesWritten
        }
    }

    /// Writer thread: the descriptor is closed; `failure` says why if writing failed, and whatever
    /// is still queued is dropped and counted.
    func recordClosed(failure: RecordingError?) {
        self.state.withLock { state in
            state.isFinished = failure == nil && state.closeRequested
            state.isClosed = true
            if state.failure == nil {
                state.failure = failure
            }
            if !state.pending.isEmpty {
                state.statistics.batchesDropped &+= 1
                state.statistics.bytesDropped &+= UInt64(state.pending.count)
                state.pending = []
                state.statistics.bytesPending = 0
            }
        }
    }
}
