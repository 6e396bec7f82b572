extension SessionDescription {
    /// The description as SDP text, in the canonical order (see ``SessionDescription``), with
    /// CRLF line endings.
    ///
    /// Values are written as they are, with control characters left out so that no field can
    /// start a line of its own. The writer does not check what a parse would: a description
    /// built in code with, say, an empty format list or a mid with spaces writes text that does
    /// not parse. Descriptions that came from the parser always write text that parses back to an
    /// equal value.
    public var text: String {
        var bytes: [UInt8] = []
        self.write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the description as SDP text (UTF-8, CRLF line endings) to `bytes`, as ``text``
    /// writes it.
    public func write(into bytes: inout [UInt8]) {
        var writer = SDPWriter(bytes: bytes)
        // Drop the caller's reference so the writer's buffer is unique and appends do not copy it.
        bytes = []
        self.write(to: &writer)
        bytes = writer.bytes
    }

    private func write(to writer: inout SDPWriter) {
        writer.raw("v=0")
        writer.endLine()
        writer.start(UInt8(ascii: "o"))
        self.origin.write(to: &writer)
        writer.endLine()
        Self.line(UInt8(ascii: "s"), self.sessionName, to: &writer)
        if let information = self.information {
            Self.line(UInt8(ascii: "i"), information, to: &writer)
        }
        if let uri = self.uri {
            Self.line(UInt8(ascii: "u"), uri, to: &writer)
        }
        for email in self.emails {
            Self.line(UInt8(ascii: "e"), email, to: &writer)
        }
        for phone in self.phones {
            Self.line(UInt8(ascii: "p"), phone, to: &writer)
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
        if self.timings.isEmpty {
            SDPTiming().write(to: &writer)
        }
        for timing in self.timings {
            timing.write(to: &writer)
        }
        if let timeZones = self.timeZones {
            Self.line(UInt8(ascii: "z"), timeZones, to: &writer)
        }

        for group in self.groups {
            group.write(to: &writer)
        }
        if self.extmapAllowMixed {
            writer.attribute("extmap-allow-mixed")
            writer.endLine()
        }
        self.msidSemantic?.write(to: &writer)
        if self.iceLite {
            writer.attribute("ice-lite")
            writer.endLine()
        }
        Self.writeICE(ufrag: self.iceUfrag, pwd: self.icePwd, options: self.iceOptions, to: &writer)
        for fingerprint in self.fingerprints {
            fingerprint.write(to: &writer)
        }
        if let setup = self.setup {
            Self.writeSetup(setup, to: &writer)
        }
        for extensionMap in self.extensions {
            extensionMap.write(to: &writer)
        }
        self.direction?.write(to: &writer)
        for attribute in self.otherAttributes {
            attribute.write(to: &writer)
        }

        for media in self.media {
            media.write(to: &writer)
        }
    }

    /// Writes `x=text`.
    static func line(_ type: UInt8, _ text: String, to writer: inout SDPWriter) {
        writer.start(type)
        writer.text(text)
        writer.endLine()
    }

    /// Writes `a=ice-ufrag`, `a=ice-pwd` and `a=ice-options` when present.
    static func writeICE(ufrag: String?, pwd: String?, options: [String], to writer: inout SDPWriter) {
        if let ufrag {
            writer.attributeWithValue("ice-ufrag")
            writer.text(ufrag)
            writer.endLine()
        }
        if let pwd {
            writer.attributeWithValue("ice-pwd")
            writer.text(pwd)
            writer.endLine()
        }
        if !options.isEmpty {
            writer.attributeWithValue("ice-options")
            for (index, option) in options.enumerated() {
                if index > 0 {
                    writer.space()
                }
                writer.text(option)
            }
            writer.endLine()
        }
    }

    /// Writes `a=setup`.
    static func writeSetup(_ setup: SDPSetupRole, to writer: inout SDPWriter) {
        writer.attributeWithValue("setup")
        writer.text(setup.rawValue)
        writer.endLine()
    }
}
