/// Where a MESSAGE-INTEGRITY (or MESSAGE-INTEGRITY-SHA256) attribute sits in a buffer, and exactly
/// which bytes its HMAC covers (RFC 8489 sections 14.5 and 14.6).
///
/// The HMAC input is the message up to (not including) the integrity attribute, with the header's
/// length field replaced by ``lengthField``, the length the message would have if it ended right
/// after the integrity attribute. A verifier or signer feeds the HMAC three pieces, without copying
/// the message:
///
/// 1. the bytes in ``typeRange`` (the message type),
/// 2. ``lengthField`` as two big-endian bytes,
/// 3. the bytes in ``coveredRange`` (magic cookie, transaction ID and every attribute before this one,
///    padding included as received),
///
/// and compares with, or writes into, ``tagRange``. Every range indexes the buffer the layout came
/// from: the parsed datagram for ``STUNMessage/messageIntegrity`` (the message starts at 0), or the
/// writer's array for ``STUNMessageWriter/reserveMessageIntegrity(in:)``.
public struct STUNIntegrityLayout: Hashable, Sendable {
    /// Offset of the message's 20-byte header in the buffer.
    public let messageStart: Int
    /// Offset of the integrity attribute's 4-byte header (type and length) in the buffer.
    public let attributeOffset: Int
    /// The tag's length: 20 for MESSAGE-INTEGRITY, 16-32 (a multiple of 4) for
    /// MESSAGE-INTEGRITY-SHA256.
    public let tagLength: Int

    init(messageStart: Int, attributeOffset: Int, tagLength: Int) {
        self.messageStart = messageStart
        self.attributeOffset = attributeOffset
        self.tagLength = tagLength
    }

    /// The header length value the HMAC is computed with: the attributes up to and including this
    /// one. Fits in 16 bits because the parser and the writer only produce layouts inside messages
    /// whose length field does.
    public var lengthField: UInt16 {
        UInt16(truncatingIfNeeded: self.attributeOffset &- self.messageStart &- 20 &+ 4 &+ self.tagLength)
    }

    /// The header's two message-type bytes, the first piece of HMAC input.
    public var typeRange: Range<Int> {
        self.messageStart..<(self.messageStart &+ 2)
    }

    /// The header's length field, which the HMAC input replaces with ``lengthField``.
    public var lengthFieldRange: Range<Int> {
        (self.messageStart &+ 2)..<(self.messageStart &+ 4)
    }

    /// From the magic cookie to the integrity attribute's header (excluded): the third piece of HMAC
    /// input.
    public var coveredRange: Range<Int> {
        (self.messageStart &+ 4)..<self.attributeOffset
    }

    /// The tag: the integrity attribute's value.
    public var tagRange: Range<Int> {
        (self.attributeOffset &+ 4)..<(self.attributeOffset &+ 4 &+ self.tagLength)
    }
}
