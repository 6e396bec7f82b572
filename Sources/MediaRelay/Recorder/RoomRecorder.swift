internal import RTCAudio

/// Records one room's full mix as an Ogg Opus file (RFC 7845), on the room's worker: turns the
/// mixer's 20 ms packets into pages with an `OggOpusWriter` and hands the pages to a
/// ``RecordingWriter``, which writes them on its own thread.
///
/// The worker drives it:
/// - ``start(room:startTime:directory:)`` creates the file (see
///   ``RecordingWriter/open(room:startTime:directory:)``) and queues its header pages at once;
/// - ``append(packet:)`` every 20 ms with the mixer's full-mix payload; libogg's full pages (about
///   4 KiB) are handed over as they fill;
/// - ``tick(now:)`` from the worker's timer: forces the pending packets out as a page at least once
///   per ``Configuration/flushInterval``, so a crash loses at most that much audio, and reports a
///   failure of the file;
/// - ``stop()`` writes the final page with the EOS flag and has the writer sync and close the file.
///
/// Nothing here waits for the disk: handing pages over copies them into the file's bounded queue.
/// In steady state appending and ticking allocate nothing (the page array is reused).
///
/// A recording that fails (disk full, I/O error, libogg error) stops: ``tick(now:)`` returns its
/// ``RecordingError`` once, ``state`` becomes ``State/failed`` and further packets are ignored;
/// the room goes on. A recorder can start again after a stop or a failure, with a new file.
///
/// A recorder belongs to the worker that owns its room: it is not thread-safe.
public final class RoomRecorder {
    /// Where a recorder is in its life.
    public enum State: Sendable, Hashable {
        /// Not started yet.
        case idle
        /// Recording to ``RoomRecorder/file``.
        case recording
        /// Stopped by ``RoomRecorder/stop()``: the file ends with its EOS page.
        case stopped
        /// Stopped by a failure (``RoomRecorder/failure``).
        case failed
    }

    /// Counters of the current (or last) recording.
    public struct Statistics: Sendable, Hashable {
        /// Opus packets written into the stream.
        public var packets: Int = 0
        /// Empty payloads skipped (the mixer encoded nothing that tick).
        public var emptyPackets: Int = 0
        /// Payloads refused as malformed Opus (their duration unreadable), skipped.
        public var rejectedPackets: Int = 0
        /// Forced flushes (``RoomRecorder/tick(now:)``).
        public var flushes: Int = 0
        /// Batches of pages handed to the writer.
        public var handoffs: Int = 0
        /// Batches of pages the writer refused (its queue was full): that audio is missing.
        public var droppedHandoffs: Int = 0
        /// The stream's granule position: 48 kHz samples written, pre-skip included.
        public var granulePosition: Int64 = 0

        /// No counts yet.
        public init() {}
    }

    /// The writer the pages go to.
    public let writer: RecordingWriter
    /// The settings of every recording this recorder makes.
    public let configuration: Configuration

    /// Where the recorder is in its life.
    public private(set) var state: State = .idle
    /// Why the last recording failed, when ``state`` is ``State/failed``.
    public private(set) var failure: RecordingError?
    /// The file of the current (or last) recording.
    public private(set) var file: RecordingFile?
    /// Counters of the current (or last) recording.
    public private(set) var statistics = Statistics()

    private var stream: OggOpusWriter?
    // Pages produced by the stream, handed over and emptied after each call (capacity kept).
    private var pages: [UInt8] = []
    private var nextFlush: RelayTime?
    // A failure found but not yet returned by tick.
    private var unreportedFailure = false

    /// A recorder that writes through `writer`.
    public init(writer: RecordingWriter, configuration: Configuration = Configuration()) {
        self.writer = writer
        self.configuration = configuration
        self.pages.reserveCapacity(8 * 1024)
    }

    deinit {
        // A recorder released while recording still ends its file properly.
        self.stop()
    }

