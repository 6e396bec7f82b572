internal import CRelaySocket
internal import Glibc
import Synchronization

/// The relay's file writer: one background thread that writes every recording's pages to disk,
/// so that no worker ever waits on a file system.
///
/// One writer per process serves every room. The control plane (or a worker, at a recording's
/// start) opens a file with ``open(room:startTime:directory:)``, which creates the directory if
/// missing and a new file that never overwrites another; the room's ``RoomRecorder`` then hands
/// it whole Ogg pages through ``RecordingFile/append(_:)``, which copies them into the file's
/// bounded queue and returns at once. The thread waits (poll) on an eventfd the files signal,
/// swaps each file's queue out, writes it, syncs each file at least once per
/// ``Configuration/syncInterval`` while it has unsynced bytes, and on a file's
/// ``RecordingFile/close(final:)`` writes the last pages, syncs and closes it.
///
/// A write or sync that fails (disk full, I/O error) closes that file and records a
/// ``RecordingError`` on it (``RecordingFile/failure``); the writer and the other files go on.
///
/// ``stop()`` (or releasing the writer) writes everything already queued, syncs and closes every
/// file, and joins the thread. Stop the recorders first (their EOS pages are then written); a file
/// still recording is closed without its EOS page and repaired by ``RecordingRecovery`` at the
/// next start.
///
/// ```swift
/// let writer = try RecordingWriter()
/// let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: fullMixEncoder))
/// try recorder.start(room: "standup", startTime: .now(), directory: "./recordings")
/// // every 20 ms on the worker: recorder.append(packet: fullMix); recorder.tick(now: now)
/// recorder.stop()
/// writer.stop()
/// ```
public final class RecordingWriter: Sendable {
    /// The configuration the writer runs with.
    public let configuration: Configuration

    private let shared: RecordingWriterShared
    // The running thread, nil once joined. stop() holds the lock while joining, so a second
    // caller waits for the first one's join instead of returning early.
    private let thread: Mutex<pthread_t?>
    private let running: RecordingWriterRunning

