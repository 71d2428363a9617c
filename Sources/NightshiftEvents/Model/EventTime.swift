#if canImport(Glibc)
import Glibc
#endif

/// Event timestamps: microseconds since the Unix epoch, UTC, as `Int64`.
///
/// One integer is exact in every store (SQLite INTEGER, PostgreSQL timestamptz has microsecond resolution) and
/// compares without time-zone surprises. These helpers read the wall clock, print ISO 8601 and parse what an operator
/// types after `--since` (`8h`, `30m`, `2d`, `2024-05-01`, `2024-05-01T06:00:00Z`).
public enum EventTime {
    /// Microseconds in one second.
    public static let microsPerSecond: Int64 = 1_000_000

    /// The wall clock now, in microseconds since the epoch.
    public static func nowMicros() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * microsPerSecond + Int64(spec.tv_nsec) / 1_000
    }

    /// `2024-05-01T06:07:08.123456Z`: always six fractional digits, always UTC.
    public static func iso8601(_ micros: Int64) -> String {
        let parts = CivilTime(micros: micros)
        return "\(parts.dateText)T\(parts.timeText).\(pad(parts.micros, 6))Z"
    }

    /// `2024-05-01 06:07:08.123456+00`, the text PostgreSQL reads exactly as a timestamptz.
    static func postgresText(_ micros: Int64) -> String {
        let parts = CivilTime(micros: micros)
        return "\(parts.dateText) \(parts.timeText).\(pad(parts.micros, 6))+00"
    }

    /// `2024-05-01 06:07:08`, for tables meant to be read by people.
    public static func short(_ micros: Int64) -> String {
        let parts = CivilTime(micros: micros)
        return "\(parts.dateText) \(parts.timeText)"
    }

    /// Microseconds for a span written like `90s`, `15m`, `8h`, `2d`, `1w`; `nil` when malformed.
    public static func parseSpan(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: seconds * microsPerSecond)
        return overflow ? nil : product
    }

    /// An instant from `--since`/`--until` text: a span back from `now`, or an ISO 8601 date or date-time.
    ///
    /// Date-times without an offset are UTC; `Z` and `±hh:mm` offsets are honoured.
    public static func parse(_ text: String, relativeTo now: Int64) -> Int64? {
        if let span = parseSpan(text) { return now - span }
        return parseISO8601(text)
    }

    /// Microseconds for `YYYY-MM-DD[(T| )HH:MM[:SS[.ffffff]]][Z|±hh:mm]`; `nil` when malformed.
    public static func parseISO8601(_ text: String) -> Int64? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(4), scanner.take("-"), let month = scanner.number(2), scanner.take("-"),
              let day = scanner.number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = CivilTime.daysFromCivil(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if scanner.take("T") || scanner.take("t") || scanner.take(" ") {
            guard let hour = scanner.number(2), scanner.take(":"), let minute = scanner.number(2),
                  hour < 24, minute < 60 else { return nil }
            seconds += hour * 3_600 + minute * 60
            if scanner.take(":") {
                guard let second = scanner.number(2), second < 61 else { return nil }
                seconds += second
                if scanner.take(".") {
                    let digits = scanner.digits()
                    guard !digits.isEmpty else { return nil }
                    let six = String((digits + "000000").prefix(6))
                    micros = Int64(six) ?? 0
                }
            }
            if scanner.take("Z") || scanner.take("z") {
            } else if let sign = scanner.sign() {
                guard let offsetHours = scanner.number(2) else { return nil }
                _ = scanner.take(":")
                let offsetMinutes = scanner.number(2) ?? 0
                seconds -= sign * (offsetHours * 3_600 + offsetMinutes * 60)
            }
        }
        guard scanner.atEnd else { return nil }
        return seconds * microsPerSecond + micros
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

// MARK: - Civil calendar

/// A UTC instant split into calendar parts (proleptic Gregorian, Howard Hinnant's days-from-civil algorithm).
struct CivilTime {
    var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, micros: Int64

    init(micros total: Int64) {
        let (seconds, fraction) = Self.floorDivide(total, EventTime.microsPerSecond)
        let (days, secondOfDay) = Self.floorDivide(seconds, 86_400)
        (year, month, day) = Self.civilFromDays(days)
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
        second = secondOfDay % 60
        micros = fraction
    }

    var dateText: String { "\(EventTime.pad(year, 4))-\(EventTime.pad(month, 2))-\(EventTime.pad(day, 2))" }
    var timeText: String { "\(EventTime.pad(hour, 2)):\(EventTime.pad(minute, 2)):\(EventTime.pad(second, 2))" }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A cursor over ASCII text for the timestamp parser.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func number(_ width: Int) -> Int64? {
        guard index + width <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + width] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        index += width
        return value
    }

    mutating func digits() -> String {
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func sign() -> Int64? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
