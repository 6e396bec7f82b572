/// A local ufrag held inline (up to 32 bytes in four words, plus its length), so the responder can
/// look up the USERNAME of a received request straight from the datagram's bytes: no `String`, no
/// allocation, and an exact match (a prefix such as `abc` never finds `abcd`, since the length is
/// part of the key).
struct ICEUfragKey: Hashable, Sendable {
    /// The most bytes a key holds.
    static let capacity = 32

    private var length: UInt8 = 0
    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    private var word3: UInt64 = 0

    /// The key for `range` of `bytes`, or `nil` if it is empty or longer than ``capacity`` (no
    /// such ufrag can have been added).
    init?(_ bytes: Span<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty, range.count <= Self.capacity, range.upperBound <= bytes.count else { return nil }
        self.length = UInt8(truncatingIfNeeded: range.count)
        var position = 0
        for index in range {
            self.set(byte: bytes[index], at: position)
            position &+= 1
        }
    }

    /// The key for a ufrag's UTF-8 bytes, or `nil` if empty or longer than ``capacity``.
    init?(_ ufrag: String) {
        let utf8 = ufrag.utf8
        guard !utf8.isEmpty, utf8.count <= Self.capacity else { return nil }
        self.length = UInt8(truncatingIfNeeded: utf8.count)
        for (position, byte) in utf8.enumerated() {
            self.set(byte: byte, at: position)
        }
    }

    private mutating func set(byte: UInt8, at position: Int) {
        // position < 32, so the word index is 0-3 and the shift 0-56.
        let shift = UInt64(truncatingIfNeeded: (position & 7) &* 8)
        let value = UInt64(byte) &<< shift
        switch position &>> 3 {
        case 0: self.word0 |= value
        case 1: self.word1 |= value
        case 2: self.word2 |= value
        default: self.word3 |= value
        }
    }
}
