/// An SRTP protection profile: the cipher, the tag, and the key and salt lengths of a session.
///
/// In WebRTC the profile is chosen in the DTLS handshake (`use_srtp`, RFC 5764): the DTLS server
/// (Parley, `a=setup:passive`) picks one the client offers, in ``preferenceOrder``: ``aeadAES128GCM``
/// first (on Debian's NSS-based libsrtp it costs about a third of ``aesCM128HMACSHA1_80`` per
/// packet). The same type names the profile on both sides: ``DTLSContext/Configuration/srtpProfiles``
/// and ``DTLSEndpoint/negotiatedProfile`` in DTLS, ``SRTPKeyingMaterial/profile`` in SRTP.
///
/// The lengths here are what a buffer must leave free after a packet for ``SRTPSession`` to
/// protect it in place: ``rtpTrailerLength`` for RTP, ``rtcpTrailerLength`` for RTCP.
public enum SRTPProfile: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `AEAD_AES_128_GCM` (RFC 7714): AES-128-GCM, 16-byte tag on RTP and RTCP.
    case aeadAES128GCM
    /// `AEAD_AES_256_GCM` (RFC 7714): AES-256-GCM, 16-byte tag on RTP and RTCP.
    case aeadAES256GCM
    /// `AES_CM_128_HMAC_SHA1_80` (RFC 3711, RFC 5764): AES-128 counter mode, 80-bit HMAC-SHA1 tag.
    case aesCM128HMACSHA1_80
    /// `AES_CM_128_HMAC_SHA1_32` (RFC 5764): as ``aesCM128HMACSHA1_80`` but with a 32-bit tag on
    /// RTP; SRTCP keeps the 80-bit tag (RFC 5764 section 4.1.2).
    case aesCM128HMACSHA1_32

    /// The order Parley offers (as a DTLS client) and prefers (as a DTLS server) in `use_srtp`:
    /// the AEAD profiles first (authenticated encryption, and cheaper per packet with Debian's
    /// libsrtp2), then the AES-CM profiles every WebRTC peer supports. The default of
    /// ``DTLSContext/Configuration/srtpProfiles``.
    public static let preferenceOrder: [SRTPProfile] = [
        .aeadAES128GCM, .aeadAES256GCM, .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32,
    ]

    /// The largest ``rtpTrailerLength`` of any profile: size buffers with this.
    public static let maximumRTPTrailerLength = 16

    /// The largest ``rtcpTrailerLength`` of any profile: size buffers with this.
    public static let maximumRTCPTrailerLength = 20

    /// The profile's name in RFC 5764 / RFC 7714, such as `"AEAD_AES_128_GCM"`.
    public var name: String {
        switch self {
        case .aeadAES128GCM: return "AEAD_AES_128_GCM"
        case .aeadAES256GCM: return "AEAD_AES_256_GCM"
        case .aesCM128HMACSHA1_80: return "AES_CM_128_HMAC_SHA1_80"
        case .aesCM128HMACSHA1_32: return "AES_CM_128_HMAC_SHA1_32"
        }
    }

    /// The same as ``name``.
    public var description: String {
        self.name
    }

    /// The DTLS-SRTP protection profile identifier (RFC 5764 section 4.1.2, RFC 7714 section 14.2),
    /// as carried in the `use_srtp` extension. Equal to libsrtp's `srtp_profile_t` value.
    public var dtlsProtectionProfileID: UInt16 {
        switch self {
        case .aesCM128HMACSHA1_80: return 0x0001
        case .aesCM128HMACSHA1_32: return 0x0002
        case .aeadAES128GCM: return 0x0007
        case .aeadAES256GCM: return 0x0008
        }
    }

    /// The profile's name in OpenSSL's `SSL_CTX_set_tlsext_use_srtp` list and
    /// `SSL_get_selected_srtp_profile`, such as `"SRTP_AEAD_AES_128_GCM"`.
    public var openSSLName: String {
        switch self {
        case .aesCM128HMACSHA1_80: return "SRTP_AES128_CM_SHA1_80"
        case .aesCM128HMACSHA1_32: return "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: return "SRTP_AEAD_AES_128_GCM"
        case .aeadAES256GCM: return "SRTP_AEAD_AES_256_GCM"
        }
    }

    /// The profile with this DTLS-SRTP protection profile identifier, or `nil` for one Parley
    /// does not support (such as the NULL-cipher profiles 0x0005 and 0x0006).
    public init?(dtlsProtectionProfileID: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.dtlsProtectionProfileID == dtlsProtectionProfileID }) else {
            return nil
        }
        self = profile
    }

    /// The profile with this OpenSSL name, or `nil` for a name Parley does not support.
    public init?(openSSLName: String) {
        guard let profile = Self.allCases.first(where: { $0.openSSLName == openSSLName }) else {
            return nil
        }
        self = profile
    }

    /// Length of the SRTP master key in bytes: 16, or 32 for ``aeadAES256GCM``.
    public var masterKeyLength: Int {
        switch self {
        case .aeadAES256GCM: return 32
        case .aeadAES128GCM, .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: return 16
        }
    }

    /// Length of the SRTP master salt in bytes: 12 for the AEAD profiles, 14 for AES-CM.
    public var masterSaltLength: Int {
        switch self {
        case .aeadAES128GCM, .aeadAES256GCM: return 12
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: return 14
        }
    }

    /// Length of the authentication tag appended to an SRTP (RTP) packet.
    public var rtpAuthTagLength: Int {
        switch self {
        case .aeadAES128GCM, .aeadAES256GCM: return 16
        case .aesCM128HMACSHA1_80: return 10
        case .aesCM128HMACSHA1_32: return 4
        }
    }

    /// Length of the authentication tag appended to an SRTCP packet. The 32-bit profile still uses
    /// an 80-bit tag for RTCP (RFC 5764 section 4.1.2; libsrtp's RTCP policy for it is SHA1_80).
    public var rtcpAuthTagLength: Int {
        switch self {
        case .aeadAES128GCM, .aeadAES256GCM: return 16
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: return 10
        }
    }

    /// Bytes that protecting an RTP packet adds (the tag; Parley uses no MKI).
    public var rtpTrailerLength: Int {
        self.rtpAuthTagLength
    }

    /// Bytes that protecting an RTCP packet adds: the 4-byte E flag and SRTCP index, then the tag.
    public var rtcpTrailerLength: Int {
        self.rtcpAuthTagLength + 4
    }

    /// Bytes of keying material this profile takes from the DTLS exporter (`EXTRACTOR-dtls_srtp`,
    /// RFC 5764 section 4.2): a key and a salt for each side.
    public var dtlsExportLength: Int {
        2 * (self.masterKeyLength + self.masterSaltLength)
    }
}
