internal import Glibc

/// A failed system call of the relay's I/O layer (sockets, the worker's loop and thread), with
/// the `errno` value and the system's text for it.
///
/// Equality is by ``code``. Configuration mistakes found before any system call (a batch larger
/// than the C layer allows, a datagram limit above the slot size) are reported as
/// ``Code/invalidArgument`` with a ``message`` naming the setting.
public struct RelayIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An `errno` value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw `errno` value.
        public let rawValue: Int32

        /// Creates a code from an `errno` value.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `EINVAL`: an argument or a setting is invalid.
        public static let invalidArgument = Code(rawValue: EINVAL)
        /// `EADDRINUSE`: another socket is bound to the address and port.
        public static let addressInUse = Code(rawValue: EADDRINUSE)
        /// `EADDRNOTAVAIL`: the address is not one of this machine's.
        public static let addressNotAvailable = Code(rawValue: EADDRNOTAVAIL)
        /// `EAFNOSUPPORT`: the address family is not supported (IPv6 disabled, for instance).
        public static let addressFamilyNotSupported = Code(rawValue: EAFNOSUPPORT)
        /// `EACCES`: not allowed (a privileged port).
        public static let permissionDenied = Code(rawValue: EACCES)
        /// `EMFILE`: the process has no file descriptor left.
        public static let tooManyOpenFiles = Code(rawValue: EMFILE)
        /// `EAGAIN`: the resource is temporarily unavailable (a thread could not be created).
        public static let wouldBlock = Code(rawValue: EAGAIN)
        /// `EBADF`: the descriptor is closed (a socket used after ``RelaySocket/close()``).
        public static let badDescriptor = Code(rawValue: EBADF)

        /// The `errno` constant's name for the common ones (`EADDRINUSE`), else `errno 97`.
        public var description: String {
            switch self.rawValue {
            case EINVAL: return "EINVAL"
            case EADDRINUSE: return "EADDRINUSE"
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL"
            case EAFNOSUPPORT: return "EAFNOSUPPORT"
            case EACCES: return "EACCES"
            case EMFILE: return "EMFILE"
            case EAGAIN: return "EAGAIN"
            case EBADF: return "EBADF"
            default: return "errno \(self.rawValue)"
            }
        }
    }

    /// The `errno` value.
    public let code: Code
    /// What the relay was doing, such as `"bind"`.
    public let operation: StaticString
    /// The system's text for the code, or a sentence naming the invalid setting.
    public let message: String

    /// An error with an explicit message (used for invalid settings).
    public init(code: Code, operation: StaticString, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// The error for an `errno` value, with the system's text.
    init(errno value: Int32, operation: StaticString) {
        let text = strerror(value).map { String(cString: $0) } ?? "unknown error"
        self.init(code: Code(rawValue: value), operation: operation, message: text)
    }

    /// The error for the calling thread's current `errno`.
    static func fromErrno(_ operation: StaticString) -> RelayIOError {
        RelayIOError(errno: errno, operation: operation)
    }

    /// `bind failed: EADDRINUSE (Address already in use)`.
    public var description: String {
        "\(self.operation) failed: \(self.code) (\(self.message))"
    }

    /// Equal when the codes are equal (the text is for people, not for matching).
    public static func == (lhs: RelayIOError, rhs: RelayIOError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
