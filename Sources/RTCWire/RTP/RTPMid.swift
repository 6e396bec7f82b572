/// The rules for the `sdes:mid` header extension (RFC 9143, which replaced RFC 8843): the value is
/// the media identification tag of the `m=` section the packet belongs to, an SDP token (printable
/// ASCII without spaces) of 1-255 bytes.
///
/// SDP name: ``RTPHeaderExtensionURI/mid``. The relay uses it to bind a new SSRC to a track.
public enum RTPMid {
    /// The longest MID value the two-byte form can carry.
    public static let maximumLength = 255

    /// Whether a byte may appear in a MID: printable ASCII other than space, as SDP tokens allow.
    @inlinable
    static func isTokenByte(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte)
    }

    /// Checks a MID value's bytes (`bytes.extracting(element.valueRange)`) without allocating.
    ///
    /// - Throws: ``WireError/Code/invalidLength`` if the value is empty or longer than 255 bytes;
    ///   ``WireError/Code/invalidValue`` if a byte is not printable ASCII.
    @inlinable
    public static func validate(_ value: Span<UInt8>) throws(WireError) {
        guard (1...Self.maximumLength).contains(value.count) else {
            throw WireError(.invalidLength, "RTP MID extension length", offset: value.count)
        }
        for index in 0..<value.count where !Self.isTokenByte(value[index]) {
            throw WireError(.invalidValue, "RTP MID extension byte", offset: index)
        }
    }

    /// Reads a MID value into a string (MIDs up to 15 bytes fit in a string without a heap
    /// allocation).
    ///
    /// - Throws: as ``validate(_:)``.
    @inlinable
    public static func string(parsing value: Span<UInt8>) throws(WireError) -> String {
        try Self.validate(value)
        // Validated as printable ASCII above, so each byte is one scalar; this keeps RTCWire free
        // of pointers (String(decoding:) would need a buffer pointer, Span is no Collection).
        var string = ""
        for index in value.indices {
            string.unicodeScalars.append(Unicode.Scalar(value[index]))
        }
        return string
    }

    /// Whether a string is a valid MID value (1-255 printable ASCII bytes).
    @inlinable
    public static func isValid(_ mid: String) -> Bool {
        var count = 0
        for byte in mid.utf8 {
            guard Self.isTokenByte(byte) else { return false }
            count &+= 1
        }
        return (1...Self.maximumLength).contains(count)
    }

    /// Whether a MID value's bytes equal a given string, compared without allocating.
    @inlinable
    public static func value(_ value: Span<UInt8>, equals mid: String) -> Bool {
        var index = 0
        for byte in mid.utf8 {
            guard index < value.count, value[index] == byte else { return false }
            index &+= 1
        }
        return index == value.count
    }
}
