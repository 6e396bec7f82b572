public import RTCSecurity
import RTCWire

/// What a simulated participant needs from the server's SDP answer: the relay's ICE credentials,
/// DTLS fingerprints and UDP candidate, and the payload type and header-extension ids it agreed
/// to on the first (BUNDLE) m-line. A value, made on the control plane and handed to the engine.
public struct AnswerParameters: Sendable, Hashable {
    /// The relay's `a=ice-ufrag`.
    public var remoteUfrag: String
    /// The relay's `a=ice-pwd` (keys our Binding requests).
    public var remotePassword: String
    /// The relay's certificate fingerprints (one must match in the DTLS handshake).
    public var fingerprints: [DTLSFingerprint]
    /// The relay's IPv4 address (host byte order).
    public var address: UInt32
    /// The relay's UDP port.
    public var port: UInt16
    /// The Opus payload type of the first m-line.
    public var payloadType: UInt8
    /// The ssrc-audio-level id both sides agreed on, if any.
    public var audioLevelID: UInt8?
    /// The abs-send-time id both sides agreed on, if any (latency needs it).
    public var absSendTimeID: UInt8?

    /// Makes parameters directly (tests that play the signaling role).
    public init(
        remoteUfrag: String,
        remotePassword: String,
        fingerprints: [DTLSFingerprint],
        address: UInt32,
        port: UInt16,
        payloadType: UInt8 = OfferBuilder.opusPayloadType,
        audioLevelID: UInt8? = UInt8(OfferBuilder.audioLevelID),
        absSendTimeID: UInt8? = UInt8(OfferBuilder.absSendTimeID)
    ) {
        self.remoteUfrag = remoteUfrag
        self.remotePassword = remotePassword
        self.fingerprints = fingerprints
        self.address = address
        self.port = port
        self.payloadType = payloadType
        self.audioLevelID = audioLevelID
        self.absSendTimeID = absSendTimeID
    }

    /// Reads the parameters from an answer.
    ///
    /// The candidate is the first UDP IPv4 candidate of the first m-line; an unspecified
    /// address (0.0.0.0), or none with a port in `m=`/`c=`, falls back to `fallbackAddress` (the
    /// signaling server's host), since a relay bound to 0.0.0.0 may announce that.
    ///
    /// - Throws: ``LoadGeneratorError`` with code `badAnswer` saying what is missing.
    public init(parsing text: String, fallbackAddress: UInt32?) throws(LoadGeneratorError) {
        let session: SessionDescription
        do {
            session = try SessionDescription(parsing: text)
        } catch {
            throw LoadGeneratorError(.badAnswer, "the answer SDP does not parse: \(error)")
        }
        guard let first = session.media.first else {
            throw LoadGeneratorError(.badAnswer, "the answer has no m-line")
        }
        guard let ufrag = first.iceUfrag ?? session.iceUfrag, let password = first.icePwd ?? session.icePwd else {
            throw LoadGeneratorError(.badAnswer, "the answer has no ICE credentials")
        }
        var fingerprints: [DTLSFingerprint] = []
        for fingerprint in first.fingerprints + session.fingerprints {
            guard let algorithm = DTLSFingerprint.Algorithm(rawValue: fingerprint.hashFunction),
                let value = try? DTLSFingerprint(algorithm: algorithm, bytes: fingerprint.value)
            else { continue }
            fingerprints.append(value)
        }
        guard !fingerprints.isEmpty else {
            throw LoadGeneratorError(.badAnswer, "the answer has no usable a=fingerprint")
        }
        var address: UInt32?
        var port: UInt16?
        for candidate in first.candidates where candidate.transport == .udp {
            if let parsed = IPv4Address.parse(candidate.address) {
                address = parsed
                port = candidate.port
                break
            }
        }
        if address == nil, first.port > 9 {
            address = (first.connection ?? session.connection).flatMap { IPv4Address.parse($0.address) }
            port = first.port
        }
        if address == 0 || address == nil {
            address = fallbackAddress
        }
        guard let address, let port, port != 0 else {
            throw LoadGeneratorError(.badAnswer, "the answer has no UDP IPv4 candidate")
        }
        guard let opus = first.codecs(named: "opus").first else {
            throw LoadGeneratorError(.badAnswer, "the answer's first m-line has no Opus")
        }
        self.init(
            remoteUfrag: ufrag,
            remotePassword: password,
            fingerprints: fingerprints,
            address: address,
            port: port,
            payloadType: opus.payloadType,
            audioLevelID: first.extensionID(for: SDPExtensionMap.audioLevelURI).flatMap { UInt8(exactly: $0) },
            absSendTimeID: first.extensionID(for: SDPExtensionMap.absSendTimeURI).flatMap { UInt8(exactly: $0) }
        )
    }
}
