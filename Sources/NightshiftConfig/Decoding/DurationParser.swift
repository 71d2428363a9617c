/// Parses the duration spellings a deployment file uses: `250ms`, `10s`, `5m`, `4h30m`, `1h`, `2d`, or a plain
/// integer meaning seconds.
///
/// Components are whole numbers with a unit (`ms`, `s`, `m`, `h`, `d`), largest first, each unit at most once.
/// Overflow is an error, never a trap.
public enum DurationParser {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The duration `text` stands for, or `nil` if it is not a valid spelling.
    public static func parse(_ text: String) -> Duration? {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(text) else { return nil }
            return .seconds(seconds)
        }
        var rest = Substring(text)
        var total: Int64 = 0
        var previousScale = Int64.max
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" before "m" so "5ms" is not read as five minutes and an "s".
            let letters = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == letters }), unit.milliseconds < previousScale else {
                return nil
            }
            rest = rest.dropFirst(letters.count)
            previousScale = unit.milliseconds
            let (scaled, overflow) = value.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(scaled)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// The canonical spelling of `duration` (`4h30m`, `250ms`, `0s`), for messages and round trips.
    static func format(_ duration: Duration) -> String {
        var milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        for unit in units.reversed() where milliseconds >= unit.milliseconds {
            text += "\(milliseconds / unit.milliseconds)\(unit.suffix)"
            milliseconds %= unit.milliseconds
        }
        return text
    }
}

extension Duration {
    /// This duration as a deployment file spells it (`4h30m`, `250ms`), for `nightshift check` and messages.
    public var deploymentSpelling: String { DurationParser.format(self) }
}
