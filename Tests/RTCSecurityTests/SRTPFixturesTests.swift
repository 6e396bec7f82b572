import RTCSecurity
import Testing

/// Deterministic packets and keys for the SRTP suites.
enum SRTPFixtures {
    /// Keying material for `profile` whose bytes start at `seed` and count up.
    static func keying(_ profile: SRTPProfile, seed: UInt8 = 1) throws -> SRTPKeyingMaterial {
        let key = (0..<profile.masterKeyLength).map { seed &+ UInt8($0) }
        let salt = (0..<profile.masterSaltLength).map { seed &+ 0x80 &+ UInt8($0) }
        return try SRTPKeyingMaterial(profile: profile, masterKey: key, masterSalt: salt)
    }

    /// An outbound and an inbound session with the same keying material.
    static func pair(
        _ profile: SRTPProfile,
        seed: UInt8 = 1,
        replayWindow: Int = SRTPSession.defaultReplayWindow
    ) throws -> (sender: SRTPSession, receiver: SRTPSession) {
        let keying = try self.keying(profile, seed: seed)
        let sender = try SRTPSession(direction: .outbound, keyingMaterial: keying, replayWindow: replayWindow)
        let receiver = try SRTPSession(direction: .inbound, keyingMaterial: keying, replayWindow: replayWindow)
        return (sender, receiver)
    }

    /// An RTP packet (no CSRC, no extension, payload type 111) of `length` bytes in total, with a
    /// payload that depends on the sequence number.
    static func rtp(ssrc: UInt32 = 0x1234_5678, sequence: UInt16, length: Int = 200) -> [UInt8] {
        var packet: [UInt8] = [
            0x80, 111, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
            0x00, 0x01, 0x02, 0x03,
            UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF),
        ]
        for index in 12..<max(length, 12) {
            packet.append(UInt8(truncatingIfNeeded: index &* 7 &+ Int(sequence)))
        }
        return packet
    }

    /// A compound RTCP packet of `length` bytes (a multiple of 4, at least 40): a sender report
    /// without report blocks, then an APP packet filling the rest.
    static func rtcp(ssrc: UInt32 = 0x1234_5678, length: Int = 200) -> [UInt8] {
        let ssrcBytes: [UInt8] = [
            UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF),
        ]
        // SR: V=2, RC=0, PT=200, length 6 words after the first.
        var packet: [UInt8] = [0x80, 200, 0x00, 0x06] + ssrcBytes
        for index in 0..<20 {
            packet.append(UInt8(index))
        }
        // APP: V=2, subtype 0, PT=204, then SSRC, name, data.
        let appWords = (length - packet.count) / 4 - 1
        packet += [0x80, 204, UInt8(appWords >> 8), UInt8(appWords & 0xFF)] + ssrcBytes
        packet += Array("PRLY".utf8)
        while packet.count < length {
            packet.append(UInt8(truncatingIfNeeded: packet.count &* 13))
        }
        return packet
    }

    /// The error `body` throws, or `nil` if it returns.
    static func error<T>(_ body: () throws(SRTPError) -> T) -> SRTPError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }
}

@Suite("SRTP fixtures")
struct SRTPFixturesTests {
    @Test("RTP and RTCP fixtures have the requested lengths and headers")
    func fixtures() {
        let rtp = SRTPFixtures.rtp(sequence: 0x0102, length: 200)
        #expect(rtp.count == 200)
        #expect(Array(rtp[0..<4]) == [0x80, 111, 0x01, 0x02])
        let rtcp = SRTPFixtures.rtcp(length: 1200)
        #expect(rtcp.count == 1200)
        #expect(rtcp[1] == 200)
        // The APP packet's length field covers the rest exactly.
        let appLength = (Int(rtcp[30]) << 8 | Int(rtcp[31]) + 1) * 4
        #expect(28 + appLength == 1200)
    }
}
