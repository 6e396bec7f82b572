import RTCWire

/// libFuzzer entry point: RTCP compound parsing, under both padding rules.
///
/// Properties checked (a violation traps, which libFuzzer reports as a crash):
/// parsing never traps; whatever parses serialises, and parses back to the same value. The one
/// exception is by design: `.anyPacket` accepts padding where RFC 3550 forbids it (libwebrtc pads
/// transport-cc anywhere), and the writer, which only writes what RFC 3550 allows, may refuse
/// such a compound with `invalidPadding`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTCP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The only pointer in this target: libFuzzer's input, copied at once into an array.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for rule in [RTCPCompound.PaddingRule.lastPacketOnly, .anyPacket] {
        guard let compound = try? RTCPCompound(parsing: bytes.span, padding: rule) else {
            continue
        }
        let written: [UInt8]
        do {
            written = try compound.serialized()
        } catch {
            if rule == .anyPacket && error.code == .invalidPadding {
                continue
            }
            fatalError("a parsed RTCP compound failed to serialise: \(error)")
        }
        guard let again = try? RTCPCompound(parsing: written.span, padding: .anyPacket), again == compound else {
            fatalError("RTCP round trip changed the compound")
        }
    }
    return 0
}
