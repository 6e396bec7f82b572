internal import CSRTP

/// One libsrtp session (`srtp_t`) for one direction of one transport: owns it and frees it in
/// `deinit`.
///
/// A WebRTC transport needs two: an ``Direction/inbound`` session keyed with the peer's write key
/// (it only unprotects) and an ``Direction/outbound`` session keyed with ours (it only protects).
/// A session refuses the other direction's operations (``SRTPError/Code/wrongDirection``): one key
/// used both ways would encrypt two streams with the same keystream if their SSRCs met.
///
/// Packets are protected and unprotected in place, in the caller's buffer; Parley's code allocates
/// nothing per packet (Debian's NSS-based libsrtp itself allocates about five times per call).
/// A session is not thread-safe: it belongs to the relay worker that owns the transport.
///
/// ## Which SSRCs a session accepts
///
/// - ``StreamSelection/anySSRC`` (libsrtp's wildcard `ssrc_any_inbound` / `ssrc_any_outbound`):
///   a stream, with its own replay window and rollover counter, is created on the first packet of
///   each new SSRC (inbound: only once that packet authenticates). Outbound, this is what libsrtp
///   recommends for a sender, and what the relay uses: it chooses the SSRCs it sends. Inbound, it
///   is what the relay uses for a publisher whose SSRCs are only partly known in advance (SDP may
///   omit `a=ssrc`, and RTX/FEC or simulcast SSRCs may appear later).
/// - ``StreamSelection/specificSSRCs``: only SSRCs added with ``addStream(ssrc:)`` are accepted;
///   others fail with ``SRTPError/Code/noCtx`` before any cryptography, which is cheap to refuse
///   and bounds the number of streams (each costs libsrtp an allocation and a replay window).
///   Use it when the SSRCs are known from signalling.
///
/// Either way, authentication proves only that a packet was made with the participant's key, not
/// that its SSRC is one the participant negotiated: a participant could send under another
/// participant's SSRC. The relay must still check every unprotected packet's SSRC against the
/// ones negotiated for that participant before routing it (SECURITY.md, "hijack").
public final class SRTPSession {
    /// Which way packets go through a session.
    public enum Direction: Sendable, Hashable {
        /// Received from the peer: the session unprotects (``unprotectRTP(_:length:)``,
        /// ``unprotectRTCP(_:length:)``), keyed with the peer's write key.
        case inbound
        /// Sent to the peer: the session protects (``protectRTP(_:length:)``,
        /// ``protectRTCP(_:length:)``), keyed with our write key.
        case outbound
    }

    /// Which SSRCs a session accepts (see the type's documentation).
    public enum StreamSelection: Sendable, Hashable {
        /// Any SSRC: libsrtp's wildcard policy for the session's direction.
        case anySSRC
        /// Only the SSRCs added with ``SRTPSession/addStream(ssrc:)``.
        case specificSSRCs
    }

    /// The replay window libsrtp uses unless told otherwise by Parley: 1024 packets.
    public static let defaultReplayWindow = 1024

    /// The replay window sizes libsrtp 2.5 accepts (`window_size` 64 to 0x7FFF; it refuses 0x8000).
    public static let replayWindowRange: ClosedRange<Int> = 64...0x7FFF

    /// The longest packet a session takes: larger than any UDP payload.
    public static let maximumPacketLength = 65_535

    /// The direction the session was created for.
    public let direction: Direction
    /// The profile of the session's keying material.
    public let profile: SRTPProfile
    /// Which SSRCs the session accepts.
    public let streamSelection: StreamSelection
    /// The RTP replay window, in packets (libsrtp rounds it up to a multiple of 32). SRTCP's
    /// window is libsrtp's fixed 128 packets.
    public let replayWindow: Int

    // Owned: created in init, freed by srtp_dealloc in deinit, never shared outside this object.
    let context: OpaquePointer
    // master key || master salt, as libsrtp reads it; kept for addStream, wiped in deinit.
    private let key: UnsafeMutableBufferPointer<UInt8>

    // Written only by record(event:ssrc:), which libsrtp's event handler calls from inside this
    // session's own protect/unprotect calls, on this session's thread.
    private var pendingEvents = SRTPEvents()

    /// Every event libsrtp reported for this session since it was created.
    public private(set) var eventTotals = SRTPEvents()

    /// Whether libsrtp reported an event since the last ``takeEvents()``: a stored Bool, cheap to
    /// poll after each packet.
    public private(set) var hasPendingEvents = false

