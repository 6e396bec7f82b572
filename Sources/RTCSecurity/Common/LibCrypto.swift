internal import COpenSSL

/// The OpenSSL library RTCSecurity is linked against.
public enum LibCrypto {
    /// OpenSSL's version text, for example `"OpenSSL 3.0.19 27 Jan 2026"`.
    public static var version: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }

    /// OpenSSL's version number as `major.minor.patch`.
    public static var versionNumber: (major: Int, minor: Int, patch: Int) {
        (Int(OPENSSL_version_major()), Int(OPENSSL_version_minor()), Int(OPENSSL_version_patch()))
    }
}
