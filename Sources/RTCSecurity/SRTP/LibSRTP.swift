internal import CSRTP

/// The process-wide libsrtp2 library: initialised once, on first use.
///
/// libsrtp must be initialised exactly once per process: a second `srtp_init()` breaks AES-GCM
/// session creation on Debian's NSS build. Every type in RTCSecurity that creates an SRTP context
/// calls ``ensureInitialized()`` first; Swift runs a global's initialiser exactly once, thread-safely.
public enum LibSRTP {
    /// libsrtp's own version string, for example `"libsrtp2 2.5.0"`.
    public static var version: String {
        String(cString: srtp_get_version_string())
    }

    /// The status of the one `srtp_init()` call this process makes.
    private static let initStatus: srtp_err_status_t = srtp_init()

    /// Initialises libsrtp if this process has not yet done so.
    ///
    /// - Returns: `true` if libsrtp is ready; `false` if its initialisation failed, in which case
    ///   no SRTP session can be created and ``SRTPError`` says why at session creation.
    @discardableResult
    public static func ensureInitialized() -> Bool {
        self.initStatus == srtp_err_status_ok
    }
}
