import RTCWire

/// libFuzzer entry point: SDP parsing and writing, as signaling runs them on every offer.
///
/// Properties checked (a violation traps, which libFuzzer reports as a crash): parsing never
/// traps; whatever parses is written, parses back to the same value, and writes the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The only pointer in this target: libFuzzer's input, copied at once into an array.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let session = try? SessionDescription(parsing: bytes.span) else {
        return 0
    }
    let text = session.text
    guard let again = try? SessionDescription(parsing: text) else {
        fatalError("written SDP does not parse:\n\(text)")
    }
    precondition(again == session, "SDP parse -> write -> parse changed the session")
    precondition(again.text == text, "SDP write is not stable")
    return 0
}
