/// Walks the elements of an RFC 8285 header extension block, one element per call, without
/// allocating.
///
/// Get one from ``RTPHeader/extensionElements`` or ``RTPHeaderExtensionBlock/elements``, then call
/// ``next(in:)`` with the same packet bytes the header was parsed from until it returns `nil`:
///
/// ```swift
/// var elements = header.extensionElements
/// while let element = elements.next(in: bytes) {
///     // element.id, element.valueRange
/// }
/// ```
///
/// Padding bytes (zeros) are skipped, and in the one-byte form an element with id 15 ends the walk
/// (RFC 8285 section 4.2). The block was validated when the header was parsed; if `next(in:)` is
/// given other bytes, it re-checks every offset and ends the walk instead of reading out of bounds.
/// An opaque (non-RFC 8285) block, or a packet without an extension, yields no elements.
///
/// Because it holds only offsets, the iterator may be advanced while the packet is rewritten in
/// place through a `MutableSpan` (pass `mutableBytes.span` to each call): the rewrites in
/// `RTPHeaderExtensionElement+Rewrite.swift` never move elements.
public struct RTPHeaderExtensionIterator: Hashable, Sendable {
    /// 1 (one-byte form), 2 (two-byte form) or 0 (nothing to walk).
    @usableFromInline
    let headerLength: Int

    /// The offset of the next byte to read.
    @usableFromInline
    var position: Int

    /// The offset where the walk stops: the end of the block's data.
    @usableFromInline
    let end: Int

    /// An iterator over the data of a block in the given form.
    @inlinable
    init(form: RTPHeaderExtensionForm, dataRange: Range<Int>) {
        self.headerLength = form.elementHeaderLength
        self.position = dataRange.lowerBound
        self.end = dataRange.upperBound
    }

    /// An iterator that yields nothing.
    @inlinable
    static var empty: RTPHeaderExtensionIterator {
        RTPHeaderExtensionIterator(form: .opaque, dataRange: 0..<0)
    }

    /// Returns the next element, or `nil` at the end of the block.
    ///
    /// - Parameter bytes: the packet the header was parsed from (offsets are packet offsets).
    @inlinable
    public mutating func next(in bytes: Span<UInt8>) -> RTPHeaderExtensionElement? {
        // Each turn consumes at least one byte, so the loop ends within the block's length.
        while self.position < self.end {
            switch Self.step(bytes, at: self.position, end: self.end, headerLength: self.headerLength) {
            case .padding:
                self.position &+= 1
            case .element(let element):
                self.position = element.valueOffset &+ element.valueLength
                return element
            case .stop, .malformed:
                self.position = self.end
                return nil
            }
        }
        return nil
    }

    /// What the bytes at one position of a block's data hold.
    @usableFromInline
    enum Step {
        /// A zero byte: skip it.
        case padding
        /// An element that fits in the block and in `bytes`.
        case element(RTPHeaderExtensionElement)
        /// One-byte form id 15, or nothing to walk: ignore the rest of the block.
        case stop
        /// An element that runs past the block, or a one-byte header with id 0 and a non-zero
        /// length (neither padding nor an element).
        case malformed
    }

    /// Reads the element header at `position`; shared by the iterator and the parse-time
    /// validation so both agree on what a block holds.
    @inlinable
    static func step(_ bytes: Span<UInt8>, at position: Int, end: Int, headerLength: Int) -> Step {
        // `end` never exceeds `bytes.count` for the span the header was parsed from; checking it
        // again keeps a mismatched span from trapping.
        let limit = min(end, bytes.count)
        guard position >= 0, position < limit else { return .malformed }
        let first = bytes[position]
        if first == 0 {
            return .padding
        }
        switch headerLength {
        case 1:
            let id = first &>> 4
            if id == 15 {
                // RFC 8285 section 4.2: id 15 ends processing; its length field is ignored.
                return .stop
            }
            if id == 0 {
                // A byte 0x01-0x0F is not a padding byte and 0 is not a valid id.
                return .malformed
            }
            let valueLength = Int(first & 0x0F) &+ 1
            guard valueLength <= limit &- position &- 1 else { return .malformed }
            return .element(
                RTPHeaderExtensionElement(id: id, offset: position, headerLength: 1, valueLength: valueLength)
            )
        case 2:
            guard limit &- position >= 2 else { return .malformed }
            let valueLength = Int(bytes[position &+ 1])
            guard valueLength <= limit &- position &- 2 else { return .malformed }
            return .element(
                RTPHeaderExtensionElement(id: first, offset: position, headerLength: 2, valueLength: valueLength)
            )
        default:
            return .stop
        }
    }
}
