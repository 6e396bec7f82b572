public import RTCSecurity

extension RelayCore {
    /// A change the control plane asks of a core; the worker applies it between read batches.
    public enum Command: Sendable {
        /// Opens a transport for a participant: its ICE credentials go to the responder, and a
        /// ``Transport`` waits for its first authenticated Binding request (the connect timeout
        /// starts now).
        ///
        /// Refused (and counted in ``RelayCoreCounters/Counter/commandsRejected``) when
        /// `credentials.transport` is not `id`, the id or the participant already has an open
        /// transport, the core is full, or the responder refuses the credentials.
        case addTransport(
            id: TransportID,
            credentials: ICECredentials,
            fingerprints: [DTLSFingerprint],
            participant: RoutingParticipantID
        )
        /// Closes a transport (DTLS `close_notify` to its tuple if connected) and forgets it.
        /// Unknown ids (already closed, say) are ignored.
        case removeTransport(TransportID)
        /// Installs a new routing table (state carried over as ``Forwarder/install(_:)`` says).
        /// Its participant ids are mapped to transports by the participants given in
        /// ``addTransport(id:credentials:fingerprints:participant:)``.
        case installRouting(RoutingTable)
        /// Creates a room's mixer, or updates it to a new plan (see ``RelayRoomAudioPlan``):
        /// participants join and leave its mixer, mixed streams keep their numbering. Refused (and
        /// counted) for an invalid plan or a participant already in another room of this core.
        case configureRoom(RelayRoomID, RelayRoomAudioPlan)
        /// Stops the room's recording (``RelayEvent/recordingStopped(_:path:)``) and forgets its
        /// mixer. Unknown rooms are ignored.
        case closeRoom(RelayRoomID)
        /// Starts recording the room's full mix into a new Ogg Opus file in `directory`, named
        /// after `name` and the start time; a forwarded room mixes for the recording meanwhile.
        /// Reported with ``RelayEvent/recordingStarted(_:path:)``, or
        /// ``RelayEvent/recordingFailed(_:_:)`` (an unknown room, a room already recorded
        /// (``RecordingError/Code/alreadyRecording``), a file that cannot be created).
        case startRecording(RelayRoomID, name: String, directory: String)
        /// Stops the room's recording: the file ends with its EOS page
        /// (``RelayEvent/recordingStopped(_:path:)``). Ignored when the room is not recorded.
        case stopRecording(RelayRoomID)
    }

    /// Applies one command; see ``Command``.
    public mutating func apply(_ command: Command, now: RelayTime, send: inout SendBatch) {
        switch command {
        case .addTransport(let id, let credentials, let fingerprints, let participant):
            guard credentials.transport == id,
                self.entries[id] == nil,
                self.transportOfParticipant[participant] == nil,
                self.entries.count < self.configuration.maximumTransports
            else {
                self.counters.add(.commandsRejected)
                return
            }
            do {
                try self.responder.addCredentials(credentials)
            } catch {
                self.counters.add(.commandsRejected)
                return
            }
            let transport = Transport(
                id: id,
                configuration: TransportConfiguration(
                    dtlsContext: self.dtlsContext,
                    expectedFingerprints: fingerprints,
                    limits: self.configuration.limits
                ),
                now: now
            )
            self.entries[id] = Entry(transport: transport, participant: participant)
            self.transportOfParticipant[participant] = id
            self.counters.add(.transportsAdded)
            self.rebuildDeliveryTransports()
        case .removeTransport(let id):
            guard let entry = self.entries[id] else { return }
            self.process(entry.transport.close(now: now), of: id, now: now, send: &send)
            // Already gone if the close reported itself; a no-op then.
            self.forget(id)
        case .installRouting(let table):
            self.forwarder.install(table)
            self.rebuildDeliveryTransports()
        case .configureRoom, .closeRoom, .startRecording, .stopRecording:
            self.applyMixing(command, now: now)
        }
    }
}
