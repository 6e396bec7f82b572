// The SDP reader behind `SessionDescription(parsing:)`. It first splits the bytes into lines while
// enforcing the size, line-count and line-length limits (so a flood of lines costs one bounded scan
// and no parsing), then reads each line into the session or into the current media description.

/// Reads SDP text line by line into a ``SessionDescription``.
struct SDPParser {
    private let bytes: [UInt8]
    private let limits: SDPLimits
    private let checkUTF8: Bool

    private var session = SessionDescription(origin: SDPOrigin(sessionID: 0), timings: [])
    private var sawOrigin = false
    private var sawName = false
    private var sessionChecked = false
    private var media: MediaDescription?

    /// Makes a parser; `checkUTF8` is false when the bytes come from a `String` (already valid).
    init(bytes: [UInt8], limits: SDPLimits, checkUTF8: Bool) {
        self.bytes = bytes
        self.limits = limits
        self.checkUTF8 = checkUTF8
    }

    /// Parses the whole description.
    mutating func parse() throws(WireError) -> SessionDescription {
        let lines = try self.splitLines()
        var sawVersion = false
        for (index, range) in lines.enumerated() {
            let number = index + 1
            let line = try self.checkedLine(range, number: number)
            guard !line.isEmpty else {
                continue
            }
            guard line.count >= 2, line[line.startIndex + 1] == SDPText.equals,
                (0x61...0x7A).contains(line[line.startIndex])
            else {
                throw WireError(.syntax, "line is not <letter>=<value>", offset: number)
            }
            let type = line[line.startIndex]
            let value = line[(line.startIndex + 2)...]
            guard sawVersion else {
                guard type == UInt8(ascii: "v") else {
                    throw WireError(.missingField, "v= is not the first line", offset: number)
                }
                guard SDPText.equals(value, "0") else {
                    throw WireError(.syntax, "v= version is not 0", offset: number)
                }
                sawVersion = true
                continue
            }
            if type == UInt8(ascii: "m") {
                try self.startMedia(value, line: number)
            } else if self.media != nil {
                try self.mediaLine(type, value, line: number)
            } else {
                try self.sessionLine(type, value, line: number)
            }
        }
        guard sawVersion else {
            throw WireError(.missingField, "v= line", offset: 1)
        }
        try self.checkSession(line: lines.count + 1)
        self.finishMedia()
        return self.session
    }

    // MARK: Lines

    /// The line ranges (without line endings), checking the size, line-count and line-length limits
    /// before any line is parsed.
    private func splitLines() throws(WireError) -> [Range<Int>] {
        guard self.bytes.count <= self.limits.maxBytes else {
            throw WireError(.tooLarge, "SDP larger than the size limit", offset: 0)
        }
        var lines: [Range<Int>] = []
        var start = 0
        while start < self.bytes.count {
            let number = lines.count + 1
            guard number <= self.limits.maxLines else {
                throw WireError(.tooMany, "SDP has more lines than the limit", offset: number)
            }
            var end = start
            while end < self.bytes.count, self.bytes[end] != 0x0A {
                end += 1
            }
            var contentEnd = end
            if contentEnd > start, self.bytes[contentEnd - 1] == 0x0D {
                contentEnd -= 1
            }
            guard contentEnd - start <= self.limits.maxLineLength else {
                throw WireError(.tooLarge, "SDP line longer than the limit", offset: number)
            }
            lines.append(start..<contentEnd)
            start = end + 1
        }
        return lines
    }

    /// The line without trailing spaces and tabs, checked for control characters and UTF-8.
    private func checkedLine(_ range: Range<Int>, number: Int) throws(WireError) -> ArraySlice<UInt8> {
        var end = range.upperBound
        while end > range.lowerBound, self.bytes[end - 1] == SDPText.space || self.bytes[end - 1] == SDPText.tab {
            end -= 1
        }
        let line = self.bytes[range.lowerBound..<end]
        var ascii = true
        for byte in line {
            guard (byte >= 0x20 || byte == SDPText.tab) && byte != 0x7F else {
                throw WireError(.syntax, "line holds a control character", offset: number)
            }
            ascii = ascii && byte < 0x80
        }
        if self.checkUTF8, !ascii, String(validating: line, as: UTF8.self) == nil {
            throw WireError(.syntax, "line is not valid UTF-8", offset: number)
        }
        return line
    }

