extension STUNMessageWriter {
    /// Appends a Binding success response: SOFTWARE (if given), then XOR-MAPPED-ADDRESS.
    ///
    /// Finish it with MESSAGE-INTEGRITY and FINGERPRINT (RTCSecurity's
    /// `STUNAuthenticator.appendIntegrityAndFingerprint`, or ``reserveMessageIntegrity(in:)``,
    /// signing, then ``appendFingerprint(to:)``). SOFTWARE comes first as in RFC 5769's samples.
    ///
    /// - Parameters:
    ///   - transactionID: the request's.
    ///   - mappedAddress: the source address and port the request came from.
    public static func bindingSuccessResponse(
        transactionID: STUNTransactionID,
        mappedAddress: STUNAddress,
        software: String? = nil,
        appendingTo bytes: inout [UInt8]
    ) throws(WireError) -> STUNMessageWriter {
        let writer = STUNMessageWriter(type: .bindingSuccessResponse, transactionID: transactionID, appendingTo: &bytes)
        if let software {
            try writer.appendSoftware(software, to: &bytes)
        }
        try writer.appendXORMappedAddress(mappedAddress, to: &bytes)
        return writer
    }

    /// Appends a Binding error response with ERROR-CODE (and SOFTWARE if given).
    ///
    /// A 400 or 401 goes to a sender that has not authenticated, so finish it with
    /// ``appendFingerprint(to:)`` only; a 487 Role Conflict answers an authenticated request and is
    /// signed like a success response.
    public static func bindingErrorResponse(
        transactionID: STUNTransactionID,
        errorCode: STUNErrorCode,
        reason: String? = nil,
        software: String? = nil,
        appendingTo bytes: inout [UInt8]
    ) throws(WireError) -> STUNMessageWriter {
        let writer = STUNMessageWriter(type: .bindingErrorResponse, transactionID: transactionID, appendingTo: &bytes)
        try writer.appendErrorCode(errorCode, reason: reason, to: &bytes)
        if let software {
            try writer.appendSoftware(software, to: &bytes)
        }
        return writer
    }

    /// Appends an ICE connectivity check (RFC 8445 section 7.1): a Binding request with USERNAME,
    /// PRIORITY, ICE-CONTROLLING or ICE-CONTROLLED, and USE-CANDIDATE if nominating.
    ///
    /// Finish it with MESSAGE-INTEGRITY (keyed with the remote agent's password) and FINGERPRINT.
    ///
    /// - Parameters:
    ///   - transactionID: a fresh ``STUNTransactionID/random()``.
    ///   - username: `"<remote ufrag>:<local ufrag>"`.
    /// - Throws: `tooLarge` if `username` is over 763 UTF-8 bytes.
    public static func bindingRequest(
        transactionID: STUNTransactionID,
        username: String,
        priority: UInt32,
        role: STUNICERole,
        useCandidate: Bool = false,
        appendingTo bytes: inout [UInt8]
    ) throws(WireError) -> STUNMessageWriter {
        let writer = STUNMessageWriter(type: .bindingRequest, transactionID: transactionID, appendingTo: &bytes)
        try writer.appendUsername(username, to: &bytes)
        try writer.appendPriority(priority, to: &bytes)
        try writer.appendICERole(role, to: &bytes)
        if useCandidate {
            try writer.appendUseCandidate(to: &bytes)
        }
        return writer
    }
}
