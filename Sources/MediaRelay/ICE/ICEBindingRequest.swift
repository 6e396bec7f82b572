public import RTCWire

/// An authenticated ICE Binding request, as ``ICELiteResponder`` reports it: which transport's
/// credentials it carried, where it came from and what it asked for.
///
/// Hand it to that transport's ``Transport/handleBindingRequest(_:now:)``: it binds the tuple,
/// switches on a nomination and refreshes consent.
public struct ICEBindingRequest: Hashable, Sendable {
    /// The transport whose local ufrag and password the request matched.
    public let transport: TransportID
    /// The address and port the request came from: now a validated tuple for this transport.
    public let source: RelayAddress
    /// Whether the controlling agent nominated this pair (USE-CANDIDATE, covered by
    /// MESSAGE-INTEGRITY; an attribute after it is ignored).
    public let useCandidate: Bool
    /// The PRIORITY the peer sent, if any.
    public let priority: UInt32?
    /// The request's transaction ID; a transport refuses to switch on a nomination whose ID it
    /// already saw (a replay from another address).
    public let transactionID: STUNTransactionID

    /// Describes an authenticated request (the responder makes these; tests may too).
    public init(
        transport: TransportID,
        source: RelayAddress,
        useCandidate: Bool,
        priority: UInt32?,
        transactionID: STUNTransactionID
    ) {
        self.transport = transport
        self.source = source
        self.useCandidate = useCandidate
        self.priority = priority
        self.transactionID = transactionID
    }
}
