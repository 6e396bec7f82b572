extension MediaDescription {
    /// Writes the media description in the canonical order documented on ``MediaDescription``.
    func write(to writer: inout SDPWriter) {
        writer.start(UInt8(ascii: "m"))
        writer.text(self.kind)
        writer.space()
        writer.decimal(UInt64(self.port))
        if let portCount = self.portCount {
            writer.byte(SDPText.slash)
            writer.decimal(UInt64(portCount))
        }
        writer.space()
        writer.text(self.proto)
        for format in self.formats {
            writer.space()
            writer.text(format)
        }
        writer.endLine()
        if let information = self.information {
            SessionDescription.line(UInt8(ascii: "i"), information, to: &writer)
        }
        if let connection = self.connection {
            writer.start(UInt8(ascii: "c"))
            connection.write(to: &writer)
            writer.endLine()
        }
        for bandwidth in self.bandwidths {
            writer.start(UInt8(ascii: "b"))
            bandwidth.write(to: &writer)
            writer.endLine()
        }

        self.rtcp?.write(to: &writer)
        for candidate in self.candidates {
            candidate.write(to: &writer)
        }
        if self.endOfCandidates {
            writer.attribute("end-of-candidates")
            writer.endLine()
        }
        SessionDescription.writeICE(ufrag: self.iceUfrag, pwd: self.icePwd, options: self.iceOptions, to: &writer)
        for fingerprint in self.fingerprints {
            fingerprint.write(to: &writer)
        }
        if let setup = self.setup {
            SessionDescription.writeSetup(setup, to: &writer)
        }
        if let mid = self.mid {
            writer.attributeWithValue("mid")
            writer.text(mid)
            writer.endLine()
        }
        if self.extmapAllowMixed {
            writer.attribute("extmap-allow-mixed")
            writer.endLine()
        }
        for extensionMap in self.extensions {
            extensionMap.write(to: &writer)
        }
        self.direction?.write(to: &writer)
        for msid in self.msids {
            msid.write(to: &writer)
        }
        if self.rtcpMux {
            writer.attribute("rtcp-mux")
            writer.endLine()
        }
        if self.rtcpReducedSize {
            writer.attribute("rtcp-rsize")
            writer.endLine()
        }
        self.writePayloadTypeAttributes(to: &writer)
        for group in self.ssrcGroups {
            group.write(to: &writer)
        }
        for ssrc in self.ssrcs {
            ssrc.write(to: &writer)
        }
        for rid in self.rids {
            rid.write(to: &writer)
        }
        self.simulcast?.write(to: &writer)
        for attribute in self.otherAttributes {
            attribute.write(to: &writer)
        }
    }

    /// Writes `a=rtpmap`, `a=rtcp-fb` and `a=fmtp` grouped by payload type in `m=` line order, then
    /// those for other payload types (and `*`) in list order. The parser sorts the three lists into
    /// this order, which is what keeps parse, write, parse stable.
    private func writePayloadTypeAttributes(to writer: inout SDPWriter) {
        var listed: Set<UInt8> = []
        for payloadType in self.payloadTypes where listed.insert(payloadType).inserted {
            for map in self.rtpMaps where map.payloadType == payloadType {
                map.write(to: &writer)
            }
            for feedback in self.rtcpFeedback where feedback.payloadType == payloadType {
                feedback.write(to: &writer)
            }
            for parameters in self.formatParameters where parameters.payloadType == payloadType {
                parameters.write(to: &writer)
            }
        }
        for map in self.rtpMaps where !listed.contains(map.payloadType) {
            map.write(to: &writer)
        }
        for feedback in self.rtcpFeedback where !(feedback.payloadType.map(listed.contains) ?? false) {
            feedback.write(to: &writer)
        }
        for parameters in self.formatParameters where !listed.contains(parameters.payloadType) {
            parameters.write(to: &writer)
        }
    }
}
