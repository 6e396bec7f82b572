/// An SRTP protection profile negotiated by the DTLS `use_srtp` extension (RFC 5764, RFC 7714).
///
/// The profile decides the SRTP cipher and how many bytes of keying material DTLS exports:
/// `2 * (masterKeyLength + masterSaltLength)` (see ``DTLSSRTPKeyingMaterial``). The raw value is
/// the profile's IANA identifier as it travels in the extension.
public enum DTLSSRTPProfile: UInt16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (RFC 5764): AES-128 counter mode, 80-bit HMAC-SHA1 tag.
    case aes128CMHMACSHA1_80 = 0x0001
    /// `SRTP_AES128_CM_HMAC_SHA1_32` (RFC 5764): AES-128 counter mode, 32-bit HMAC-SHA1 tag.
    case aes128CMHMACSHA1_32 = 0x0002
    /// `SRTP_AEAD_AES_128_GCM` (RFC 7714): AES-128-GCM.
    case aeadAES128GCM = 0x0007
    /// `SRTP_AEAD_AES_256_GCM` (RFC 7714): AES-256-GCM.
    case aeadAES256GCM = 0x0008

    /// The order Parley offers and prefers: GCM first (cheaper per packet with Debian's libsrtp2,
    /// and authenticated encryption), then the AES-CM profiles every WebRTC peer supports.
    public static let preferenceOrder: [DTLSSRTPProfile] = [
        .aeadAES128GCM, .aeadAES256GCM, .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32,
    ]

    /// Looks a profile up by its IANA identifier; `nil` for profiles Parley does not support.
    public init?(identifier: UInt16) {
        self.init(rawValue: identifier)
    }

    /// The name OpenSSL uses in `SSL_CTX_set_tlsext_use_srtp` and `s_client -use_srtp`.
    public var openSSLName: String {
        switch self {
        case .aes128CMHMACSHA1_80: return "SRTP_AES128_CM_SHA1_80"
        case .aes128CMHMACSHA1_32: return "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: return "SRTP_AEAD_AES_128_GCM"
        case .aeadAES256GCM: return "SRTP_AEAD_AES_256_GCM"
        }
    }

    /// The SRTP master key length in bytes.
    public var masterKeyLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32, .aeadAES128GCM: return 16
        case .aeadAES256GCM: return 32
        }
    }

    /// The SRTP master salt length in bytes: 14 for AES-CM (RFC 3711), 12 for GCM (RFC 7714).
    public var masterSaltLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32: return 14
        case .aeadAES128GCM, .aeadAES256GCM: return 12
        }
    }

    /// How many bytes `EXTRACTOR-dtls_srtp` exports for this profile: both sides' key and salt.
    public var keyingMaterialLength: Int {
        2 * (self.masterKeyLength + self.masterSaltLength)
    }

    /// The OpenSSL name.
    public var description: String {
        self.openSSLName
    }
}