    /// Starts recording `room` into a new file in `directory`: creates it, named by room and start
    /// time, and queues its OpusHead and OpusTags pages (tags `ROOM`, `START` = `startTime` in
    /// ISO 8601, `ENCODER`).
    ///
    /// Creating the file and its directory are the only file-system calls made on the calling
    /// thread; a control plane that wants none on the worker opens the file itself with
    /// ``RecordingWriter/open(room:startTime:directory:)`` and calls ``start(file:)``.
    ///
    /// - Returns: the new file (its ``RecordingFile/path``).
    /// - Throws: ``RecordingError``: ``RecordingError/Code/alreadyRecording`` while recording,
    ///   ``RecordingError/Code/invalidConfiguration`` when the stream settings are refused
    ///   (channels, pre-skip, comments: checked before any file is created), and every error of
    ///   ``RecordingWriter/open(room:startTime:directory:)``. The recorder's state is unchanged.
    @discardableResult
    public func start(
        room: String,
        startTime: RecordingTimestamp,
        directory: String
    ) throws(RecordingError) -> RecordingFile {
        guard self.state != .recording else {
            throw Self.alreadyRecording()
        }
        let stream = try self.makeStream(room: room, startTime: startTime, path: directory)
        let file = try self.writer.open(room: room, startTime: startTime, directory: directory)
        do {
            try self.begin(file: file, stream: stream)
        } catch {
            file.close()
            throw error
        }
        return file
    }

    /// Starts recording into an already opened `file` (its room and start time go into the tags).
    ///
    /// - Throws: ``RecordingError``: ``RecordingError/Code/alreadyRecording`` while recording,
    ///   ``RecordingError/Code/invalidConfiguration`` when the stream settings are refused
    ///   (channels, pre-skip, comments), ``RecordingError/Code/writerStopped`` (or the file's own
    ///   failure) when `file` is already closed. The recorder's state is unchanged.
    public func start(file: RecordingFile) throws(RecordingError) {
        guard self.state != .recording else {
            throw Self.alreadyRecording()
        }
        let stream = try self.makeStream(room: file.room, startTime: file.startTime, path: file.path)
        try self.begin(file: file, stream: stream)
    }

    private func makeStream(
        room: String,
        startTime: RecordingTimestamp,
        path: String
    ) throws(RecordingError) -> OggOpusWriter {
        do {
            return try OggOpusWriter(
                configuration: OggOpusWriter.Configuration(
                    serialNumber: UInt32.random(in: .min ... .max),
                    channels: self.configuration.channels,
                    preSkip: self.configuration.preSkip,
                    room: room,
                    startTime: startTime.iso8601,
                    version: self.configuration.version,
                    comments: self.configuration.comments
                )
            )
        } catch {
            throw RecordingError(
                .invalidConfiguration,
                path: path,
                message: "the recording's stream settings are refused (\(error)). Fix the recorder's "
                    + "channels, pre-skip or comments."
            )
        }
    }

    // Queues the header pages and makes `file` the current recording.
    private func begin(file: RecordingFile, stream: OggOpusWriter) throws(RecordingError) {
        self.pages.removeAll(keepingCapacity: true)
        stream.flush(into: &self.pages)
        let accepted = file.append(self.pages.span)
        self.pages.removeAll(keepingCapacity: true)
        guard accepted else {
            throw file.failure
                ?? RecordingError(
                    .writerStopped,
                    path: file.path,
                    message: "the recording file is already closed. Open a new one."
                )
        }
        self.stream = stream
        self.file = file
        self.state = .recording
        self.failure = nil
        self.unreportedFailure = false
        self.nextFlush = nil
        self.statistics = Statistics()
        self.statistics.handoffs = 1
    }

    /// Adds one Opus packet (the mixer's 20 ms full mix) to the recording. Pages libogg fills are
    /// handed to the writer at once.
    ///
    /// An empty payload (the mixer encoded nothing this tick) is skipped and counted; a malformed
    /// one is skipped and counted in ``Statistics/rejectedPackets``. Does nothing unless
    /// ``state`` is ``State/recording``.
    public func append(packet: Span<UInt8>) {
        guard self.state == .recording, let stream = self.stream else { return }
        guard !packet.isEmpty else {
            self.statistics.emptyPackets += 1
            return
        }
        do {
            try stream.write(packet, into: &self.pages)
        } catch {
            if error.code == .invalidPacket {
                self.statistics.rejectedPackets += 1
            } else {
                self.fail(
                    RecordingError(
                        .invalidConfiguration,
                        path: self.file?.path ?? "",
                        message: "libogg failed while recording (\(error)); the recording stops. The file "
                            + "so far is repaired at the next start."
                    )
                )
            }
            return
        }
        self.statistics.packets += 1
        self.statistics.granulePosition = stream.granulePosition
        self.handOver()
    }

