internal import COpenSSL

/// The entries of OpenSSL's thread-local error queue at the moment a call failed, oldest first.
///
/// OpenSSL reports why a call failed by pushing entries onto a per-thread queue. RTCSecurity drains
/// that queue into an `OpenSSLErrorStack` right after a failing call, so the text travels with the
/// Swift error (``DTLSError/openSSLErrors``) and the queue is empty for the next call on the thread.
public struct OpenSSLErrorStack: Sendable, Hashable, CustomStringConvertible {
    /// One entry of the queue.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// OpenSSL's packed error code (`ERR_get_error_all`).
        public let code: UInt
        /// The library part of the code (`ERR_GET_LIB`), for example 20 for libssl.
        public let library: Int32
        /// The reason part of the code (`ERR_GET_REASON`).
        public let reason: Int32
        /// OpenSSL's text for the code (`ERR_error_string_n`), plus any data the library attached.
        public let message: String

        /// OpenSSL's text, such as `error:0A000086:SSL routines::certificate verify failed`.
        public var description: String {
            self.message
        }
    }

    /// The entries, oldest first. Empty when OpenSSL pushed nothing.
    public let entries: [Entry]

    /// An empty stack, for errors that did not come from OpenSSL.
    public static let empty = OpenSSLErrorStack(entries: [])

    /// Creates a stack from entries; RTCSecurity builds stacks with ``drain()``.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Whether the stack holds no entry.
    public var isEmpty: Bool {
        self.entries.isEmpty
    }

    /// The entries joined with `"; "`, or `"no OpenSSL error"`.
    public var description: String {
        guard !self.entries.isEmpty else { return "no OpenSSL error" }
        return self.entries.map(\.message).joined(separator: "; ")
    }

    /// Takes every entry off this thread's OpenSSL error queue, leaving it empty.
    ///
    /// Call it right after an OpenSSL call failed (and `ERR_clear_error()` before a call whose
    /// failure is judged with `SSL_get_error`, which reads the queue).
    static func drain() -> OpenSSLErrorStack {
        var entries: [Entry] = []
        // Bounded: the queue holds at most ERR_NUM_ERRORS (16) entries; the bound guards a library bug.
        for _ in 0..<64 {
            var data: UnsafePointer<CChar>? = nil
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var message = Self.text(for: code)
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 {
                message += " (" + String(cString: data) + ")"
            }
            entries.append(
                Entry(
                    code: UInt(code),
                    library: COpenSSL_ERR_GET_LIB(code),
                    reason: COpenSSL_ERR_GET_REASON(code),
                    message: message
                )
            )
        }
        return OpenSSLErrorStack(entries: entries)
    }

    /// Empties this thread's error queue without keeping anything.
    static func clear() {
        ERR_clear_error()
    }

    private static func text(for code: UInt) -> String {
        // ERR_error_string_n writes at most `count` bytes including the terminating NUL.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "OpenSSL error \(code)" }
            ERR_error_string_n(code, base, buffer.count)
            base[buffer.count - 1] = 0
            return String(cString: base)
        }
    }
}
