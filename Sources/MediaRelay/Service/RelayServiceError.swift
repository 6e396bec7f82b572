/// Why a ``RelayService`` could not start or refused a control call.
///
/// Equality is by ``code``; ``message`` says what was wrong and what to do.
public struct RelayServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it was.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidConfiguration
            case noFreePort
            case startFailed
            case noSuchWorker
            case inboxFull
            case stopped
            case duplicateTransport
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A setting cannot work (no worker, an empty port range, an invalid worker or core
        /// setting).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Every port of the configured range is taken (or the range has fewer ports than
        /// workers).
        public static let noFreePort = Code(.noFreePort)
        /// A socket, the DTLS context or a worker thread could not be made (the message carries
        /// the system's or library's reason).
        public static let startFailed = Code(.startFailed)
        /// The worker index is not one of the service's workers.
        public static let noSuchWorker = Code(.noSuchWorker)
        /// The worker has too many commands waiting (it is not keeping up, or is stuck): the
        /// command was not queued. Retry later or place the work elsewhere.
        public static let inboxFull = Code(.inboxFull)
        /// The service (or that worker) has stopped: nothing is applied any more.
        public static let stopped = Code(.stopped)
        /// The transport id is already open (on any worker), or the participant already has a
        /// transport on that worker: the worker would refuse it. Remove the first one, or wait
        /// for its ``RelayEvent/transportClosed(_:_:)``.
        public static let duplicateTransport = Code(.duplicateTransport)

        /// The code's name.
        public var description: String {
            switch self.value {
            case .invalidConfiguration: return "invalidConfiguration"
            case .noFreePort: return "noFreePort"
            case .startFailed: return "startFailed"
            case .noSuchWorker: return "noSuchWorker"
            case .inboxFull: return "inboxFull"
            case .stopped: return "stopped"
            case .duplicateTransport: return "duplicateTransport"
            }
        }
    }

    /// What kind of failure it was.
    public let code: Code
    /// A sentence saying what was wrong and what to do.
    public let message: String

    /// An error with this code and message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String {
        "\(self.code): \(self.message)"
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: RelayServiceError, rhs: RelayServiceError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, as equality compares it only.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