    // MARK: Session level

    private mutating func sessionLine(_ type: UInt8, _ value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        switch type {
        case UInt8(ascii: "o"):
            guard !self.sawOrigin else {
                throw WireError(.syntax, "more than one o= line", offset: line)
            }
            self.session.origin = try SDPOrigin(sdpValue: value, line: line)
            self.sawOrigin = true
        case UInt8(ascii: "s"):
            guard !self.sawName else {
                throw WireError(.syntax, "more than one s= line", offset: line)
            }
            self.session.sessionName = SDPText.string(value)
            self.sawName = true
        case UInt8(ascii: "i"):
            try Self.setOnce(&self.session.information, SDPText.string(value), "more than one i= line", line: line)
        case UInt8(ascii: "u"):
            try Self.setOnce(&self.session.uri, SDPText.string(value), "more than one u= line", line: line)
        case UInt8(ascii: "e"):
            self.session.emails.append(SDPText.string(value))
        case UInt8(ascii: "p"):
            self.session.phones.append(SDPText.string(value))
        case UInt8(ascii: "c"):
            let connection = try SDPConnection(sdpValue: value, line: line)
            try Self.setOnce(&self.session.connection, connection, "more than one session c= line", line: line)
        case UInt8(ascii: "b"):
            self.session.bandwidths.append(try SDPBandwidth(sdpValue: value, line: line))
        case UInt8(ascii: "t"):
            self.session.timings.append(try SDPTiming(sdpValue: value, line: line))
        case UInt8(ascii: "r"):
            guard !self.session.timings.isEmpty else {
                throw WireError(.syntax, "r= line before any t= line", offset: line)
            }
            self.session.timings[self.session.timings.count - 1].repeats.append(SDPText.string(value))
        case UInt8(ascii: "z"):
            try Self.setOnce(&self.session.timeZones, SDPText.string(value), "more than one z= line", line: line)
        case UInt8(ascii: "k"):
            // RFC 8866 section 5.12: k= is obsolete and MUST be discarded when received.
            break
        case UInt8(ascii: "a"):
            try self.sessionAttribute(value, line: line)
        case UInt8(ascii: "v"):
            throw WireError(.syntax, "more than one v= line", offset: line)
        default:
            throw WireError(.syntax, "line type unknown or not allowed at session level", offset: line)
        }
    }

    private mutating func sessionAttribute(_ text: ArraySlice<UInt8>, line: Int) throws(WireError) {
        let (nameBytes, optionalValue) = SDPText.split(text, at: SDPText.colon)
        guard SDPText.isToken(nameBytes) else {
            throw WireError(.syntax, "attribute name is not a token", offset: line)
        }
        let name = SDPText.string(nameBytes)
        let value = optionalValue ?? nameBytes[nameBytes.endIndex...]
        switch name {
        case "group":
            self.session.groups.append(try SDPGroup(sdpValue: value, line: line))
        case "msid-semantic":
            let semantic = try SDPMsidSemantic(sdpValue: value, line: line)
            try Self.setOnce(&self.session.msidSemantic, semantic, "more than one a=msid-semantic", line: line)
        case "extmap-allow-mixed":
            try Self.flag(optionalValue, "a=extmap-allow-mixed takes no value", line: line)
            self.session.extmapAllowMixed = true
        case "ice-lite":
            try Self.flag(optionalValue, "a=ice-lite takes no value", line: line)
            self.session.iceLite = true
        case "ice-ufrag":
            let ufrag = try Self.iceUfrag(value, line: line)
            try Self.setOnce(&self.session.iceUfrag, ufrag, "more than one a=ice-ufrag", line: line)
        case "ice-pwd":
            let pwd = try Self.icePwd(value, line: line)
            try Self.setOnce(&self.session.icePwd, pwd, "more than one a=ice-pwd", line: line)
        case "ice-options":
            guard self.session.iceOptions.isEmpty else {
                throw WireError(.syntax, "more than one a=ice-options", offset: line)
            }
            self.session.iceOptions = try Self.iceOptions(value, line: line)
        case "fingerprint":
            self.session.fingerprints.append(try SDPFingerprint(sdpValue: value, line: line))
        case "setup":
            let setup = try SDPSetupRole(sdpValue: value, line: line)
            try Self.setOnce(&self.session.setup, setup, "more than one a=setup", line: line)
        case "extmap":
            let extensionMap = try SDPExtensionMap(sdpValue: value, line: line)
            guard !self.session.extensions.contains(where: { $0.id == extensionMap.id }) else {
                throw WireError(.syntax, "a=extmap repeats an ID", offset: line)
            }
            self.session.extensions.append(extensionMap)
        default:
            if let direction = SDPDirection(attributeName: name) {
                try Self.flag(optionalValue, "direction attribute takes no value", line: line)
                try Self.setOnce(&self.session.direction, direction, "more than one direction attribute", line: line)
            } else {
                self.session.otherAttributes.append(
                    SDPAttribute(name: name, value: optionalValue.map(SDPText.string))
                )
            }
        }
    }

