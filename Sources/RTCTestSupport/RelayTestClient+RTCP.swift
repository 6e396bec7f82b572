import RTCSecurity

extension RelayTestClient {
    /// Encrypts a plain RTCP compound as this client sends it to the relay (for tests;
    /// allocates).
    ///
    /// - Throws: ``RelayCoreHarnessError`` before the handshake completed, ``SRTPError`` when
    ///   protection fails.
    public func protectRTCP(_ compound: [UInt8]) throws -> [UInt8] {
        guard let outbound = self.outbound else {
            throw RelayCoreHarnessError("client \(self.id) is not connected")
        }
        return try outbound.protectRTCP(compound)
    }

    /// Decrypts an SRTCP compound the relay sent to this client (for tests; allocates).
    ///
    /// - Throws: ``RelayCoreHarnessError`` before the handshake completed, ``SRTPError`` for a
    ///   compound that does not authenticate.
    public func unprotectRTCP(_ compound: [UInt8]) throws -> [UInt8] {
        guard let inbound = self.inbound else {
            throw RelayCoreHarnessError("client \(self.id) is not connected")
        }
        return try inbound.unprotectRTCP(compound)
    }
}
