import RTCWire

extension Conference {
    /// Checks a trickled ICE candidate (the protocol's `candidate` message) and accepts it.
    ///
    /// The relay is ICE-lite: it learns the client's address from authenticated STUN checks, so a
    /// candidate changes nothing; it is only checked, so a client with a bug hears about it.
    /// An empty candidate means end of candidates.
    ///
    /// - Parameters:
    ///   - participant: who sent it.
    ///   - candidate: `candidate:...` as `RTCIceCandidate.candidate` gives it, or "".
    ///   - mid: the `sdpMid`, which must name an m-line of the participant's last offer when given.
    /// - Throws: ``ConferenceError/Code/participantNotFound``, or
    ///   ``ConferenceError/Code/badRequest`` for a candidate that does not parse or an unknown mid.
    public func acceptCandidate(
        _ participant: ParticipantID,
        candidate: String,
        mid: String? = nil
    ) throws(ConferenceError) {
        guard let state = self.participantStates[participant] else {
            throw Self.participantNotFound(participant)
        }
        if let mid, let session = state.session, session.line(mid: mid) == nil, !session.rejectedMIDs.contains(mid) {
            throw ConferenceError(
                .badRequest,
                "The candidate's sdpMid \(mid) names no m-line of your last offer; check sdpMid."
            )
        }
        guard !candidate.isEmpty else {
            return
        }
        do {
            _ = try SDPCandidate(parsing: candidate)
        } catch {
            throw ConferenceError(
                .badRequest,
                "The candidate is not an ICE candidate (\(error.context)); send RTCIceCandidate.candidate unchanged."
            )
        }
    }
}