    /// Checks, once, that the session section had its required lines.
    private mutating func checkSession(line: Int) throws(WireError) {
        guard !self.sessionChecked else {
            return
        }
        guard self.sawOrigin else {
            throw WireError(.missingField, "o= line", offset: line)
        }
        guard self.sawName else {
            throw WireError(.missingField, "s= line", offset: line)
        }
        guard !self.session.timings.isEmpty else {
            throw WireError(.missingField, "t= line", offset: line)
        }
        self.sessionChecked = true
    }

    // MARK: Media level

    private mutating func startMedia(_ value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        try self.checkSession(line: line)
        self.finishMedia()
        guard self.session.media.count < self.limits.maxMediaDescriptions else {
            throw WireError(.tooMany, "more m= lines than the limit", offset: line)
        }
        let fields = SDPText.fields(value)
        guard fields.count >= 4 else {
            throw WireError(.syntax, "m= line is not <media> <port> <proto> <format>...", offset: line)
        }
        guard SDPText.isToken(fields[0]) else {
            throw WireError(.syntax, "m= media type is not a token", offset: line)
        }
        let (portText, countText) = SDPText.split(fields[1], at: SDPText.slash)
        guard let port = SDPText.decimal(portText, as: UInt16.self) else {
            throw WireError(.syntax, "m= port is not a number in 0-65535", offset: line)
        }
        var portCount: UInt16?
        if let countText {
            guard let count = SDPText.decimal(countText, as: UInt16.self), count > 0 else {
                throw WireError(.syntax, "m= port count is not a positive number", offset: line)
            }
            portCount = count
        }
        guard fields[2].allSatisfy({ SDPText.isTokenByte($0) || $0 == SDPText.slash }) else {
            throw WireError(.syntax, "m= protocol is not a token", offset: line)
        }
        let proto = SDPText.string(fields[2])
        let isRTP = MediaDescription.isRTP(proto: proto)
        var formats: [String] = []
        formats.reserveCapacity(fields.count - 3)
        for format in fields.dropFirst(3) {
            if isRTP {
                guard SDPText.payloadType(format) != nil else {
                    throw WireError(.syntax, "m= payload type is not a number in 0-127", offset: line)
                }
            } else {
                guard SDPText.isToken(format) else {
                    throw WireError(.syntax, "m= format is not a token", offset: line)
                }
            }
            formats.append(SDPText.string(format))
        }
        self.media = MediaDescription(
            kind: SDPText.string(fields[0]),
            port: port,
            portCount: portCount,
            proto: proto,
            formats: formats
        )
    }

    private mutating func mediaLine(_ type: UInt8, _ value: ArraySlice<UInt8>, line: Int) throws(WireError) {
        // Only called while a media description is open.
        guard var media = self.media else {
            return
        }
        // Take the value out so the attribute parsers below mutate the only copy.
        self.media = nil
        defer { self.media = media }
        switch type {
        case UInt8(ascii: "i"):
            try Self.setOnce(
                &media.information,
                SDPText.string(value),
                "more than one i= line in a media description",
                line: line
            )
        case UInt8(ascii: "c"):
            let connection = try SDPConnection(sdpValue: value, line: line)
            try Self.setOnce(&media.connection, connection, "more than one c= line in a media description", line: line)
        case UInt8(ascii: "b"):
            media.bandwidths.append(try SDPBandwidth(sdpValue: value, line: line))
        case UInt8(ascii: "k"):
            // RFC 8866 section 5.12: k= is obsolete and MUST be discarded when received.
            break
        case UInt8(ascii: "a"):
            try Self.mediaAttribute(value, into: &media, after: self.session.media, line: line)
        default:
            throw WireError(.syntax, "line type not allowed in a media description", offset: line)
        }
    }

