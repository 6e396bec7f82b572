internal import CRelaySocket

/// Where each array of a batch lives inside its single allocation: a batch makes one allocation
/// when it is created and none afterwards.
struct BatchLayout {
    /// The most datagrams one batch holds: what one recvmmsg/sendmmsg call of the C layer takes.
    static let maximumSlotCount = Int(CRELAY_MAX_BATCH)
    /// Cache-line alignment for every region (and so for every slot when the slot size is a
    /// multiple of it).
    static let alignment = 64

    /// Total bytes of the allocation.
    let byteCount: Int
    /// Offset of `slotCount` `crelay_message` records.
    let messages: Int
    /// Offset of `slotCount` ``RelayAddress`` values.
    let addresses: Int
    /// Offset of `slotCount` `Int32` values (slot order, or the descriptor per slot).
    let integers: Int
    /// Offset of a second `slotCount` `crelay_message` array (scratch for multi-socket sends).
    let scratch: Int
    /// Offset of the first slot's bytes.
    let slots: Int

    init(slotCount: Int, slotSize: Int, withScratch: Bool) {
        func aligned(_ value: Int) -> Int {
            (value + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        var offset = 0
        self.messages = offset
        offset = aligned(offset + slotCount * MemoryLayout<crelay_message>.stride)
        self.addresses = offset
        offset = aligned(offset + slotCount * MemoryLayout<RelayAddress>.stride)
        self.integers = offset
        offset = aligned(offset + slotCount * MemoryLayout<Int32>.stride)
        self.scratch = offset
        if withScratch {
            offset = aligned(offset + slotCount * MemoryLayout<crelay_message>.stride)
        }
        self.slots = offset
        self.byteCount = offset + slotCount * slotSize
    }
}
