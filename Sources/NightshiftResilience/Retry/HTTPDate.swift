import struct Foundation.Date

/// A parser for the three HTTP-date forms of RFC 9110 §5.6.7, always in GMT.
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send today)
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete; two-digit year)
/// - asctime: `Sun Nov  6 08:49:37 1994` (obsolete; no zone, day padded with a space)
///
/// Hand-written instead of `DateFormatter` so the result depends on neither locale nor time zone, and two-digit years
/// follow the RFC: a year that would be more than 50 years in the future is taken from the previous century. The day
/// name must be a valid one but is not checked against the date, as recipients are asked to be lenient.
enum HTTPDate {
    /// The instant `text` names, or `nil` if it is not an HTTP-date. `now` resolves RFC 850's two-digit years.
    static func parse(_ text: Substring, now: Date) -> Date? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT" {
            return imfFixdate(fields)
        }
        if fields.count == 4, fields[0].hasSuffix(","), fields[3] == "GMT" {
            return rfc850(fields, now: now)
        }
        if fields.count == 5 {
            return asctime(fields)
        }
        return nil
    }

    // MARK: - The three forms

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func imfFixdate(_ fields: [Substring]) -> Date? {
        guard shortDays.contains(String(fields[0].dropLast())),
              fields[1].count == 2, let day = number(fields[1]),
              let month = month(fields[2]),
              fields[3].count == 4, let year = number(fields[3])
        else { return nil }
        return date(year: year, month: month, day: day, time: fields[4])
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`
    private static func rfc850(_ fields: [Substring], now: Date) -> Date? {
        let parts = fields[1].split(separator: "-", omittingEmptySubsequences: false)
        guard longDays.contains(String(fields[0].dropLast())), parts.count == 3,
              parts[0].count == 2, let day = number(parts[0]),
              let month = month(parts[1]),
              parts[2].count == 2, let shortYear = number(parts[2])
        else { return nil }
        return date(year: fullYear(shortYear, now: now), month: month, day: day, time: fields[2])
    }

    /// `Sun Nov  6 08:49:37 1994`
    private static func asctime(_ fields: [Substring]) -> Date? {
        guard shortDays.contains(String(fields[0])),
              let month = month(fields[1]),
              (1...2).contains(fields[2].count), let day = number(fields[2]),
              fields[4].count == 4, let year = number(fields[4])
        else { return nil }
        return date(year: year, month: month, day: day, time: fields[3])
    }

    // MARK: - Fields

    private static let shortDays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDays: Set<String> = [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The value of a field made of ASCII digits only (no sign, no spaces).
    private static func number(_ field: Substring) -> Int? {
        guard !field.isEmpty, field.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(field)
    }

    private static func month(_ name: Substring) -> Int? {
        months.firstIndex(of: String(name)).map { $0 + 1 }
    }

    /// Resolves a two-digit year to the latest year with those digits not more than 50 years after `now`.
    private static func fullYear(_ shortYear: Int, now: Date) -> Int {
        let seconds = now.timeIntervalSince1970.rounded(.down)
        let currentYear = CivilDate(secondsSinceEpoch: Int64(max(min(seconds, 1e15), -1e15))).year
        var year = currentYear - currentYear % 100 + shortYear
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    /// Combines a validated calendar date with `HH:MM:SS`; a leap second 60 is read as 59.
    private static func date(year: Int, month: Int, day: Int, time: Substring) -> Date? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let hour = number(parts[0]), let minute = number(parts[1]), let second = number(parts[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              let civil = CivilDate(year: year, month: month, day: day)
        else { return nil }
        let seconds = civil.daysSinceEpoch * 86_400 + Int64(hour * 3_600 + minute * 60 + min(second, 59))
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