    private static func mediaAttribute(
        _ text: ArraySlice<UInt8>,
        into media: inout MediaDescription,
        after earlierMedia: [MediaDescription],
        line: Int
    ) throws(WireError) {
        let (nameBytes, optionalValue) = SDPText.split(text, at: SDPText.colon)
        guard SDPText.isToken(nameBytes) else {
            throw WireError(.syntax, "attribute name is not a token", offset: line)
        }
        let name = SDPText.string(nameBytes)
        let value = optionalValue ?? nameBytes[nameBytes.endIndex...]
        switch name {
        case "mid":
            let mid = SDPText.trimmed(value)
            guard SDPText.isToken(mid) else {
                throw WireError(.syntax, "a=mid is not a token", offset: line)
            }
            // BUNDLE groups and the mid header extension name media by mid: it must be unique.
            let midText = SDPText.string(mid)
            guard !earlierMedia.contains(where: { $0.mid == midText }) else {
                throw WireError(.syntax, "a=mid repeats an earlier media description's", offset: line)
            }
            try Self.setOnce(&media.mid, midText, "more than one a=mid", line: line)
        case "ice-ufrag":
            let ufrag = try Self.iceUfrag(value, line: line)
            try Self.setOnce(&media.iceUfrag, ufrag, "more than one a=ice-ufrag", line: line)
        case "ice-pwd":
            let pwd = try Self.icePwd(value, line: line)
            try Self.setOnce(&media.icePwd, pwd, "more than one a=ice-pwd", line: line)
        case "ice-options":
            guard media.iceOptions.isEmpty else {
                throw WireError(.syntax, "more than one a=ice-options", offset: line)
            }
            media.iceOptions = try Self.iceOptions(value, line: line)
        case "fingerprint":
            media.fingerprints.append(try SDPFingerprint(sdpValue: value, line: line))
        case "setup":
            let setup = try SDPSetupRole(sdpValue: value, line: line)
            try Self.setOnce(&media.setup, setup, "more than one a=setup", line: line)
        case "extmap-allow-mixed":
            try Self.flag(optionalValue, "a=extmap-allow-mixed takes no value", line: line)
            media.extmapAllowMixed = true
        case "extmap":
            let extensionMap = try SDPExtensionMap(sdpValue: value, line: line)
            guard !media.extensions.contains(where: { $0.id == extensionMap.id }) else {
                throw WireError(.syntax, "a=extmap repeats an ID", offset: line)
            }
            media.extensions.append(extensionMap)
        case "msid":
            media.msids.append(try SDPMsid(sdpValue: value, line: line))
        case "rtcp-mux":
            try Self.flag(optionalValue, "a=rtcp-mux takes no value", line: line)
            media.rtcpMux = true
        case "rtcp-rsize":
            try Self.flag(optionalValue, "a=rtcp-rsize takes no value", line: line)
            media.rtcpReducedSize = true
        case "rtcp":
            let rtcp = try SDPRTCPAddress(sdpValue: value, line: line)
            try Self.setOnce(&media.rtcp, rtcp, "more than one a=rtcp", line: line)
        case "rtpmap" where media.isRTP:
            let map = try SDPRTPMap(sdpValue: value, line: line)
            guard !media.rtpMaps.contains(where: { $0.payloadType == map.payloadType }) else {
                throw WireError(.syntax, "a=rtpmap repeats a payload type", offset: line)
            }
            media.rtpMaps.append(map)
        case "fmtp" where media.isRTP:
            let parameters = try SDPFormatParameters(sdpValue: value, line: line)
            guard !media.formatParameters.contains(where: { $0.payloadType == parameters.payloadType }) else {
                throw WireError(.syntax, "a=fmtp repeats a payload type", offset: line)
            }
            media.formatParameters.append(parameters)
        case "rtcp-fb" where media.isRTP:
            media.rtcpFeedback.append(try SDPRTCPFeedback(sdpValue: value, line: line))
        case "ssrc":
            media.ssrcs.append(try SDPSSRCAttribute(sdpValue: value, line: line))
        case "ssrc-group":
            media.ssrcGroups.append(try SDPSSRCGroup(sdpValue: value, line: line))
        case "candidate":
            media.candidates.append(try SDPCandidate(sdpValue: value, line: line))
        case "end-of-candidates":
            try Self.flag(optionalValue, "a=end-of-candidates takes no value", line: line)
            media.endOfCandidates = true
        case "rid":
            media.rids.append(try SDPRid(sdpValue: value, line: line))
        case "simulcast":
            let simulcast = try SDPSimulcast(sdpValue: value, line: line)
            try Self.setOnce(&media.simulcast, simulcast, "more than one a=simulcast", line: line)
        default:
            if let direction = SDPDirection(attributeName: name) {
                try Self.flag(optionalValue, "direction attribute takes no value", line: line)
                try Self.setOnce(&media.direction, direction, "more than one direction attribute", line: line)
            } else {
                media.otherAttributes.append(SDPAttribute(name: name, value: optionalValue.map(SDPText.string)))
            }
        }
    }