    /// Starts the writer thread.
    ///
    /// - Throws: ``RecordingError`` with ``RecordingError/Code/invalidConfiguration`` for an
    ///   invalid setting, ``RecordingError/Code/ioFailed`` when the eventfd or the thread cannot
    ///   be created.
    public init(configuration: Configuration = Configuration()) throws(RecordingError) {
        if let problem = configuration.validate() {
            throw RecordingError(
                .invalidConfiguration,
                path: "",
                message: "invalid recording writer setting: \(problem)."
            )
        }
        let event = crelay_eventfd_create()
        guard event >= 0 else {
            throw RecordingError.system(errno, path: "", doing: "create the recording writer's eventfd")
        }
        let shared = RecordingWriterShared(eventDescriptor: event)
        let running = RecordingWriterRunning()
        self.configuration = configuration
        self.shared = shared
        self.running = running

        let start = RecordingWriterThreadStart {
            RecordingWriterLoop.run(shared: shared, eventDescriptor: event, configuration: configuration)
            running.markStopped()
        }
        // The thread takes over the retained start object and releases it when the loop returns.
        // It holds the shared state, never the writer itself, so releasing the writer stops it.
        let context = Unmanaged.passRetained(start).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                if let context {
                    Unmanaged<RecordingWriterThreadStart>.fromOpaque(context).takeRetainedValue().body()
                }
                return nil
            },
            context
        )
        guard status == 0 else {
            Unmanaged<RecordingWriterThreadStart>.fromOpaque(context).release()
            shared.closeEvent()
            throw RecordingError.system(status, path: "", doing: "start the recording writer thread")
        }
        self.thread = Mutex(thread)
    }

    deinit {
        self.stop()
    }

    /// Creates a new recording file, `<directory>/<room>-<yyyyMMdd-HHmmss>.opus` (see
    /// ``RecordingFileName``), and hands it to the writer thread.
    ///
    /// The directory and its missing parents are created with ``Configuration/directoryMode``;
    /// the file with ``Configuration/fileMode`` and `O_EXCL`, so an existing file is never
    /// overwritten: the next free name with a `-2`, `-3`... suffix is taken instead. These are the
    /// only file-system calls made on the caller's thread, once per recording.
    ///
    /// - Throws: ``RecordingError``: ``RecordingError/Code/invalidRoomName`` for a room name with
    ///   a path separator or `..`; ``RecordingError/Code/permissionDenied``,
    ///   ``RecordingError/Code/directoryUnavailable``, ``RecordingError/Code/diskFull``,
    ///   ``RecordingError/Code/fileExists`` or ``RecordingError/Code/ioFailed`` when the file
    ///   cannot be created; ``RecordingError/Code/writerStopped`` after ``stop()``.
    public func open(
        room: String,
        startTime: RecordingTimestamp,
        directory: String
    ) throws(RecordingError) -> RecordingFile {
        guard !self.shared.isStopping else {
            throw Self.stoppedError(directory)
        }
        let safeRoom = try RecordingFileName.sanitizedRoom(room)
        try RecordingDirectory.make(directory, mode: self.configuration.directoryMode)
        let created = try RecordingDirectory.createExclusive(
            in: directory,
            mode: self.configuration.fileMode,
            attempts: RecordingFileName.maximumAttempts
        ) { attempt in
            RecordingFileName.fileName(room: safeRoom, startTime: startTime, attempt: attempt)
        }
        // If the writer stopped meanwhile, the empty file stays (recovery reports it unrecoverable).
        return try self.adopt(
            descriptor: created.descriptor,
            path: created.path,
            directory: directory,
            room: room,
            startTime: startTime
        )
    }

    /// Hands an open, writable descriptor to the writer thread as a recording file; the writer
    /// closes it. ``open(room:startTime:directory:)`` uses it, and tests give it a descriptor of
    /// `/dev/full` to see a full disk.
    ///
    /// - Throws: ``RecordingError/Code/writerStopped`` after ``stop()`` (the descriptor is closed).
    package func adopt(
        descriptor: Int32,
        path: String,
        directory: String,
        room: String,
        startTime: RecordingTimestamp
    ) throws(RecordingError) -> RecordingFile {
        let file = RecordingFile(
            path: path,
            directory: directory,
            room: room,
            startTime: startTime,
            descriptor: descriptor,
            maximumPendingBytes: self.configuration.maximumPendingBytes,
            wakeup: self.shared
        )
        guard self.shared.register(file) else {
            Glibc.close(descriptor)
            file.recordClosed(failure: Self.stoppedError(directory))
            throw Self.stoppedError(directory)
        }
        return file
    }

    /// Stops the writer: writes every byte already queued, syncs and closes every file, ends and
    /// joins the thread. Returns once all that is done; calling it again (from any thread) does
    /// nothing more. Files closed here without a ``RecordingFile/close(final:)`` report
    /// ``RecordingError/Code/writerStopped``.
    public func stop() {
        self.thread.withLock { thread in
            guard let running = thread else { return }
            self.shared.requestStop()
            _ = pthread_join(running, nil)
            thread = nil
            self.shared.closeEvent()
        }
    }

    /// Whether the thread is still running (false after ``stop()``).
    public var isRunning: Bool {
        !self.running.isStopped
    }

    /// Pauses writing until ``resume()``: the files' queues fill and then drop, as with a stalled
    /// disk. For tests of the bound; ``stop()`` writes everything anyway.
    package func suspend() {
        self.shared.setSuspended(true)
    }

    /// Resumes writing after ``suspend()``.
    package func resume() {
        self.shared.setSuspended(false)
    }

    private static func stoppedError(_ directory: String) -> RecordingError {
        RecordingError(
            .writerStopped,
            path: directory,
            message: "the recording writer has stopped (the relay is shutting down). Start recordings on a "
                + "running relay."
        )
    }
}

/// Whether the writer thread's loop has returned.
final class RecordingWriterRunning: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopped: Bool {
        self.stopped.load(ordering: .acquiring)
    }

    func markStopped() {
        self.stopped.store(true, ordering: .releasing)
    }
}

/// What the writer thread runs: an object so that it can travel through pthread_create's `void *`.
private final class RecordingWriterThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }
}