    /// Adds one Opus packet held in an array: for tests and tools.
    public func append(packet: [UInt8]) {
        self.append(packet: packet.span)
    }

    /// When ``tick(now:)`` next has work: the next forced flush, or nil when not recording (or
    /// before the first tick, which schedules it).
    public var nextDeadline: RelayTime? {
        self.state == .recording ? self.nextFlush : nil
    }

    /// Runs the recorder's timer: forces pending packets out as a page when the flush interval
    /// has passed since the last forced flush (the first tick after ``start(file:)`` only sets
    /// the schedule), and checks the file for a failure of the writer.
    ///
    /// - Returns: the error that stopped the recording, once, on the first tick after it happened;
    ///   nil otherwise. Log it: the room goes on without a recording.
    public func tick(now: RelayTime) -> RecordingError? {
        if self.state == .recording, let stream = self.stream {
            guard let due = self.nextFlush else {
                self.nextFlush = now.adding(nanoseconds: self.configuration.flushInterval)
                return self.reportFailure()
            }
            if now >= due {
                stream.flush(into: &self.pages)
                self.statistics.flushes += 1
                // Scheduled from the due time, not from now, so late ticks do not drift the
                // flushes later; from now if the worker was stalled for more than an interval.
                let next = due.adding(nanoseconds: self.configuration.flushInterval)
                self.nextFlush = next > now ? next : now.adding(nanoseconds: self.configuration.flushInterval)
                self.handOver()
                if self.state == .recording, let failure = self.file?.failure {
                    self.fail(failure)
                }
            }
        }
        return self.reportFailure()
    }

    /// Ends the recording: writes the last pages, the final one with the EOS flag, and has the
    /// writer sync and close the file. Does nothing unless ``state`` is ``State/recording``.
    ///
    /// - Returns: the file, or nil when nothing was recording. The writer closes it shortly after
    ///   (``RecordingFile/isClosed``); ``RecordingWriter/stop()`` waits for that.
    @discardableResult
    public func stop() -> RecordingFile? {
        guard self.state == .recording, let stream = self.stream, let file = self.file else { return nil }
        do {
            try stream.finish(into: &self.pages)
        } catch {
            // libogg failed on the last page: what was pages before still goes out; the file then
            // lacks its EOS page and is repaired at the next start.
        }
        self.statistics.granulePosition = stream.granulePosition
        self.statistics.handoffs += 1
        if !file.close(final: self.pages.span) {
            self.statistics.droppedHandoffs += 1
        }
        self.pages.removeAll(keepingCapacity: true)
        self.stream = nil
        self.state = .stopped
        self.nextFlush = nil
        return file
    }

    // Hands the pages produced so far to the file, and notes a refusal.
    private func handOver() {
        guard !self.pages.isEmpty, let file = self.file else { return }
        self.statistics.handoffs += 1
        if !file.append(self.pages.span) {
            self.statistics.droppedHandoffs += 1
            // Refused because the file failed (not only full): the recording stops.
            if let failure = file.failure {
                self.fail(failure)
            }
        }
        self.pages.removeAll(keepingCapacity: true)
    }

    private func fail(_ error: RecordingError) {
        guard self.state == .recording else { return }
        self.state = .failed
        self.failure = error
        self.unreportedFailure = true
        self.stream = nil
        self.nextFlush = nil
        // Closes the descriptor if the writer has not already (a libogg failure); the file keeps
        // what was written and is repaired at the next start.
        self.file?.close()
    }

    private func reportFailure() -> RecordingError? {
        guard self.unreportedFailure else { return nil }
        self.unreportedFailure = false
        return self.failure
    }

    private static func alreadyRecording() -> RecordingError {
        RecordingError(
            .alreadyRecording,
            path: "",
            message: "this room is already being recorded. Stop the recording before starting another."
        )
    }
}

@available(*, unavailable)
extension RoomRecorder: Sendable {}