    /// Closes the open media description: orders its payload-type attributes canonically (see
    /// ``MediaDescription``) and appends it to the session.
    private mutating func finishMedia() {
        guard var media = self.media else {
            return
        }
        self.media = nil
        var rank: [UInt8: Int] = [:]
        for (index, format) in media.formats.enumerated() {
            if let payloadType = SDPText.payloadType(ArraySlice(format.utf8)), rank[payloadType] == nil {
                rank[payloadType] = index
            }
        }
        let unlisted = media.formats.count
        func rankOf(_ payloadType: UInt8?) -> Int {
            payloadType.flatMap { rank[$0] } ?? unlisted
        }
        media.rtpMaps = Self.stableSorted(media.rtpMaps) { rankOf($0.payloadType) }
        media.formatParameters = Self.stableSorted(media.formatParameters) { rankOf($0.payloadType) }
        media.rtcpFeedback = Self.stableSorted(media.rtcpFeedback) { rankOf($0.payloadType) }
        self.session.media.append(media)
    }

    /// The items sorted by key, keeping the original order among equal keys.
    private static func stableSorted<T>(_ items: [T], by key: (T) -> Int) -> [T] {
        items.enumerated()
            .map { (key: key($0.element), index: $0.offset, item: $0.element) }
            .sorted { ($0.key, $0.index) < ($1.key, $1.index) }
            .map(\.item)
    }

    // MARK: Shared value checks

    private static func setOnce<T>(
        _ slot: inout T?,
        _ value: T,
        _ context: StaticString,
        line: Int
    ) throws(WireError) {
        guard slot == nil else {
            throw WireError(.syntax, context, offset: line)
        }
        slot = value
    }

    private static func flag(_ value: ArraySlice<UInt8>?, _ context: StaticString, line: Int) throws(WireError) {
        guard value == nil else {
            throw WireError(.syntax, context, offset: line)
        }
    }

    private static func iceUfrag(_ value: ArraySlice<UInt8>, line: Int) throws(WireError) -> String {
        let ufrag = SDPText.trimmed(value)
        guard (4...256).contains(ufrag.count), SDPText.isICEChars(ufrag) else {
            throw WireError(.syntax, "a=ice-ufrag is not 4-256 ICE characters", offset: line)
        }
        return SDPText.string(ufrag)
    }

    private static func icePwd(_ value: ArraySlice<UInt8>, line: Int) throws(WireError) -> String {
        let pwd = SDPText.trimmed(value)
        guard (22...256).contains(pwd.count), SDPText.isICEChars(pwd) else {
            throw WireError(.syntax, "a=ice-pwd is not 22-256 ICE characters", offset: line)
        }
        return SDPText.string(pwd)
    }

    private static func iceOptions(_ value: ArraySlice<UInt8>, line: Int) throws(WireError) -> [String] {
        let fields = SDPText.fields(value)
        guard !fields.isEmpty, fields.allSatisfy(SDPText.isToken) else {
            throw WireError(.syntax, "a=ice-options is not a list of tokens", offset: line)
        }
        return fields.map(SDPText.string)
    }
}
