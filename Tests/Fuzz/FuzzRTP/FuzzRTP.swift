import RTCWire

/// libFuzzer entry point: RTP header parsing, header-extension walking and the packet builder.
///
/// Properties checked (a violation traps, which libFuzzer reports as a crash): parsing never
/// traps; every offset a parsed header reports lies inside the datagram; every extension element
/// lies inside the extension block; a parsed packet serialises, and parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The only pointer in this target: libFuzzer's input, copied at once into an array.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let span = bytes.span
    guard let header = try? RTPHeader(parsing: span) else {
        return 0
    }
    precondition(header.packetLength == bytes.count, "packet length disagrees with the datagram")
    precondition(header.payloadRange.upperBound <= bytes.count, "payload runs past the datagram")
    precondition(header.payloadOffset >= 12, "payload starts inside the fixed header")
    if let block = header.extensionBlock {
        precondition(block.dataRange.upperBound <= header.payloadOffset, "extension runs into the payload")
        var iterator = header.extensionElements
        var count = 0
        while let element = iterator.next(in: span) {
            precondition(block.dataRange.contains(element.range.lowerBound), "element outside its block")
            precondition(element.range.upperBound <= block.dataRange.upperBound, "element past its block")
            count += 1
            precondition(count <= block.length, "more elements than bytes")
        }
    }
    guard let packet = try? RTPPacket(parsing: span) else {
        fatalError("a header that parses must build a packet")
    }
    guard let written = try? packet.serialized() else {
        fatalError("a parsed RTP packet failed to serialise")
    }
    guard let again = try? RTPPacket(parsing: written.span), again == packet else {
        fatalError("RTP round trip changed the packet")
    }
    return 0
}
