import Testing

@testable import RTCSecurity

@Suite("DTLS-SRTP end to end in memory")
struct DTLSSRTPChainTests {
    /// One side's SRTP sessions, made from its handshake result as the relay makes them.
    struct Sessions {
        let outbound: SRTPSession
        let inbound: SRTPSession

        init(_ keys: DTLSSRTPKeyingMaterial) throws {
            self.outbound = try SRTPSession(direction: .outbound, keyingMaterial: keys.local)
            self.inbound = try SRTPSession(direction: .inbound, keyingMaterial: keys.remote)
        }
    }

    /// Protects `packet` in place in a buffer with room for the trailer, as the relay does, and
    /// returns the protected bytes.
    static func protect(_ packet: [UInt8], with session: SRTPSession, rtcp: Bool) throws -> [UInt8] {
        let room = rtcp ? SRTPProfile.maximumRTCPTrailerLength : SRTPProfile.maximumRTPTrailerLength
        var buffer = packet + [UInt8](repeating: 0, count: room)
        var span = buffer.mutableSpan
        let length =
            rtcp
            ? try session.protectRTCP(&span, length: packet.count)
            : try session.protectRTP(&span, length: packet.count)
        return Array(buffer[0..<length])
    }

    /// Unprotects `packet` in place and returns the plain bytes.
    static func unprotect(_ packet: [UInt8], with session: SRTPSession, rtcp: Bool) throws -> [UInt8] {
        var buffer = packet
        var span = buffer.mutableSpan
        let length =
            rtcp
            ? try session.unprotectRTCP(&span, length: packet.count)
            : try session.unprotectRTP(&span, length: packet.count)
        return Array(buffer[0..<length])
    }

    @Test(
        "handshake, then RTP and RTCP protected by each side unprotect on the other, for each profile",
        arguments: SRTPProfile.allCases
    )
    func chain(profile: SRTPProfile) throws {
        // Both sides allow only `profile`, so the handshake can only negotiate it.
        let clientContext = try DTLSContext(
            identity: DTLSTestIdentities.client,
            configuration: .with(profiles: [profile])
        )
        let serverContext = try DTLSContext(
            identity: DTLSTestIdentities.server,
            configuration: .with(profiles: [profile])
        )
        let pair = try DTLSInMemoryPair(clientContext: clientContext, serverContext: serverContext)
        pair.run()
        let clientKeys = try #require(pair.clientKeys, "client did not complete: \(pair.clientEvents)")
        let serverKeys = try #require(pair.serverKeys, "server did not complete: \(pair.serverEvents)")
        #expect(clientKeys.profile == profile)
        #expect(serverKeys.profile == profile)
        #expect(pair.client.negotiatedProfile == profile)
        #expect(pair.server.negotiatedProfile == profile)

        let client = try Sessions(clientKeys)
        let server = try Sessions(serverKeys)
        for session in [client.outbound, client.inbound, server.outbound, server.inbound] {
            #expect(session.profile == profile)
        }

        let directions: [(name: String, from: Sessions, to: Sessions, ssrc: UInt32)] = [
            ("client to server", client, server, 0x1111_1111),
            ("server to client", server, client, 0x2222_2222),
        ]
        for (name, from, to, ssrc) in directions {
            for sequence: UInt16 in 1...3 {
                let rtp = SRTPFixtures.rtp(ssrc: ssrc, sequence: sequence, length: 200)
                let srtp = try Self.protect(rtp, with: from.outbound, rtcp: false)
                #expect(srtp.count == rtp.count + profile.rtpTrailerLength, "\(name)")
                #expect(Array(srtp[12..<rtp.count]) != Array(rtp[12...]), "\(name): the payload is encrypted")
                // The sender's own inbound session has the peer's key: the packet is not its to open.
                #expect(throws: SRTPError(.authFail, operation: "")) {
                    try Self.unprotect(srtp, with: from.inbound, rtcp: false)
                }
                #expect(try Self.unprotect(srtp, with: to.inbound, rtcp: false) == rtp, "\(name)")
            }
            for length in [40, 200] {
                let rtcp = SRTPFixtures.rtcp(ssrc: ssrc, length: length)
                let srtcp = try Self.protect(rtcp, with: from.outbound, rtcp: true)
                #expect(srtcp.count == rtcp.count + profile.rtcpTrailerLength, "\(name)")
                #expect(Array(srtcp[8..<rtcp.count]) != Array(rtcp[8...]), "\(name): the RTCP body is encrypted")
                #expect(throws: SRTPError(.authFail, operation: "")) {
                    try Self.unprotect(srtcp, with: from.inbound, rtcp: true)
                }
                #expect(try Self.unprotect(srtcp, with: to.inbound, rtcp: true) == rtcp, "\(name)")
            }
        }
    }
}
