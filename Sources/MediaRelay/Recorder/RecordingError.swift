internal import Glibc

/// Why a recording could not start, or stopped: a room name that is not a safe file name, a
/// directory that cannot be created or written, a full disk, a failed write.
///
/// A failed recording is reported with one of these and stops; the room and its worker go on.
/// ``message`` is a sentence for the operator saying what happened and what to do; ``path`` is
/// the file or directory concerned; ``systemError`` the `errno` value when a system call failed
/// (0 otherwise). Equality is by ``code``.
public struct RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: UInt8, Hashable, Sendable {
            case invalidRoomName
            case permissionDenied
            case directoryUnavailable
            case diskFull
            case fileExists
            case ioFailed
            case invalidConfiguration
            case alreadyRecording
            case writerStopped
        }

        fileprivate let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The room name cannot become a file name: empty, or holding a path separator (`/`, `\`),
        /// `..` or a NUL byte.
        public static let invalidRoomName = Code(.invalidRoomName)
        /// The relay's user may not create or write the file or its directory (`EACCES`, `EPERM`,
        /// `EROFS`).
        public static let permissionDenied = Code(.permissionDenied)
        /// The directory cannot be created or opened: a path component is a file, or is missing
        /// and cannot be made.
        public static let directoryUnavailable = Code(.directoryUnavailable)
        /// The volume is full or the user's quota is used up (`ENOSPC`, `EDQUOT`).
        public static let diskFull = Code(.diskFull)
        /// Every candidate file name for this room and start time already exists.
        public static let fileExists = Code(.fileExists)
        /// Another system error while creating, writing, syncing or closing the file (`EIO`...).
        public static let ioFailed = Code(.ioFailed)
        /// The stream settings are refused (channels other than 1 or 2, a pre-skip out of range,
        /// a malformed comment), or libogg failed.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// ``RoomRecorder/start(room:startTime:directory:)`` while a recording is running.
        public static let alreadyRecording = Code(.alreadyRecording)
        /// The ``RecordingWriter`` has stopped: nothing more can be written.
        public static let writerStopped = Code(.writerStopped)

        /// The code's name, as it appears in logs.
        public var description: String {
            switch self.base {
            case .invalidRoomName: return "invalidRoomName"
            case .permissionDenied: return "permissionDenied"
            case .directoryUnavailable: return "directoryUnavailable"
            case .diskFull: return "diskFull"
            case .fileExists: return "fileExists"
            case .ioFailed: return "ioFailed"
            case .invalidConfiguration: return "invalidConfiguration"
            case .alreadyRecording: return "alreadyRecording"
            case .writerStopped: return "writerStopped"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The file or directory concerned (empty when there is none, as for a refused room name).
    public let path: String
    /// The `errno` value of the failed system call, or 0.
    public let systemError: Int32
    /// What happened and what to do, as one or two sentences for the operator.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, path: String, systemError: Int32 = 0, message: String) {
        self.code = code
        self.path = path
        self.systemError = systemError
        self.message = message
    }

    /// `diskFull: /var/parley/recordings/a-20250501-093000.opus: ... (errno 28: No space left on device)`.
    public var description: String {
        var text = "\(self.code): "
        if !self.path.isEmpty {
            text += "\(self.path): "
        }
        text += self.message
        if self.systemError != 0 {
            text += " (errno \(self.systemError): \(Self.systemText(self.systemError)))"
        }
        return text
    }

    public static func == (lhs: RecordingError, rhs: RecordingError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    /// The error for a failed system call on `path` while `doing` something (for example
    /// "create the recording file"), classified by `errno` with advice to match.
    static func system(_ value: Int32, path: String, doing action: String) -> RecordingError {
        switch value {
        case EACCES, EPERM, EROFS:
            return RecordingError(
                .permissionDenied,
                path: path,
                systemError: value,
                message: "cannot \(action): permission denied. Give the relay's user write access to the "
                    + "recording directory, or configure another one."
            )
        case ENOSPC, EDQUOT:
            return RecordingError(
                .diskFull,
                path: path,
                systemError: value,
                message: "cannot \(action): the disk is full. Free space on that volume or configure a "
                    + "recording directory on another one; the file so far is kept and repaired at the next start."
            )
        case ENOTDIR, ENOENT, ELOOP, ENAMETOOLONG:
            return RecordingError(
                .directoryUnavailable,
                path: path,
                systemError: value,
                message: "cannot \(action): a component of the path is missing, not a directory, or too "
                    + "long. Configure an existing directory path, or one the relay can create."
            )
        default:
            return RecordingError(
                .ioFailed,
                path: path,
                systemError: value,
                message: "cannot \(action). Check the volume holding the recording directory (system log, "
                    + "file system errors); the file so far is kept and repaired at the next start."
            )
        }
    }

    private static func systemText(_ value: Int32) -> String {
        strerror(value).map { String(cString: $0) } ?? "unknown error"
    }
}
