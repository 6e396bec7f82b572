internal import Glibc
internal import RTCAudio

/// Repairs the recordings a crash left unfinished: run at start-up, before any recording starts.
///
/// For every `.opus` file in the directory that is not a complete stream (its last page lacks the
/// EOS flag, or bytes follow its last whole page), ``repair(directory:)`` truncates it after its
/// last complete page that ends a packet and appends an EOS page (`OggOpusRecovery`): every reader
/// then accepts it without a warning, and it holds all the audio written before the crash (with
/// the recorder's 1 s flushes, all but at most the last second). Files already complete are left
/// alone; files with nothing to recover (cut before their header pages were whole, or not Ogg
/// Opus at all) are left as they are and reported.
///
/// It reads each unfinished file whole into memory (about 14 MB per hour at 32 kbit/s).
public enum RecordingRecovery {
    /// What was done to one file.
    public struct Repair: Sendable, Hashable {
        /// What was found, and done.
        public enum Outcome: Sendable, Hashable {
            /// The file was a complete stream: left alone.
            case complete
            /// The file was cut short: truncated and closed with an EOS page.
            case repaired
            /// Nothing could be recovered (no whole header pages, or not an Ogg Opus file): left
            /// as it is.
            case unrecoverable
        }

        /// The file's path.
        public let path: String
        /// What was found, and done.
        public let outcome: Outcome
        /// The file's length before the repair.
        public let originalLength: Int
        /// The file's length after it (the original length when nothing was done).
        public let length: Int
        /// The stream's final granule position (48 kHz samples, pre-skip included), or nil for an
        /// unrecoverable file.
        public let granulePosition: Int64?
    }

    /// What ``repair(directory:)`` found and did.
    public struct Report: Sendable, Hashable {
        /// One entry per `.opus` file examined, by file name.
        public var files: [Repair] = []
        /// Files that could not be read or written, with the reason; they were left as they are.
        public var failures: [RecordingError] = []

        /// The files repaired.
        public var repaired: [Repair] {
            self.files.filter { $0.outcome == .repaired }
        }
    }

    /// Repairs every unfinished `.opus` file in `directory` (not in its subdirectories).
    ///
    /// - Throws: ``RecordingError`` when the directory cannot be listed. A file that cannot be
    ///   read or written is reported in ``Report/failures`` and the others are still examined.
    public static func repair(directory: String) throws(RecordingError) -> Report {
        let names = try RecordingDirectory.files(in: directory, suffix: ".opus")
        let separator = directory.hasSuffix("/") ? "" : "/"
        var report = Report()
        for name in names {
            do {
                if let repair = try Self.repair(file: directory + separator + name) {
                    report.files.append(repair)
                }
            } catch {
                report.failures.append(error)
            }
        }
        return report
    }

    /// Repairs one file if it is unfinished.
    ///
    /// - Returns: what was done, or nil when `path` is not a regular file (a directory, a device,
    ///   a symbolic link: recovery never writes through a link).
    /// - Throws: ``RecordingError`` when the file cannot be opened, read, truncated or written.
    public static func repair(file path: String) throws(RecordingError) -> Repair? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw RecordingError.system(errno, path: path, doing: "inspect the recording")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        // O_NOFOLLOW: a file swapped for a link since lstat fails rather than being followed.
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw RecordingError.system(errno, path: path, doing: "open the recording for repair")
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else {
            throw RecordingError.system(errno, path: path, doing: "inspect the recording")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let bytes = try Self.readAll(descriptor, length: Int(status.st_size), path: path)
        let scan = OggPageScan(scanning: bytes)
        if scan.isCompleteStream {
            return Repair(
                path: path,
                outcome: .complete,
                originalLength: bytes.count,
                length: bytes.count,
                granulePosition: scan.pages.last?.granulePosition
            )
        }
        guard let recovery = OggOpusRecovery(recovering: bytes) else {
            return Repair(
                path: path,
                outcome: .unrecoverable,
                originalLength: bytes.count,
                length: bytes.count,
                granulePosition: nil
            )
        }
        guard ftruncate(descriptor, off_t(recovery.length)) == 0 else {
            throw RecordingError.system(errno, path: path, doing: "truncate the recording for repair")
        }
        let written = recovery.closingPage.withUnsafeBytes { page -> Int32 in
            guard lseek(descriptor, off_t(recovery.length), SEEK_SET) >= 0 else { return errno }
            return RecordingDirectory.writeAll(descriptor, page)
        }
        guard written == 0 else {
            throw RecordingError.system(written, path: path, doing: "write the repaired recording's end page")
        }
        let synced = RecordingDirectory.sync(descriptor)
        guard synced == 0 else {
            throw RecordingError.system(synced, path: path, doing: "sync the repaired recording")
        }
        return Repair(
            path: path,
            outcome: .repaired,
            originalLength: bytes.count,
            length: recovery.length + recovery.closingPage.count,
            granulePosition: recovery.granulePosition
        )
    }

    // Reads the whole file (`length` bytes, as fstat saw it) from its start.
    private static func readAll(_ descriptor: Int32, length: Int, path: String) throws(RecordingError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, length))
        var filled = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            // Bounded: every pass reads at least one byte or stops (EINTR aside).
            while filled < buffer.count {
                let count = pread(descriptor, base + filled, buffer.count - filled, off_t(filled))
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                filled += count
            }
        }
        guard failure == 0 else {
            throw RecordingError.system(failure, path: path, doing: "read the recording for repair")
        }
        // A file that shrank meanwhile: keep what was read.
        bytes.removeSubrange(filled...)
        return bytes
    }
}
