import RTCSecurity
import Testing

@Suite("C libraries link and run")
struct LibraryTests {
    @Test("libsrtp2 reports its version and initialises once")
    func libsrtpVersion() {
        #expect(LibSRTP.version.hasPrefix("libsrtp2"))
        #expect(LibSRTP.ensureInitialized())
        #expect(LibSRTP.ensureInitialized())
    }

    @Test("OpenSSL 3 is linked")
    func opensslVersion() {
        #expect(LibCrypto.version.hasPrefix("OpenSSL 3"))
        #expect(LibCrypto.versionNumber.major == 3)
    }
}
