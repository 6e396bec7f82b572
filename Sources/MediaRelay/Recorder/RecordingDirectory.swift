internal import Glibc

/// The file-system calls of the recorder, over Glibc: creating the directory and an exclusive
/// file, writing whole buffers, listing and reading files back for recovery.
///
/// Each returns an `errno` value or throws a ``RecordingError`` built from it; none traps.
enum RecordingDirectory {
    /// Creates `path` and any missing parent with `mode` (like `mkdir -p`), or checks that it is a
    /// directory if it exists.
    static func make(_ path: String, mode: UInt32) throws(RecordingError) {
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw RecordingError(
                .directoryUnavailable,
                path: path,
                message: "the recording directory path is empty or holds a NUL byte. Configure a directory path."
            )
        }
        if Self.isDirectory(path) { return }
        // Each prefix ending before a '/', then the whole path: bounded by the path's length.
        var prefixes: [String] = []
        var utf8 = Array(path.utf8)
        while utf8.count > 1, utf8.last == UInt8(ascii: "/") {
            utf8.removeLast()
        }
        for index in utf8.indices where utf8[index] == UInt8(ascii: "/") && index > 0 {
            prefixes.append(String(decoding: utf8[..<index], as: UTF8.self))
        }
        prefixes.append(String(decoding: utf8, as: UTF8.self))
        for prefix in prefixes {
            if mkdir(prefix, mode_t(mode)) == 0 { continue }
            let error = errno
            guard error == EEXIST else {
                throw RecordingError.system(error, path: prefix, doing: "create the recording directory")
            }
            guard Self.isDirectory(prefix) else {
                throw RecordingError.system(ENOTDIR, path: prefix, doing: "create the recording directory")
            }
        }
    }

    /// Whether `path` names a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a new file in `directory` (never an existing one: `O_EXCL`), trying the names
    /// `name(0)`, `name(1)`, ... until one is free, at most `attempts` of them.
    ///
    /// - Returns: the open descriptor (write-only, close-on-exec) and the file's path.
    static func createExclusive(
        in directory: String,
        mode: UInt32,
        attempts: Int,
        name: (Int) -> String
    ) throws(RecordingError) -> (descriptor: Int32, path: String) {
        let separator = directory.hasSuffix("/") ? "" : "/"
        var lastPath = directory
        for attempt in 0..<max(1, attempts) {
            let path = directory + separator + name(attempt)
            lastPath = path
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
            if descriptor >= 0 {
                return (descriptor, path)
            }
            let error = errno
            guard error == EEXIST else {
                throw RecordingError.system(error, path: path, doing: "create the recording file")
            }
        }
        throw RecordingError(
            .fileExists,
            path: lastPath,
            message: "\(attempts) recordings of this room already start in this second. Stop the "
                + "recordings in progress or move old files away."
        )
    }

    /// Writes all of `bytes` at the file's offset, retrying short writes and interruptions.
    ///
    /// - Returns: 0, or the `errno` value of the write that failed (some bytes may be written).
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard var next = bytes.baseAddress else { return 0 }
        var remaining = bytes.count
        // Bounded: every pass writes at least one byte or returns, except for EINTR, which only a
        // signal causes.
        while remaining > 0 {
            let written = write(descriptor, next, remaining)
            if written < 0 {
                let error = errno
                if error == EINTR { continue }
                return error
            }
            // A regular file only writes 0 bytes when it cannot grow: report it as a full disk.
            if written == 0 { return ENOSPC }
            remaining -= written
            next += written
        }
        return 0
    }

    /// `fsync`, retried on interruption: 0 or the `errno` value.
    static func sync(_ descriptor: Int32) -> Int32 {
        while fsync(descriptor) != 0 {
            let error = errno
            if error != EINTR { return error }
        }
        return 0
    }

    /// Syncs a directory so that a file created in it survives a power loss: 0 or `errno`.
    static func syncDirectory(_ path: String) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        return Self.sync(descriptor)
    }

    /// The names of the regular files and links in `directory` ending with `suffix` and not
    /// starting with `.`, sorted.
    static func files(in directory: String, suffix: String) throws(RecordingError) -> [String] {
        guard let stream = opendir(directory) else {
            throw RecordingError.system(errno, path: directory, doing: "open the recording directory")
        }
        defer { closedir(stream) }
        var names: [String] = []
        // Bounded by the directory's size: readdir returns nil at its end.
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> String in
                // d_name is NUL-terminated within its 256 bytes.
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            guard name.hasSuffix(suffix), !name.hasPrefix(".") else { continue }
            names.append(name)
        }
        return names.sorted()
    }
}
