/// Writing JSON text.
extension JSONValue {
    /// Compact JSON text, object members in order.
    ///
    /// Numbers are written by `format(_:)`, so an integral `number` reads back as an `integer` (equal to it under
    /// `==`); strings are escaped by `JSONString`.
    public var jsonText: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Appends the compact JSON text of this value to `output`.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += JSONValue.format(value)
        case .string(let value): JSONString.appendQuoted(value, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                JSONString.appendQuoted(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    /// A double as JSON text: integral values below 10^15 without a fraction (`3`, `-0` as `0`), others in the
    /// shortest form that round-trips (`0.1`, `1e+16`), and `null` for NaN and the infinities, which JSON lacks.
    public static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? "\(value)" : "null"
    }
}
