internal import CSRTP

/// An error from an SRTP session: libsrtp's status code, or one of Parley's own checks, and what
/// was being done.
///
/// Equality is by ``code``. Creating and throwing one allocates nothing (its texts, the file
/// included, are static strings), so the relay can reject a flood of forged packets at the cost
/// of libsrtp's check.
/// On the packet path the codes that matter are ``Code/authFail`` (forged, corrupted, or the wrong
/// key), ``Code/replayFail`` (a duplicate), ``Code/replayOld`` (older than the replay window) and
/// ``Code/keyExpired`` (the key reached its usage limit: the transport must be re-keyed or closed).
public struct SRTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A libsrtp `srtp_err_status_t` value (0 and up), or a Parley check (negative).
    ///
    /// Every value of libsrtp 2.5's `srtp_err_status_t` has a name; new codes may be added, so
    /// switch over it with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw value: libsrtp's `srtp_err_status_t` when zero or positive, Parley's own when negative.
        public let rawValue: Int32

        /// Creates a code from its raw value.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// Whether the code is one of libsrtp's `srtp_err_status_t` values (not a Parley check).
        public var isLibSRTPStatus: Bool {
            self.rawValue >= 0
        }

        // libsrtp 2.5's srtp_err_status_t, in order (srtp.h).

        /// `srtp_err_status_ok` (0): not an error; never thrown.
        public static let ok = Code(rawValue: 0)
        /// `srtp_err_status_fail` (1): unspecified failure.
        public static let fail = Code(rawValue: 1)
        /// `srtp_err_status_bad_param` (2): unsupported parameter, or a malformed RTP header.
        public static let badParam = Code(rawValue: 2)
        /// `srtp_err_status_alloc_fail` (3): libsrtp could not allocate memory.
        public static let allocFail = Code(rawValue: 3)
        /// `srtp_err_status_dealloc_fail` (4): libsrtp could not free memory.
        public static let deallocFail = Code(rawValue: 4)
        /// `srtp_err_status_init_fail` (5): libsrtp could not initialise (a cipher, a stream).
        public static let initFail = Code(rawValue: 5)
        /// `srtp_err_status_terminus` (6): more data than the cipher can process.
        public static let terminus = Code(rawValue: 6)
        /// `srtp_err_status_auth_fail` (7): the packet failed authentication (forged, corrupted,
        /// or protected with another key). Count it and drop the packet.
        public static let authFail = Code(rawValue: 7)
        /// `srtp_err_status_cipher_fail` (8): the cipher failed.
        public static let cipherFail = Code(rawValue: 8)
        /// `srtp_err_status_replay_fail` (9): the packet index was already seen (a duplicate or
        /// replay), or, when protecting, a sequence number was reused.
        public static let replayFail = Code(rawValue: 9)
        /// `srtp_err_status_replay_old` (10): the packet index is older than the replay window.
        public static let replayOld = Code(rawValue: 10)
        /// `srtp_err_status_algo_fail` (11): an algorithm failed its self-test.
        public static let algoFail = Code(rawValue: 11)
        /// `srtp_err_status_no_such_op` (12): unsupported operation.
        public static let noSuchOp = Code(rawValue: 12)
        /// `srtp_err_status_no_ctx` (13): no stream for the packet's SSRC (specific-SSRC sessions).
        public static let noCtx = Code(rawValue: 13)
        /// `srtp_err_status_cant_check` (14): unable to perform the desired validation.
        public static let cantCheck = Code(rawValue: 14)
        /// `srtp_err_status_key_expired` (15): the key reached its hard usage limit.
        public static let keyExpired = Code(rawValue: 15)
        /// `srtp_err_status_socket_err` (16).
        public static let socketErr = Code(rawValue: 16)
        /// `srtp_err_status_signal_err` (17).
        public static let signalErr = Code(rawValue: 17)
        /// `srtp_err_status_nonce_bad` (18).
        public static let nonceBad = Code(rawValue: 18)
        /// `srtp_err_status_read_fail` (19).
        public static let readFail = Code(rawValue: 19)
        /// `srtp_err_status_write_fail` (20).
        public static let writeFail = Code(rawValue: 20)
        /// `srtp_err_status_parse_err` (21): the packet's structure (such as an RTP header
        /// extension length) does not fit its length.
        public static let parseErr = Code(rawValue: 21)
        /// `srtp_err_status_encode_err` (22).
        public static let encodeErr = Code(rawValue: 22)
        /// `srtp_err_status_semaphore_err` (23).
        public static let semaphoreErr = Code(rawValue: 23)
        /// `srtp_err_status_pfkey_err` (24).
        public static let pfkeyErr = Code(rawValue: 24)
        /// `srtp_err_status_bad_mki` (25): the packet's MKI is unknown.
        public static let badMKI = Code(rawValue: 25)
        /// `srtp_err_status_pkt_idx_old` (26): the packet index is too old to consider.
        public static let packetIndexOld = Code(rawValue: 26)
        /// `srtp_err_status_pkt_idx_adv` (27): the packet index advanced too far; reset the stream.
        public static let packetIndexAdvanced = Code(rawValue: 27)

        // Parley's own checks, made before libsrtp is called.

        /// The buffer has no room after the packet for the SRTP/SRTCP trailer (tag, SRTCP index).
        public static let insufficientCapacity = Code(rawValue: -1)
        /// The packet length is negative, larger than the buffer, larger than 65 535, or too short
        /// to hold a header and (when unprotecting) the trailer.
        public static let invalidLength = Code(rawValue: -2)
        /// Protect was called on an inbound session, or unprotect on an outbound one.
        public static let wrongDirection = Code(rawValue: -3)
        /// The master key or salt has the wrong length for the profile.
        public static let invalidKeyingMaterial = Code(rawValue: -4)
        /// The replay window is outside ``SRTPSession/replayWindowRange``.
        public static let invalidReplayWindow = Code(rawValue: -5)
        /// A stream for this SSRC already exists in the session.
        public static let streamExists = Code(rawValue: -6)

        /// libsrtp's names, indexed by `srtp_err_status_t` value.
        private static let libSRTPNames: [StaticString] = [
            "srtp_err_status_ok",
            "srtp_err_status_fail",
            "srtp_err_status_bad_param",
            "srtp_err_status_alloc_fail",
            "srtp_err_status_dealloc_fail",
            "srtp_err_status_init_fail",
            "srtp_err_status_terminus",
            "srtp_err_status_auth_fail",
            "srtp_err_status_cipher_fail",
            "srtp_err_status_replay_fail",
            "srtp_err_status_replay_old",
            "srtp_err_status_algo_fail",
            "srtp_err_status_no_such_op",
            "srtp_err_status_no_ctx",
            "srtp_err_status_cant_check",
            "srtp_err_status_key_expired",
            "srtp_err_status_socket_err",
            "srtp_err_status_signal_err",
            "srtp_err_status_nonce_bad",
            "srtp_err_status_read_fail",
            "srtp_err_status_write_fail",
            "srtp_err_status_parse_err",
            "srtp_err_status_encode_err",
            "srtp_err_status_semaphore_err",
            "srtp_err_status_pfkey_err",
            "srtp_err_status_bad_mki",
            "srtp_err_status_pkt_idx_old",
            "srtp_err_status_pkt_idx_adv",
        ]

        /// Parley's names, indexed by `-rawValue - 1`.
        private static let parleyNames: [StaticString] = [
            "parley_insufficient_capacity",
            "parley_invalid_length",
            "parley_wrong_direction",
            "parley_invalid_keying_material",
            "parley_invalid_replay_window",
            "parley_stream_exists",
        ]

        /// The code's name, such as `"srtp_err_status_auth_fail"`; unknown values give
        /// `"srtp_err_status_unknown"` or `"parley_unknown"`.
        public var name: StaticString {
            if self.rawValue >= 0 {
                let index = Int(self.rawValue)
                return index < Self.libSRTPNames.count ? Self.libSRTPNames[index] : "srtp_err_status_unknown"
            }
            // Computed in Int, so Int32.min cannot overflow.
            let index = -Int(self.rawValue) - 1
            return index < Self.parleyNames.count ? Self.parleyNames[index] : "parley_unknown"
        }

        /// The name and the raw value, such as `srtp_err_status_replay_fail (9)`.
        public var description: String {
            "\(self.name) (\(self.rawValue))"
        }
    }

    /// What failed.
    public let code: Code
    /// What Parley was doing, such as `"srtp_unprotect"`.
    public let operation: StaticString
    /// The source file that raised the error.
    public let file: StaticString
    /// The source line that raised the error.
    public let line: UInt

    /// Makes an error for `operation`.
    public init(_ code: Code, operation: StaticString, file: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.operation = operation
        self.file = file
        self.line = line
    }

    /// `srtp_unprotect failed: srtp_err_status_auth_fail (7)`.
    public var description: String {
        "\(self.operation) failed: \(self.code)"
    }

    /// Whether two errors have the same ``code`` (the operation, file and line are for logs).
    public static func == (lhs: SRTPError, rhs: SRTPError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the ``code`` only, as ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}

extension SRTPError {
    /// Wraps a libsrtp status (not `srtp_err_status_ok`).
    init(status: srtp_err_status_t, operation: StaticString, file: StaticString = #fileID, line: UInt = #line) {
        self.init(Code(rawValue: Int32(bitPattern: status.rawValue)), operation: operation, file: file, line: line)
    }
}