    /// Creates a session.
    ///
    /// - Parameters:
    ///   - direction: ``Direction/inbound`` to unprotect, ``Direction/outbound`` to protect.
    ///   - keyingMaterial: the master key and salt of the direction: the peer's write key inbound,
    ///     ours outbound. Its profile is the session's.
    ///   - replayWindow: the RTP replay window in packets, in ``replayWindowRange``.
    ///   - streams: ``StreamSelection/anySSRC``, or ``StreamSelection/specificSSRCs`` to accept only
    ///     SSRCs added later with ``addStream(ssrc:)``.
    /// - Throws: ``SRTPError``: ``SRTPError/Code/invalidReplayWindow`` for a window out of range;
    ///   libsrtp's status when libsrtp failed to initialise or to create the session.
    public init(
        direction: Direction,
        keyingMaterial: SRTPKeyingMaterial,
        replayWindow: Int = SRTPSession.defaultReplayWindow,
        streams: StreamSelection = .anySSRC
    ) throws(SRTPError) {
        try LibSRTP.requireInitialized(operation: "srtp_init")
        guard Self.replayWindowRange.contains(replayWindow) else {
            throw SRTPError(.invalidReplayWindow, operation: "srtp_create")
        }
        let profile = keyingMaterial.profile
        let keyLength = keyingMaterial.masterKey.count
        let key = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: keyLength + keyingMaterial.masterSalt.count)
        // Copied straight in, key then salt: no concatenated temporary array is left unwiped.
        _ = key.extracting(..<keyLength).initialize(fromContentsOf: keyingMaterial.masterKey)
        _ = key.extracting(keyLength...).initialize(fromContentsOf: keyingMaterial.masterSalt)

        var context: OpaquePointer?
        var status: srtp_err_status_t
        switch streams {
        case .anySSRC:
            let wildcard = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
            var policy = srtp_policy_t()
            status = Self.fillPolicy(
                &policy,
                profile: profile,
                ssrc: srtp_ssrc_t(type: wildcard, value: 0),
                key: key,
                replayWindow: replayWindow
            )
            if status == srtp_err_status_ok {
                status = srtp_create(&context, &policy)
            }
        case .specificSSRCs:
            // An empty session: streams come with addStream(ssrc:).
            status = srtp_create(&context, nil)
        }
        guard status == srtp_err_status_ok, let context else {
            CSRTP_cleanse(key.baseAddress, key.count)
            key.deallocate()
            throw SRTPError(
                status: status == srtp_err_status_ok ? srtp_err_status_alloc_fail : status,
                operation: "srtp_create"
            )
        }
        self.context = context
        self.key = key
        self.direction = direction
        self.profile = profile
        self.streamSelection = streams
        self.replayWindow = replayWindow
        // libsrtp hands this pointer back to the event handler (LibSRTP.eventHandler). Unretained:
        // the srtp_t does not outlive self, so it never points to a freed session.
        srtp_set_user_data(context, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        _ = srtp_dealloc(self.context)
        CSRTP_cleanse(self.key.baseAddress, self.key.count)
        self.key.deallocate()
    }

