extension STUNAddress: CustomStringConvertible {
    /// `192.0.2.1:32853` or `[2001:db8::1]:32853`, the IPv6 part in RFC 5952 canonical form
    /// (lowercase, no leading zeros, the longest run of two or more zero groups as `::`).
    public var description: String {
        switch self.family {
        case .ipv4:
            let address = UInt32(truncatingIfNeeded: self.low)
            return "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF):\(self.port)"
        case .ipv6:
            return "[\(self.ipv6Text)]:\(self.port)"
        }
    }

    /// The address alone: dotted quad or RFC 5952 IPv6 text, without port or brackets.
    public var addressText: String {
        switch self.family {
        case .ipv4:
            let address = UInt32(truncatingIfNeeded: self.low)
            return "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF)"
        case .ipv6:
            return self.ipv6Text
        }
    }

    private var ipv6Text: String {
        func group(_ index: Int) -> UInt16 {
            let half = index < 4 ? self.high : self.low
            return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index % 4)))
        }
        // The longest run of zero groups (first one on a tie), if it spans at least two groups.
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for index in 0..<8 {
            if group(index) == 0 {
                if runStart < 0 { runStart = index }
                let length = index - runStart + 1
                if length > bestLength {
                    bestStart = runStart
                    bestLength = length
                }
            } else {
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(group(index), radix: 16)
            index += 1
        }
        return text
    }
}
