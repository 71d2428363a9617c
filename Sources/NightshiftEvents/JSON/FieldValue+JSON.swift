import NightshiftJSON

/// Field values as JSON, keeping their kind: an integer stays `3`, a double is written `3.0`.
///
/// Foundation's encoders neither keep key order nor tell `3` from `3.0`; events need both.
extension FieldValue {
    /// The value as JSON text.
    var jsonText: String {
        var output = ""
        appendJSON(to: &output)
        return output
    }

    /// Appends the value as JSON: doubles always carry a `.` or an exponent so they read back as doubles.
    ///
    /// JSON has no NaN or infinity; those are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    func appendJSON(to output: inout String) {
        switch self {
        case .string(let text): JSONString.appendQuoted(text, to: &output)
        case .int(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .double(let number):
            if number.isNaN {
                output += "\"NaN\""
            } else if number.isInfinite {
                output += number < 0 ? "\"-Infinity\"" : "\"Infinity\""
            } else {
                let text = String(number)
                output += text
                if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { output += ".0" }
            }
        }
    }

    /// A parsed value as a field; arrays and objects (which events never contain) become their JSON text.
    init(json value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int(number)
        case .number(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array, .object: self = .string(value.jsonText)
        }
    }
}

extension EventFields {
    /// The fields as a JSON object, keys in order.
    public var jsonText: String {
        var output = ""
        appendJSON(to: &output)
        return output
    }

    /// Appends the fields as a JSON object, keys in order.
    func appendJSON(to output: inout String) {
        output += "{"
        var first = true
        for (key, value) in self {
            if !first { output += "," }
            first = false
            JSONString.appendQuoted(key, to: &output)
            output += ":"
            value.appendJSON(to: &output)
        }
        output += "}"
    }

    /// Reads fields from a JSON object's text; `nil` when it is not JSON or not an object.
    public init?(jsonText: String) {
        guard let value = try? JSONParser.parse(jsonText) else { return nil }
        self.init(json: value)
    }

    init?(json value: JSONValue) {
        guard case .object(let members) = value else { return nil }
        self.init(members.map { ($0.key, FieldValue(json: $0.value)) })
    }
}
