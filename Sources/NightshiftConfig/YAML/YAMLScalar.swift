/// A scalar's text, how it was written, and whether it carries a secret.
///
/// The style matters for typing: a plain `123` is an integer, a quoted `"123"` stays a string. Plain scalars resolve
/// by the YAML 1.2 core schema (so `09:30` and `yes` are strings, not a sexagesimal number or a boolean).
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written.
    public enum Style: String, Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded

        /// Whether the scalar is always a string whatever its text looks like.
        public var isQuoted: Bool { self != .plain }
    }

    /// The type a scalar resolves to.
    public enum Kind: String, Sendable, Hashable {
        case null, boolean, integer, number, string
    }

    /// The text, after escapes and (once interpolated) after `${…}` substitution.
    public var text: String
    /// How it was written.
    public var style: Style
    /// An explicit tag (`tag:yaml.org,2002:str` for `!!str`), if any.
    public var tag: String?
    /// Whether any part of the text came from a secret source; such text is never quoted in a message.
    public var isSensitive: Bool

    public init(_ text: String, style: Style = .plain, tag: String? = nil, isSensitive: Bool = false) {
        self.text = text
        self.style = style
        self.tag = tag
        self.isSensitive = isSensitive
    }

    // MARK: - Resolution (YAML 1.2 core schema)

    /// The type the scalar resolves to: quoted, block and `!!str` scalars are strings; plain ones by their text.
    public var kind: Kind {
        switch tag {
        case "tag:yaml.org,2002:str": return .string
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool": return boolValue == nil ? .string : .boolean
        case "tag:yaml.org,2002:int": return Self.looksLikeInteger(text) ? .integer : .string
        case "tag:yaml.org,2002:float": return Self.looksLikeNumber(text) ? .number : .string
        default: break
        }
        guard style == .plain else { return .string }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .boolean
        default: break
        }
        if Self.looksLikeInteger(text) { return .integer }
        if Self.looksLikeNumber(text) { return .number }
        return .string
    }

    /// The boolean a `true`/`false` spelling stands for.
    public var boolValue: Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// The integer the text stands for (decimal, `0x…`, `0o…`), or `nil` if it is not one or does not fit 64 bits.
    public var integerValue: Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var radix = 10
        if body.hasPrefix("0x") {
            radix = 16; body = body.dropFirst(2)
        } else if body.hasPrefix("0o") {
            radix = 8; body = body.dropFirst(2)
        }
        guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The number the text stands for (integers included), or `nil`; `.inf` and `.nan` spellings are accepted.
    public var numberValue: Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if let integer = integerValue { return Double(integer) }
        guard Self.looksLikeNumber(text) else { return nil }
        return Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    static func looksLikeInteger(_ text: String) -> Bool {
        var chars = Substring(text)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        if chars.hasPrefix("0x") {
            let digits = chars.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
        }
        if chars.hasPrefix("0o") {
            let digits = chars.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy { ("0"..."7").contains($0) }
        }
        return !chars.isEmpty && chars.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` or an infinity/NaN spelling.
    static func looksLikeNumber(_ text: String) -> Bool {
        let special: Set<String> = [
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
        ]
        if special.contains(text) { return true }
        var chars = Array(text.utf8)[...]
        if let sign = chars.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { chars = chars.dropFirst() }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerDigits = chars.prefix(while: isDigit)
        chars = chars.dropFirst(integerDigits.count)
        var fractionDigits = 0
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            fractionDigits = chars.prefix(while: isDigit).count
            chars = chars.dropFirst(fractionDigits)
        }
        guard integerDigits.count + fractionDigits > 0 else { return false }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                chars = chars.dropFirst()
            }
            let exponentDigits = chars.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            chars = chars.dropFirst(exponentDigits)
        }
        return chars.isEmpty
    }
}
