import RTCSecurity
import RTCWire

/// The authenticator is created once: libFuzzer calls the entry point millions of times.
nonisolated(unsafe) private let authenticator = try! STUNAuthenticator()

/// libFuzzer entry point: STUN parsing and MESSAGE-INTEGRITY verification, as the relay runs them
/// on every STUN datagram from any source.
///
/// Properties checked (a violation traps, which libFuzzer reports as a crash): parsing never
/// traps; every range the parser reports lies inside the datagram; the integrity layout covers
/// only bytes before the tag; verifying with a password never traps, and never succeeds for a
/// message that has no MESSAGE-INTEGRITY.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUN(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The only pointer in this target: libFuzzer's input, copied at once into an array.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let span = bytes.span
    guard let message = try? STUNMessage(parsing: span, fingerprint: .verifyIfPresent) else {
        return 0
    }
    precondition(message.byteCount == bytes.count, "message length disagrees with the datagram")
    for range in [message.usernameRange, message.softwareRange, message.errorReasonRange] {
        if let range {
            precondition(range.lowerBound >= 20 && range.upperBound <= bytes.count, "text range outside the message")
        }
    }
    _ = message.username(in: span)
    _ = message.usernameFragments(in: span)
    if let layout = message.messageIntegrity {
        precondition(layout.coveredRange.upperBound <= layout.tagRange.lowerBound, "MI covers its own tag")
        precondition(layout.tagRange.upperBound <= bytes.count, "MI tag outside the message")
    }
    let authentic = authenticator.isAuthentic(message, in: span, password: "VOkJxbRl1RmTxUk/WvJxBt")
    precondition(!authentic || message.messageIntegrity != nil, "verified a message without MESSAGE-INTEGRITY")
    return 0
}
