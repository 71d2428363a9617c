/// Reading strings and numbers.
extension JSONParser {
    /// Reads a string literal, the opening quote at the current position.
    ///
    /// A string without escapes is decoded straight from the input; one with escapes is assembled as UTF-8 first.
    /// Either way the bytes are validated once, so invalid UTF-8 is reported at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var runStart = index
        var assembled: [UInt8] = []
        var sawEscape = false
        while true {
            guard let byte = peek() else { throw failure(.string, "unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                let run = bytes[runStart..<index - 1]
                let text: String?
                if sawEscape {
                    assembled.append(contentsOf: run)
                    text = String(validating: assembled, as: UTF8.self)
                } else {
                    text = String(validating: run, as: UTF8.self)
                }
                guard let text else { throw failure(.encoding, "invalid UTF-8 in a string", at: start) }
                return text
            case UInt8(ascii: "\\"):
                sawEscape = true
                assembled.append(contentsOf: bytes[runStart..<index - 1])
                let scalar = try parseEscape()
                UTF8.encode(scalar) { assembled.append($0) }
                runStart = index
            case 0..<0x20:
                throw failure(.string, "control character in a string")
            default:
                continue
            }
        }
    }

    /// Reads the escape after a backslash, joining a `\u` surrogate pair into one scalar.
    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = peek() else { throw failure(.string, "unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800..<0xDC00).contains(high) {
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw failure(.string, "unpaired surrogate in \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low),
                    let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else { throw failure(.string, "unpaired surrogate in \\u escape") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw failure(.string, "unpaired surrogate in \\u escape") }
            return scalar
        default:
            throw failure(.string, "invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// Reads exactly four hexadecimal digits (either case).
    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure(.string, "expected four hexadecimal digits after \\u") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.string, "expected four hexadecimal digits after \\u")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// Reads a number: `integer` when it has neither fraction nor exponent and fits `Int64`, else a finite `number`.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while let byte = parser.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { parser.index += 1 }
            return parser.index - from
        }
        if peek() == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits(&self) > 0 else { throw failure(.number, "expected a digit") }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw failure(.number, "leading zeros are not allowed")
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits(&self) > 0 else { throw failure(.number, "expected a digit after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure(.number, "expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else { throw failure(.number, "number out of range") }
        return .number(number)
    }
}
