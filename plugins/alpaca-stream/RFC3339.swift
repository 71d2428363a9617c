/// Parses RFC 3339 timestamps such as `2021-02-22T15:51:44.208123456Z` to nanoseconds since the Unix epoch.
///
/// Alpaca stamps every trade, quote and bar this way, with up to nine fractional digits. Digits past the ninth are
/// checked and dropped; offsets (`+01:00`, `-04:00`) are applied. Anything malformed, or outside the years
/// 1678–2261 that nanoseconds in an `Int64` can hold, is `nil`.
enum RFC3339 {
    /// The timestamp in `range` of `bytes`, in nanoseconds since 1970-01-01T00:00:00Z.
    static func nanoseconds(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var reader = Reader(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2), reader.skipSeparator(), let hour = reader.number(2), reader.skip(":"),
            let minute = reader.number(2), reader.skip(":"), let second = reader.number(2)
        else { return nil }
        guard (1678...2261).contains(year), (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var nanos: Int64 = 0
        if reader.skip(".") {
            var digits = 0
            while let digit = reader.digit() {
                if digits < 9 { nanos = nanos * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in 0..<max(0, 9 - digits) { nanos *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if reader.skip("Z") || reader.skip("z") {
            // UTC
        } else if let sign = reader.sign(), let offsetHours = reader.number(2), reader.skip(":"),
            let offsetMinutes = reader.number(2), offsetHours <= 23, offsetMinutes <= 59
        {
            offsetSeconds = sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard reader.index == reader.end else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        return seconds * 1_000_000_000 + nanos
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's public-domain algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A bounds-checked reader over the timestamp's bytes.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        mutating func digit() -> Int? {
            guard index < end, (0x30...0x39).contains(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - 0x30)
        }

        /// Exactly `count` digits.
        mutating func number(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < end, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        /// The date–time separator: `T`, `t` or a space.
        mutating func skipSeparator() -> Bool {
            skip("T") || skip("t") || skip(" ")
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
