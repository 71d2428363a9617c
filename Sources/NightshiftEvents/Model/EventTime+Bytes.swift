extension EventTime {
    /// Appends `iso8601(micros)` (`2024-05-01T06:07:08.123456Z`) as bytes.
    static func appendISO8601(_ micros: Int64, to output: inout [UInt8]) {
        append(micros, separator: UInt8(ascii: "T"), suffix: "Z", to: &output) { iso8601($0) }
    }

    /// Appends `postgresText(micros)` (`2024-05-01 06:07:08.123456+00`) as bytes.
    static func appendPostgresText(_ micros: Int64, to output: inout [UInt8]) {
        append(micros, separator: UInt8(ascii: " "), suffix: "+00", to: &output) { postgresText($0) }
    }

    /// Writes the digits straight into `output` for years 0 to 9999 (every event's); other years go through the
    /// text functions, which know how to spell them.
    private static func append(
        _ micros: Int64, separator: UInt8, suffix: StaticString, to output: inout [UInt8], text: (Int64) -> String
    ) {
        let parts = CivilTime(micros: micros)
        guard (0...9_999).contains(parts.year) else {
            output.append(contentsOf: text(micros).utf8)
            return
        }
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / divisor % 10))
                divisor /= 10
            }
        }
        digits(parts.year, 4)
        output.append(UInt8(ascii: "-"))
        digits(parts.month, 2)
        output.append(UInt8(ascii: "-"))
        digits(parts.day, 2)
        output.append(separator)
        digits(parts.hour, 2)
        output.append(UInt8(ascii: ":"))
        digits(parts.minute, 2)
        output.append(UInt8(ascii: ":"))
        digits(parts.second, 2)
        output.append(UInt8(ascii: "."))
        digits(parts.micros, 6)
        suffix.withUTF8Buffer { output.append(contentsOf: $0) }
    }
}
