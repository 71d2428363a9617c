/// Renders metric families in the Prometheus text exposition format, version 0.0.4.
///
/// Each family is a `# HELP` line, a `# TYPE` line and one line per series, `name{label="value",…} value`. Families
/// come out in the order given (the registry sorts them by name) and every line ends with `\n`, the last included,
/// as the format requires. Help text escapes `\` and line feeds; label values also escape `"`.
public enum PrometheusText {
    /// The `Content-Type` of a scrape answer in this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `families`.
    public static func render(_ families: [MetricFamily]) -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                text += family.name
                if !family.labelNames.isEmpty {
                    let pairs = zip(family.labelNames, sample.labels).map { "\($0)=\"\(escapeLabelValue($1))\"" }
                    text += "{" + pairs.joined(separator: ",") + "}"
                }
                text += " " + format(sample.value) + "\n"
            }
        }
        return text
    }

    /// A value as the format spells it: integers without a fraction, `NaN`, `+Inf`, `-Inf`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    /// Help text with `\` and line feeds escaped.
    public static func escapeHelp(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// A label value with `\`, `"` and line feeds escaped.
    public static func escapeLabelValue(_ text: String) -> String {
        escape(text, quotes: true)
    }

    /// Works on Unicode scalars, not characters: `"\r\n"` is one `Character`, and its line feed must still be escaped.
    private static func escape(_ text: String, quotes: Bool) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { $0 == "\\" || $0 == "\n" || (quotes && $0 == "\"") }) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in scalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quotes: escaped.append(contentsOf: "\\\"".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
