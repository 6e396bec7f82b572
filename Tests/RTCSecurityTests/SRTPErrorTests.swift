import RTCSecurity
import Testing

@Suite("SRTP errors")
struct SRTPErrorTests {
    /// libsrtp 2.5's srtp_err_status_t, as srtp.h lists it.
    static let libSRTPNames = [
        "ok", "fail", "bad_param", "alloc_fail", "dealloc_fail", "init_fail", "terminus", "auth_fail",
        "cipher_fail", "replay_fail", "replay_old", "algo_fail", "no_such_op", "no_ctx", "cant_check",
        "key_expired", "socket_err", "signal_err", "nonce_bad", "read_fail", "write_fail", "parse_err",
        "encode_err", "semaphore_err", "pfkey_err", "bad_mki", "pkt_idx_old", "pkt_idx_adv",
    ]

    @Test("Every libsrtp status code has its srtp.h name")
    func everyStatusHasAName() {
        for (value, name) in Self.libSRTPNames.enumerated() {
            let code = SRTPError.Code(rawValue: Int32(value))
            #expect(code.isLibSRTPStatus)
            #expect("\(code.name)" == "srtp_err_status_\(name)")
            #expect(code.description == "srtp_err_status_\(name) (\(value))")
        }
        #expect(SRTPError.Code(rawValue: 28).description == "srtp_err_status_unknown (28)")
    }

    @Test("The named constants carry libsrtp's values")
    func constants() {
        let pairs: [(SRTPError.Code, Int32)] = [
            (.ok, 0), (.fail, 1), (.badParam, 2), (.allocFail, 3), (.deallocFail, 4), (.initFail, 5),
            (.terminus, 6), (.authFail, 7), (.cipherFail, 8), (.replayFail, 9), (.replayOld, 10),
            (.algoFail, 11), (.noSuchOp, 12), (.noCtx, 13), (.cantCheck, 14), (.keyExpired, 15),
            (.socketErr, 16), (.signalErr, 17), (.nonceBad, 18), (.readFail, 19), (.writeFail, 20),
            (.parseErr, 21), (.encodeErr, 22), (.semaphoreErr, 23), (.pfkeyErr, 24), (.badMKI, 25),
            (.packetIndexOld, 26), (.packetIndexAdvanced, 27),
        ]
        #expect(pairs.count == Self.libSRTPNames.count)
        for (code, value) in pairs {
            #expect(code.rawValue == value)
        }
    }

    @Test("Parley's own codes are negative, named and distinct")
    func parleyCodes() {
        let codes: [SRTPError.Code] = [
            .insufficientCapacity, .invalidLength, .wrongDirection, .invalidKeyingMaterial, .invalidReplayWindow,
            .streamExists,
        ]
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(!code.isLibSRTPStatus)
            #expect("\(code.name)".hasPrefix("parley_"))
            #expect("\(code.name)" != "parley_unknown")
        }
        #expect(SRTPError.Code.insufficientCapacity.description == "parley_insufficient_capacity (-1)")
        #expect(SRTPError.Code(rawValue: -100).description == "parley_unknown (-100)")
        #expect(SRTPError.Code(rawValue: .min).description == "parley_unknown (-2147483648)")
    }

    @Test("Errors are equal by code, and describe the operation")
    func equality() {
        let a = SRTPError(.replayFail, operation: "srtp_unprotect")
        let b = SRTPError(.replayFail, operation: "srtp_unprotect_rtcp")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != SRTPError(.replayOld, operation: "srtp_unprotect"))
        #expect(a.description == "srtp_unprotect failed: srtp_err_status_replay_fail (9)")
    }
}
