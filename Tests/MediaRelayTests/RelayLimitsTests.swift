import MediaRelay
import Testing

@Suite("Relay limits")
struct RelayLimitsTests {
    @Test("the defaults are valid")
    func defaults() {
        #expect(RelayLimits().validate() == nil)
    }

    @Test("a limit that cannot work is named in the error")
    func invalid() {
        #expect(RelayLimits(maximumDatagramSize: 0).validate()?.contains("maximumDatagramSize") == true)
        #expect(RelayLimits(maximumDatagramSize: 70_000).validate()?.contains("65507") == true)
        #expect(RelayLimits(connectTimeoutSeconds: 0).validate()?.contains("connectTimeoutSeconds") == true)
        #expect(RelayLimits(consentTimeoutSeconds: 0).validate()?.contains("consentTimeoutSeconds") == true)
        #expect(RelayLimits(stunErrorsPerSecondPerAddress: -1).validate() != nil)
    }
}
