internal import CSRTP

/// The process-wide libsrtp2 library: initialised once, on first use.
///
/// libsrtp must be initialised exactly once per process: a second `srtp_init()` breaks AES-GCM
/// session creation on Debian's NSS build. Every type in RTCSecurity that creates an SRTP context
/// calls ``ensureInitialized()`` first; Swift runs a global's initialiser exactly once, thread-safely.
/// The same initialiser installs Parley's libsrtp event handler, which routes each event to its
/// ``SRTPSession`` (see ``SRTPEvents``).
public enum LibSRTP {
    /// libsrtp's own version string, for example `"libsrtp2 2.5.0"`.
    public static var version: String {
        String(cString: srtp_get_version_string())
    }

    /// The status of the one `srtp_init()` call this process makes.
    private static let initStatus: srtp_err_status_t = {
        let status = srtp_init()
        if status == srtp_err_status_ok {
            // The handler is process-global: libsrtp has one for all sessions. Installed here, once,
            // so that it is in place before the first session exists.
            _ = srtp_install_event_handler(Self.eventHandler)
        }
        return status
    }()

    /// libsrtp's event handler: finds the session by the user data every ``SRTPSession`` stores in
    /// its `srtp_t`, and lets it count the event. Runs on the thread that called protect or
    /// unprotect, inside that call, so it touches only that session's state.
    static let eventHandler: @convention(c) (UnsafeMutablePointer<srtp_event_data_t>?) -> Void = { data in
        guard let data, let context = data.pointee.session, let owner = srtp_get_user_data(context) else {
            // A session created outside Parley has no user data: nothing to route to.
            return
        }
        // The pointer is the unretained session: valid, since the session is inside one of its own
        // methods (libsrtp raises events only from protect/unprotect) and frees the srtp_t in deinit.
        let session = Unmanaged<SRTPSession>.fromOpaque(owner).takeUnretainedValue()
        session.record(event: data.pointee.event, ssrc: data.pointee.ssrc)
    }

    /// Initialises libsrtp if this process has not yet done so.
    ///
    /// - Returns: `true` if libsrtp is ready; `false` if its initialisation failed, in which case
    ///   no SRTP session can be created and ``SRTPError`` says why at session creation.
    @discardableResult
    public static func ensureInitialized() -> Bool {
        self.initStatus == srtp_err_status_ok
    }

    /// Initialises libsrtp if needed and throws its status if that failed.
    static func requireInitialized(operation: StaticString) throws(SRTPError) {
        let status = self.initStatus
        guard status == srtp_err_status_ok else {
            throw SRTPError(status: status, operation: operation)
        }
    }
}
