internal import CRelaySocket
internal import Glibc

/// The body of the recording writer's thread.
///
/// Each pass waits on the eventfd (at most until the earliest sync deadline), drains it, takes
/// over newly opened files, then services every file: swaps its queue out, writes it, closes it
/// if asked, or syncs it when its oldest unsynced byte is ``RecordingWriter/Configuration/syncInterval``
/// old. A stop request gets one last pass that writes, syncs and closes everything.
enum RecordingWriterLoop {
    /// A file the thread has taken over.
    struct OpenFile {
        let file: RecordingFile
        // When the oldest byte not yet synced was written (monotonic ns), nil when all is synced.
        var dirtySince: UInt64?
        // Whether its directory has been synced since the file was created.
        var directorySynced = false
    }

    static func run(shared: RecordingWriterShared, eventDescriptor: Int32, configuration: RecordingWriter.Configuration)
    {
        _ = configuration.threadName.withCString { crelay_thread_set_name($0) }
        var files: [OpenFile] = []
        var incoming: [RecordingFile] = []
        var batch: [UInt8] = []
        var timeoutMilliseconds: Int32 = -1
        // Bounded: each pass blocks in poll until a signal or a deadline; it ends on a stop request.
        while true {
            var descriptor = pollfd(fd: eventDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            let pollFailed = ready < 0 && errno != EINTR
            _ = crelay_eventfd_drain(eventDescriptor)
            let request = shared.take(into: &incoming)
            for file in incoming {
                files.append(OpenFile(file: file))
            }
            incoming.removeAll(keepingCapacity: true)
            // A poll that fails for another reason than a signal (only a closed eventfd, a
            // programming error) would spin: the thread closes everything and ends instead.
            let stopping = request.stopping || pollFailed
            if request.suspended && !stopping {
                timeoutMilliseconds = -1
                continue
            }
            let now = crelay_monotonic_nanoseconds()
            var index = 0
            // Bounded by the file count; a file that is done is swapped out with the last one.
            while index < files.count {
                if Self.service(
                    &files[index],
                    batch: &batch,
                    now: now,
                    configuration: configuration,
                    stopping: stopping
                ) {
                    files.swapAt(index, files.count - 1)
                    files.removeLast()
                } else {
                    index += 1
                }
            }
            if stopping {
                break
            }
            timeoutMilliseconds = Self.timeout(files, now: now, syncInterval: configuration.syncInterval)
        }
        shared.markStopped()
    }

    /// Writes a file's queue, then closes or syncs it as due. Returns true once the file is closed.
    static func service(
        _ open: inout OpenFile,
        batch: inout [UInt8],
        now: UInt64,
        configuration: RecordingWriter.Configuration,
        stopping: Bool
    ) -> Bool {
        let file = open.file
        let closeRequested = file.takePending(into: &batch)
        defer { batch.removeAll(keepingCapacity: true) }
        if !batch.isEmpty {
            let error = batch.withUnsafeBytes { RecordingDirectory.writeAll(file.descriptor, $0) }
            guard error == 0 else {
                Self.close(file, failure: .system(error, path: file.path, doing: "write the recording"))
                return true
            }
            file.recordWritten(batch.count)
            open.dirtySince = open.dirtySince ?? now
        }
        let closing = closeRequested || stopping
        let syncDue = open.dirtySince.map { now &- $0 >= configuration.syncInterval } ?? false
        if closing || syncDue {
            if open.dirtySince != nil {
                let error = RecordingDirectory.sync(file.descriptor)
                guard error == 0 else {
                    Self.close(file, failure: .system(error, path: file.path, doing: "sync the recording"))
                    return true
                }
                file.recordSynced()
                open.dirtySince = nil
            }
            if !open.directorySynced {
                // The file's name survives a power loss once its directory is synced too. A
                // failure here loses nothing already written: it is not worth stopping for.
                _ = RecordingDirectory.syncDirectory(file.directory)
                open.directorySynced = true
            }
        }
        guard closing else { return false }
        var failure: RecordingError?
        if Glibc.close(file.descriptor) != 0, errno != EINTR {
            failure = .system(errno, path: file.path, doing: "close the recording")
        }
        if !closeRequested, failure == nil {
            failure = RecordingError(
                .writerStopped,
                path: file.path,
                message: "the recording writer stopped before the recording did: the file has no end page. "
                    + "It is repaired at the next start (RecordingRecovery); stop recordings before the writer."
            )
        }
        file.recordClosed(failure: failure)
        return true
    }

    private static func close(_ file: RecordingFile, failure: RecordingError) {
        // The descriptor is released whatever close says: POSIX leaves it unspecified after an
        // error, and Linux always frees it.
        _ = Glibc.close(file.descriptor)
        file.recordClosed(failure: failure)
    }

    /// Milliseconds until the earliest sync deadline (rounded up), or -1 with nothing to sync.
    static func timeout(_ files: [OpenFile], now: UInt64, syncInterval: UInt64) -> Int32 {
        var earliest: UInt64?
        for open in files {
            if let since = open.dirtySince {
                let deadline = since &+ syncInterval
                earliest = min(earliest ?? deadline, deadline)
            }
        }
        guard let earliest else { return -1 }
        let wait = earliest > now ? earliest - now : 0
        return Int32(clamping: (wait + 999_999) / 1_000_000)
    }
}
