/// A UTC wall-clock second: when a recording started, for its file name and its `START` tag.
///
/// Sans clock: the control plane (or a test) gives the seconds since the Unix epoch, or reads
/// the system clock once with ``now()``. Formatting is plain arithmetic (proleptic Gregorian
/// calendar, no leap seconds, no time zone database), so it is the same on every machine.
public struct RecordingTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The latest representable second, 9999-12-31T23:59:59Z: later times are clamped to it so
    /// the text forms keep four-digit years.
    public static let maximumSeconds: Int64 = 253_402_300_799

    /// Seconds since 1970-01-01T00:00:00Z, within `0...maximumSeconds`.
    public let secondsSinceEpoch: Int64

    /// A timestamp from seconds since the Unix epoch; values outside `0...maximumSeconds` are
    /// clamped into it.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = min(max(secondsSinceEpoch, 0), Self.maximumSeconds)
    }

    /// The date and time fields in UTC: year, month 1-12, day 1-31, hour, minute, second.
    public var fields: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = self.secondsSinceEpoch / 86_400
        let inDay = Int(self.secondsSinceEpoch % 86_400)
        // Civil date from a day count (H. Hinnant's days_from_civil inverse), for days >= 0: eras of
        // 400 years (146 097 days) starting on 0000-03-01, so February is the last month of a year.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day, inDay / 3600, inDay / 60 % 60, inDay % 60)
    }

    /// ISO 8601 in UTC, `2025-05-01T09:30:00Z`: the `START` tag of the recording.
    public var iso8601: String {
        let time = self.fields
        return Self.digits(time.year, 4) + "-" + Self.digits(time.month, 2) + "-" + Self.digits(time.day, 2) + "T"
            + Self.digits(time.hour, 2) + ":" + Self.digits(time.minute, 2) + ":" + Self.digits(time.second, 2) + "Z"
    }

    /// `yyyyMMdd-HHmmss` in UTC, `20250501-093000`: the time part of the file name.
    public var compact: String {
        let time = self.fields
        return Self.digits(time.year, 4) + Self.digits(time.month, 2) + Self.digits(time.day, 2) + "-"
            + Self.digits(time.hour, 2) + Self.digits(time.minute, 2) + Self.digits(time.second, 2)
    }

    /// The ISO 8601 form.
    public var description: String {
        self.iso8601
    }

    public static func < (lhs: RecordingTimestamp, rhs: RecordingTimestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    // A non-negative number with leading zeros up to `width` digits.
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
