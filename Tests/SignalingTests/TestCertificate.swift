/// A test-only certificate and keys for the TLS tests (also in ParleyServerTests).
enum TestCertificate {
    /// A self-signed P-256 certificate for `localhost` and 127.0.0.1, valid from 2026-11-29 for
    /// 100 years. Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
    /// -nodes -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`
    /// (openssl's defaults make it its own CA, which BoringSSL needs to accept it as a trust root:
    /// a self-signed leaf without keyCertSign fails verification). Test-only: its private key is
    /// public, right here.
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBnDCCAUGgAwIBAgIUKbg5D5BmDfcDjgUdu6bXbE5gowYwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyOTA4NTg0M1oYDzIxMjYxMTA1
        MDg1ODQzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARqM27Qmuiifz/uu4+danuz/GrYEmdgL1/DY1Hwp4oOFJKiErCiTWnu
        jbO3ieVEl48QYUSuuiqCHUdEhDdk8gf3o28wbTAdBgNVHQ4EFgQUXAFExH+bh9Vl
        gcVvXxIk8Gv9soIwHwYDVR0jBBgwFoAUXAFExH+bh9VlgcVvXxIk8Gv9soIwDwYD
        VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
        zj0EAwIDSQAwRgIhANXua5Mt1PpCdqtSv8F0+UqdBfltd7w6npMKlidXP2CPAiEA
        hzJ/XmPqXFnNMNajgC/TsUJRdFoX8LjwTm0Ep4e6rG4=
        -----END CERTIFICATE-----
        """

    /// The private key of ``certificate`` (PKCS#8 PEM).
    static let key = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYSUXLduj6XYXaxSX
        Nef4MQAXMRc8dLU5Rzw5+cSj2S2hRANCAARqM27Qmuiifz/uu4+danuz/GrYEmdg
        L1/DY1Hwp4oOFJKiErCiTWnujbO3ieVEl48QYUSuuiqCHUdEhDdk8gf3
        -----END PRIVATE KEY-----
        """

    /// Another P-256 key: not the key of ``certificate``.
    static let otherKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOG9KsXwas3COu4l+
        eIydJRRef6fKwNLTlg+z7z6aMEqhRANCAARSQ3GhodLdQGuQjNv4SB6Uaw7i1r3L
        lxGpm1rojr9BD8iETZ7QbFLYORwkGUxEkFeKqhIE5KS69heH0SIzBFFB
        -----END PRIVATE KEY-----
        """
}