    /// Fills a one-stream policy for `profile`.
    private static func fillPolicy(
        _ policy: inout srtp_policy_t,
        profile: SRTPProfile,
        ssrc: srtp_ssrc_t,
        key: UnsafeMutableBufferPointer<UInt8>,
        replayWindow: Int
    ) -> srtp_err_status_t {
        // libsrtp's srtp_profile_t values are the DTLS-SRTP protection profile ids (RFC 5764), and
        // its RTCP policy for AES_CM_128_HMAC_SHA1_32 keeps the 80-bit tag, as RFC 5764 requires.
        let srtpProfile = srtp_profile_t(rawValue: srtp_profile_t.RawValue(profile.dtlsProtectionProfileID))
        var status = srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, srtpProfile)
        guard status == srtp_err_status_ok else { return status }
        status = srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, srtpProfile)
        guard status == srtp_err_status_ok else { return status }
        policy.ssrc = ssrc
        policy.key = key.baseAddress
        policy.keys = nil
        policy.num_master_keys = 0
        policy.deprecated_ekt = nil
        policy.window_size = UInt(replayWindow)
        // Never: a retransmission with the same index is a keystream reuse unless the payload is
        // identical, and the relay rewrites sequence numbers per subscriber anyway.
        policy.allow_repeat_tx = 0
        policy.enc_xtn_hdr = nil
        policy.enc_xtn_hdr_count = 0
        policy.next = nil
        return srtp_err_status_ok
    }

    /// Adds a stream for one SSRC, with its own replay window and rollover counter.
    ///
    /// Needed for every SSRC of a ``StreamSelection/specificSSRCs`` session; allowed in an
    /// ``StreamSelection/anySSRC`` session too (the stream then exists before its first packet).
    ///
    /// - Throws: ``SRTPError`` with ``SRTPError/Code/streamExists`` when the session already has a
    ///   stream for `ssrc` (libsrtp itself would add a second one, shadowing the first), or
    ///   libsrtp's status when it could not create the stream.
    public func addStream(ssrc: UInt32) throws(SRTPError) {
        guard self.rolloverCounter(ssrc: ssrc) == nil else {
            throw SRTPError(.streamExists, operation: "srtp_add_stream")
        }
        var policy = srtp_policy_t()
        var status = Self.fillPolicy(
            &policy,
            profile: self.profile,
            ssrc: srtp_ssrc_t(type: ssrc_specific, value: ssrc),
            key: self.key,
            replayWindow: self.replayWindow
        )
        if status == srtp_err_status_ok {
            status = srtp_add_stream(self.context, &policy)
        }
        guard status == srtp_err_status_ok else {
            throw SRTPError(status: status, operation: "srtp_add_stream")
        }
    }

    /// Removes the stream of one SSRC and its replay state.
    ///
    /// In an ``StreamSelection/anySSRC`` session a later packet with that SSRC creates a fresh
    /// stream with an empty replay window, so packets seen before the removal would be accepted
    /// again: remove streams from wildcard sessions only when the SSRC will not be used again.
    ///
    /// - Throws: ``SRTPError`` with ``SRTPError/Code/noCtx`` when the session has no stream for `ssrc`.
    public func removeStream(ssrc: UInt32) throws(SRTPError) {
        // srtp_remove_stream takes the SSRC in network byte order (unlike srtp_add_stream's policy).
        let status = srtp_remove_stream(self.context, ssrc.bigEndian)
        guard status == srtp_err_status_ok else {
            throw SRTPError(status: status, operation: "srtp_remove_stream")
        }
    }

    /// The rollover counter (the high 32 bits of the 48-bit packet index) of the stream for `ssrc`,
    /// or `nil` when the session has no such stream yet.
    public func rolloverCounter(ssrc: UInt32) -> UInt32? {
        var roc: UInt32 = 0
        // srtp_get_stream_roc takes the SSRC in host byte order.
        guard srtp_get_stream_roc(self.context, ssrc, &roc) == srtp_err_status_ok else {
            return nil
        }
        return roc
    }

    // MARK: - Events

    /// Returns the events reported since the last call, and clears them (and ``hasPendingEvents``).
    public func takeEvents() -> SRTPEvents {
        let events = self.pendingEvents
        self.pendingEvents = SRTPEvents()
        self.hasPendingEvents = false
        return events
    }

    /// Counts one libsrtp event; called by ``LibSRTP/eventHandler`` only.
    func record(event: srtp_event_t, ssrc: UInt32) {
        switch event {
        case event_ssrc_collision:
            self.pendingEvents.ssrcCollisions &+= 1
            self.eventTotals.ssrcCollisions &+= 1
        case event_key_soft_limit:
            self.pendingEvents.keySoftLimits &+= 1
            self.eventTotals.keySoftLimits &+= 1
        case event_key_hard_limit:
            self.pendingEvents.keyHardLimits &+= 1
            self.eventTotals.keyHardLimits &+= 1
        case event_packet_index_limit:
            self.pendingEvents.packetIndexLimits &+= 1
            self.eventTotals.packetIndexLimits &+= 1
        default:
            // An event this libsrtp version does not define: nothing to count it as.
            return
        }
        self.pendingEvents.lastSSRC = ssrc
        self.eventTotals.lastSSRC = ssrc
        self.hasPendingEvents = true
    }

    // MARK: - Packets

    /// The shape shared by srtp_protect, srtp_unprotect, srtp_protect_rtcp and srtp_unprotect_rtcp.
    typealias Transform =
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) ->
        srtp_err_status_t

    /// Runs one libsrtp transform in place, after Parley's checks.
    ///
    /// No allocation: the closure is non-escaping and `function` is a thin C function pointer.
    @inline(__always)
    func transform(
        _ packet: inout MutableSpan<UInt8>,
        length: Int,
        direction: Direction,
        minimumLength: Int,
        trailerLength: Int,
        operation: StaticString,
        function: Transform
    ) throws(SRTPError) -> Int {
        guard self.direction == direction else {
            throw SRTPError(.wrongDirection, operation: operation)
        }
        guard length >= minimumLength, length <= packet.count, length <= Self.maximumPacketLength else {
            throw SRTPError(.invalidLength, operation: operation)
        }
        // libsrtp writes the trailer after the packet without knowing the buffer's size: check here.
        guard packet.count - length >= trailerLength else {
            throw SRTPError(.insufficientCapacity, operation: operation)
        }
        let context = self.context
        // length <= 65 535, so it fits an Int32.
        var octets = Int32(length)
        let status = packet.withUnsafeMutableBufferPointer { buffer in
            // The buffer holds at least minimumLength (> 0) bytes, so it has a base address.
            guard let base = buffer.baseAddress else { return srtp_err_status_bad_param }
            return function(context, UnsafeMutableRawPointer(base), &octets)
        }
        guard status == srtp_err_status_ok else {
            throw SRTPError(status: status, operation: operation)
        }
        // libsrtp grows a packet by at most the trailer checked above and never below its header,
        // but a length from C is checked before Swift trusts it.
        guard octets >= 0, Int(octets) <= packet.count else {
            throw SRTPError(.invalidLength, operation: operation)
        }
        return Int(octets)
    }
}

@available(*, unavailable)
extension SRTPSession: Sendable {}
