/// The sequence numbers of one subscriber's RTX stream: contiguous, one per retransmission
/// forwarded, starting from the first retransmission's own number.
///
/// RFC 4588 gives the RTX stream its own sequence space, which receivers use only to order RTX
/// packets (losses in it are not NACKed), so a counter is all a subscriber needs, whichever
/// publisher or restart the retransmissions come from.
struct RTXSequencer: Hashable, Sendable {
    private var next: UInt16?

    /// The number for the next retransmission; the first call returns `initial`.
    mutating func take(initial: UInt16) -> UInt16 {
        let value = self.next ?? initial
        self.next = value &+ 1
        return value
    }
}
