/// Writing JSON text by hand, so field order is kept and numbers keep their kind.
///
/// Foundation's encoders neither keep key order nor tell `3` from `3.0`; events need both, and the output is small
/// enough that a few string appends are the clearest way to make it.
enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var output = "\""
        output.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
        return output
    }

    /// A field value as JSON: doubles always carry a `.` or an exponent so they read back as doubles.
    ///
    /// JSON has no NaN or infinity; those are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    static func value(_ value: FieldValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .double(let number):
            if number.isNaN { return "\"NaN\"" }
            if number.isInfinite { return number < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
            let text = String(number)
            return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
        }
    }

    /// Fields as a JSON object, keys in order.
    static func object(_ fields: EventFields) -> String {
        var output = "{"
        var first = true
        for (key, value) in fields {
            if !first { output += "," }
            first = false
            output += quoted(key) + ":" + self.value(value)
        }
        return output + "}"
    }
}

/// Four lowercase hex digits.
private func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
